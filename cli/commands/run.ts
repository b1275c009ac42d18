// `ksim run <scenario> [--seed N] [--json] [--trace FILE] [--report FILE.html]`: one run, judged by the checkers.
import { loadScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import type { RunProgress } from '../../scenario/build.js';
import { existsSync } from 'node:fs';
import { checkWritable } from '../../traces/files.js';
import { pickSeed } from '../entropy.js';
import { EXIT, note, out, outJson, type ExitCode } from '../io.js';
import { runProgress } from '../progress.js';
import { formatRun } from '../run-format.js';
import { reportTarget, writeRunReport } from '../report/write.js';
import { command } from '../shell.js';
import { tracedRun } from '../trace-output.js';

export interface RunFlags {
  readonly seed?: number;
  readonly json?: boolean;
  readonly trace?: string;
  readonly force?: boolean;
  readonly report?: string;
}

export function runCommand(ref: string, flags: RunFlags): ExitCode {
  const scenario = loadScenario(ref);
  // Before the run: a trace path that would replace the scenario, or a file, fails now, not after the work.
  const trace = flags.trace === undefined ? undefined : { path: flags.trace, inputs: existsSync(ref) ? [ref] : [], replace: flags.force === true };
  if (trace !== undefined) checkWritable(trace.path, { what: '--trace', ...trace });
  const report = reportTarget(flags.report, ref, flags.force);
  const seed = flags.seed ?? pickSeed();
  if (flags.seed === undefined) note(`ksim: no --seed given, picked seed ${seed} (repeat: ${command('run', ref, '--seed', String(seed))})`);
  const progress = runProgress(`run ${scenario.name} seed ${seed}`);
  const onProgress = (p: RunProgress): void => progress.update(p.phase, p.simulatedUs, p.durationUs);
  let output;
  try {
    output = tracedRun(trace, { scenario: scenario.name, seed },
      (traceInto) => runScenario(scenario, seed, traceInto === undefined ? { onProgress, recordTrace: report !== undefined } : { recordTrace: true, traceInto, onProgress }),
      (done) => done.result.traceHash);
  } finally {
    progress.done();
  }
  if (report !== undefined) writeRunReport(report, scenario, output, ref);
  if (flags.json === true) outJson(output.result);
  else out(`${formatRun(output.result, scenario.durationMs)}reproduce   ${command('run', ref, '--seed', String(seed))}`);
  return output.result.ok ? EXIT.ok : EXIT.anomalies;
}
