// `ksim replay <failure.json> [--trace FILE] [--json]`: re-runs a failure file's scenario (its
// shrunk fault script) with its seed, confirms the trace hash is the one recorded (if not,
// determinism broke: exit code 3) and shows the anomaly with its cases.
import { readFailureFile, replayFailure, type FailureFile } from '../../properties/failure-file.js';
import { checkWritable } from '../../traces/files.js';
import { writeTrace } from '../../traces/index.js';
import { EXIT, note, out, outJson, type ExitCode } from '../io.js';
import { RunBugError, withRunContext } from '../run-error.js';
import { formatRun } from '../run-format.js';
import { command } from '../shell.js';
import { formatSteps } from '../steps-format.js';

export interface ReplayFlags {
  readonly trace?: string;
  readonly json?: boolean;
  readonly force?: boolean;
}

function header(file: FailureFile): string {
  const steps = file.scenario.faults.steps;
  return [
    `replaying ${file.anomaly} in ${file.scenario.name}, seed ${file.seed}`,
    `fault script (${steps.length} step${steps.length === 1 ? '' : 's'}, shrunk from ${file.originalSteps}):`,
    ...formatSteps(steps).map((line) => `  ${line}`),
    '',
  ].join('\n');
}

export function replayCommand(path: string, flags: ReplayFlags): ExitCode {
  const file = readFailureFile(path);
  const traceOptions = { inputs: [path], replace: flags.force === true };
  if (flags.trace !== undefined) checkWritable(flags.trace, { what: '--trace', ...traceOptions });
  const context = { scenario: file.scenario.name, seed: file.seed };
  const replay = withRunContext(context, () => replayFailure(file, { recordTrace: flags.trace !== undefined }));
  const { result, trace } = replay.output;
  if (flags.trace !== undefined) {
    writeTrace(flags.trace, trace ?? [], traceOptions);
    note(`ksim: trace written to ${flags.trace} (view: ${command('trace', flags.trace, '--format', 'html', '-o', 'trace.html')})`);
  }
  if (flags.json === true) outJson(result);
  else out(`${header(file)}${formatRun(result, file.scenario.durationMs)}`);
  if (!replay.hashMatches) {
    throw new RunBugError(context, `determinism broke: the replay's trace hash ${result.traceHash} differs from the failure file's ${file.traceHash}`, true, undefined);
  }
  if (!flags.json) note(`ksim: trace hash matches the failure file: the same run${replay.anomalyPresent ? `, ${file.anomaly} reproduced` : ''}`);
  return result.ok ? EXIT.ok : EXIT.anomalies;
}
