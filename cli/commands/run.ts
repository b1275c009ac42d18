// `ksim run <scenario> [--seed N] [--json] [--trace FILE]`: one run, judged by the checkers.
import { loadScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import { existsSync } from 'node:fs';
import { checkWritable } from '../../traces/files.js';
import { writeTrace } from '../../traces/index.js';
import { pickSeed } from '../entropy.js';
import { EXIT, note, out, outJson, type ExitCode } from '../io.js';
import { withRunContext } from '../run-error.js';
import { formatRun } from '../run-format.js';
import { command } from '../shell.js';

export interface RunFlags {
  readonly seed?: number;
  readonly json?: boolean;
  readonly trace?: string;
  readonly force?: boolean;
}

export function runCommand(ref: string, flags: RunFlags): ExitCode {
  const scenario = loadScenario(ref);
  // Before the run: a trace path that would replace the scenario, or a file, fails now, not after the work.
  const traceOptions = { inputs: existsSync(ref) ? [ref] : [], replace: flags.force === true };
  if (flags.trace !== undefined) checkWritable(flags.trace, { what: '--trace', ...traceOptions });
  const seed = flags.seed ?? pickSeed();
  if (flags.seed === undefined) note(`ksim: no --seed given, picked seed ${seed} (repeat: ${command('run', ref, '--seed', String(seed))})`);
  const output = withRunContext({ scenario: scenario.name, seed }, () =>
    runScenario(scenario, seed, { recordTrace: flags.trace !== undefined }));
  if (flags.trace !== undefined) {
    writeTrace(flags.trace, output.trace ?? [], traceOptions);
    note(`ksim: trace written to ${flags.trace} (${output.trace?.length ?? 0} records; view: ${command('trace', flags.trace, '--format', 'html', '-o', 'trace.html')})`);
  }
  if (flags.json === true) outJson(output.result);
  else out(`${formatRun(output.result, scenario.durationMs)}reproduce   ${command('run', ref, '--seed', String(seed))}`);
  return output.result.ok ? EXIT.ok : EXIT.anomalies;
}
