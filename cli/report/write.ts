// `--report FILE.html` on run, check and explore: the path is checked before any work (an input of
// the command, a folder, or an existing file without --force is an error now), and the page is
// written through writeFileSafely (a temporary file renamed into place).
import { existsSync } from 'node:fs';
import { readFailureFile, replayFailure, scriptScenario } from '../../properties/failure-file.js';
import type { RunOutput } from '../../scenario/run.js';
import { runScenario } from '../../scenario/run.js';
import type { Scenario } from '../../scenario/schema.js';
import { checkWritable, writeFileSafely } from '../../traces/files.js';
import type { RecordedFailure } from '../check/failure.js';
import type { CheckReport } from '../check/report.js';
import type { ExploreRow } from '../explore/aggregate.js';
import { note } from '../io.js';
import { withRunContext } from '../run-error.js';
import { command } from '../shell.js';
import { checkSection } from './check-section.js';
import { exploreSection } from './explore-section.js';
import { renderReport } from './page.js';
import { runSection } from './run-section.js';

export interface ReportTarget {
  readonly path: string;
  readonly inputs: readonly string[];
  readonly replace: boolean;
}

const WHAT = '--report';

/** The report target of a command, checked now; undefined without --report. */
export function reportTarget(path: string | undefined, ref: string, force: boolean | undefined): ReportTarget | undefined {
  if (path === undefined) return undefined;
  const target = { path, inputs: existsSync(ref) ? [ref] : [], replace: force === true };
  checkWritable(path, { what: WHAT, ...target });
  return target;
}

function write(target: ReportTarget, html: string): void {
  writeFileSafely(target.path, [html], { what: WHAT, inputs: target.inputs, replace: target.replace });
  note(`ksim: report written to ${target.path}`);
}

export function writeRunReport(target: ReportTarget, scenario: Scenario, output: RunOutput, ref: string): void {
  const seed = output.result.seed;
  const replay = command('run', ref, '--seed', String(seed));
  const section = runSection(scenario, output, `Seed ${seed}`, replay);
  write(target, renderReport({ title: `ksim run ${scenario.name} --seed ${seed}`, subtitle: scenario.description ?? '', sections: [section.html], charts: section.charts }));
}

interface ChartedRun {
  readonly output: RunOutput;
  readonly heading: string;
  readonly intro: string;
  readonly replay: string;
  readonly prefix: string;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The shrunk failure as `ksim replay` runs it: the failure file read back and replayed (its
 * script, its seed), or, when the file could not be written, the shrunk script the report carries.
 * Undefined when nothing was shrunk (--no-shrink, a liveness failure): then the seed's own run is
 * the only one, and charting it twice would say nothing.
 */
function shrunkRun(scenario: Scenario, failure: RecordedFailure): ChartedRun | undefined {
  if (failure.shrinkRuns === 0) return undefined;
  const { seed } = failure;
  const steps = `${plural(failure.shrunkSteps, 'fault step')} left of the ${failure.originalSteps} the seed drew`;
  const heading = `Seed ${seed}, shrunk: the failure as the replay runs it (${steps})`;
  if (failure.file !== null) {
    const file = readFailureFile(failure.file);
    const replay = withRunContext({ scenario: scenario.name, seed }, () => replayFailure(file, { recordTrace: true }));
    const same = replay.hashMatches ? 'the trace hash matches the failure file' : 'the trace hash does NOT match the failure file';
    const intro = `The failure file ${failure.file} replayed: ${same}, ${replay.anomalyPresent ? `${failure.anomaly} reproduced` : `${failure.anomaly} NOT reproduced`}. The unshrunk run of the same seed follows.`;
    return { output: replay.output, heading, intro, replay: failure.replay, prefix: 'shrunk-' };
  }
  if (failure.steps === undefined) return undefined;
  const output = withRunContext({ scenario: scenario.name, seed }, () => runScenario(scriptScenario(scenario, failure.steps ?? []), seed, { recordTrace: true }));
  const intro = 'The failure file could not be written: this is the shrunk script (the fault script at the end of this section) run with the seed. The unshrunk run of the same seed follows.';
  return { output, heading, intro, replay: `no failure file: the fault script below as "faults": { "mode": "script", "steps": … }, with --seed ${seed}`, prefix: 'shrunk-' };
}

/** The seed's own run, as the search ran it: its fault plan drawn from the seed, unshrunk. */
function seedRun(scenario: Scenario, report: CheckReport, ref: string, shrunkToo: boolean): ChartedRun {
  const failure = report.firstFailure;
  const seed = report.failingSeeds[0] ?? report.seeds.from;
  // The seed's own run again, with its trace (the workers keep none): the same seed, the same run.
  const output = withRunContext({ scenario: scenario.name, seed }, () => runScenario(scenario, seed, { recordTrace: true }));
  const replay = command('run', ref, '--seed', String(seed));
  if (failure === null) return { output, heading: `Seed ${seed} (no seed failed; the first seed)`, intro: '', replay, prefix: '' };
  const plan = plural(output.plan.length, 'fault step');
  if (shrunkToo) {
    return { output, heading: `Seed ${seed}, unshrunk: the run the search found (its own fault plan, ${plan})`, intro: 'The first failing seed as the search ran it, before shrinking.', replay, prefix: 'unshrunk-' };
  }
  const why = failure.file === null && failure.writeError === undefined ? 'a liveness failure is not shrunk' : 'the fault script was kept unshrunk';
  return { output, heading: `Seed ${seed}, the first failing seed (its own fault plan, ${plan}, unshrunk)`, intro: `The first failing seed as the search ran it (${why}).`, replay, prefix: '' };
}

/**
 * The check report: the seeds' summary, then the charts of the first failure: the shrunk failure
 * (what `ksim replay` shows) first, then the seed's own unshrunk run, each labelled; the first seed
 * when none fails.
 */
export function writeCheckReport(target: ReportTarget, scenario: Scenario, report: CheckReport, ref: string): void {
  const shrunk = report.firstFailure === null ? undefined : shrunkRun(scenario, report.firstFailure);
  const runs = [...(shrunk === undefined ? [] : [shrunk]), seedRun(scenario, report, ref, shrunk !== undefined)];
  const sections = runs.map((run) => runSection(scenario, run.output, run.heading, run.replay, run.prefix, run.intro));
  const subtitle = `ksim check ${scenario.name}: seeds ${report.seeds.from}…${report.seeds.from + report.seeds.count - 1}`;
  const contents = runs.length > 1 ? `<p>Charted below: <a href="#${runs[0]?.prefix ?? ''}run">the shrunk failure</a>, then <a href="#${runs[1]?.prefix ?? ''}run">the unshrunk run of the same seed</a>.</p>` : '';
  write(target, renderReport({
    title: `ksim check ${scenario.name}`, subtitle,
    sections: [checkSection(report, scenario.name, contents), ...sections.map((s) => s.html)],
    charts: sections.flatMap((s) => s.charts),
  }));
}

export function writeExploreReport(target: ReportTarget, title: string, subtitle: string, rows: readonly ExploreRow[], reading: string): void {
  const section = exploreSection(rows, reading);
  write(target, renderReport({ title, subtitle, sections: [section.html], charts: section.charts }));
}
