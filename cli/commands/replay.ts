// `ksim replay <failure.json> [--trace FILE] [--json]`: re-runs a failure file's scenario (its
// shrunk fault script) with its seed, confirms the trace hash is the one recorded (if not,
// determinism broke: exit code 3) and shows the anomaly with its cases.
import { readFailureFile, replayFailure, type FailureFile } from '../../properties/failure-file.js';
import { checkWritable } from '../../traces/files.js';
import { EXIT, note, out, outJson, type ExitCode } from '../io.js';
import { RunBugError } from '../run-error.js';
import { formatRun } from '../run-format.js';
import { formatSteps } from '../steps-format.js';
import { tracedRun } from '../trace-output.js';

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
  const trace = flags.trace === undefined ? undefined : { path: flags.trace, inputs: [path], replace: flags.force === true };
  if (trace !== undefined) checkWritable(trace.path, { what: '--trace', ...trace });
  const context = { scenario: file.scenario.name, seed: file.seed };
  const replay = tracedRun(trace, context,
    (traceInto) => replayFailure(file, traceInto === undefined ? {} : { traceInto }),
    (done) => done.output.result.traceHash);
  const { result } = replay.output;
  if (flags.json === true) outJson(result);
  else out(`${header(file)}${formatRun(result, file.scenario.durationMs)}`);
  if (!replay.hashMatches) {
    throw new RunBugError(context, `determinism broke: the replay's trace hash ${result.traceHash} differs from the failure file's ${file.traceHash}`, true, undefined);
  }
  if (!flags.json) note(`ksim: trace hash matches the failure file: the same run${replay.anomalyPresent ? `, ${file.anomaly} reproduced` : ''}`);
  return result.ok ? EXIT.ok : EXIT.anomalies;
}
