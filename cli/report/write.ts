// `--report FILE.html` on run, check and explore: the path is checked before any work (an input of
// the command, a folder, or an existing file without --force is an error now), and the page is
// written through writeFileSafely (a temporary file renamed into place).
import { existsSync } from 'node:fs';
import type { RunOutput } from '../../scenario/run.js';
import { runScenario } from '../../scenario/run.js';
import type { Scenario } from '../../scenario/schema.js';
import { checkWritable, writeFileSafely } from '../../traces/files.js';
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

/** The check report: the seeds' summary, then the charts of the first failing seed (or the first seed). */
export function writeCheckReport(target: ReportTarget, scenario: Scenario, report: CheckReport, ref: string): void {
  const [failing] = report.failingSeeds;
  const seed = failing ?? report.seeds.from;
  // The seed's own run again, with its trace (the workers keep none): the same seed, the same run.
  const output = withRunContext({ scenario: scenario.name, seed }, () => runScenario(scenario, seed, { recordTrace: true }));
  const heading = failing === undefined ? `Seed ${seed} (no seed failed; the first seed)` : `Seed ${seed}, the first failing seed (its own fault plan, unshrunk)`;
  const section = runSection(scenario, output, heading, command('run', ref, '--seed', String(seed)));
  const subtitle = `ksim check ${scenario.name}: seeds ${report.seeds.from}…${report.seeds.from + report.seeds.count - 1}`;
  write(target, renderReport({ title: `ksim check ${scenario.name}`, subtitle, sections: [checkSection(report, scenario.name), section.html], charts: section.charts }));
}

export function writeExploreReport(target: ReportTarget, title: string, subtitle: string, rows: readonly ExploreRow[], reading: string): void {
  const section = exploreSection(rows, reading);
  write(target, renderReport({ title, subtitle, sections: [section.html], charts: section.charts }));
}
