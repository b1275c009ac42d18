// After a search finds a failing seed: run it again here (the worker kept no plan), shrink its
// fault plan to a small script that still shows the anomaly, and write the failure file whose
// replay command reproduces it.
import type { AnomalyType } from '../../properties/anomaly.js';
import type { LivenessName } from '../../scenario/schema.js';
import { failureRecord, replayCommand, writeFailureFile } from '../../properties/failure-file.js';
import { shrinkFailure } from '../../properties/shrink.js';
import { runScenario, type RunOutput } from '../../scenario/run.js';
import type { Scenario } from '../../scenario/schema.js';
import { UserError } from '../../sim/errors.js';
import type { FaultStep } from '../../sim/fault.js';
import { shrinkProgress } from '../progress.js';
import { withRunContext } from '../run-error.js';

export interface RecordedFailure {
  readonly seed: number;
  /** The unexpected anomaly kept by shrinking, else the liveness failure (not-settled, nothing-sent, nothing-polled). */
  readonly anomaly: AnomalyType | LivenessName;
  readonly originalSteps: number;
  readonly shrunkSteps: number;
  /** Runs spent shrinking (0 with --no-shrink). */
  readonly shrinkRuns: number;
  /** The failure file's path; null when it could not be written (writeError says why). */
  readonly file: string | null;
  /** `ksim replay FILE`; when the file could not be written, the `ksim run` command of the seed. */
  readonly replay: string;
  /** Why the failure file could not be written; the failure itself is still reported. */
  readonly writeError?: string;
  /** The shrunk fault script, given inline when the file could not be written, so nothing is lost. */
  readonly steps?: readonly FaultStep[];
  /** A liveness failure's problems (what was stuck); empty for an anomaly. */
  readonly problems: readonly string[];
}

export interface FailureOptions {
  readonly shrink: boolean;
  readonly maxShrinkRuns?: number;
  /** The command that runs the scenario with a seed (`ksim run REF --seed N`), for a liveness failure. */
  readonly runCommand: (seed: number) => string;
}

interface Kept {
  readonly steps: readonly FaultStep[];
  readonly output: RunOutput;
  readonly runs: number;
}

function keep(scenario: Scenario, seed: number, plan: readonly FaultStep[], anomaly: AnomalyType, options: FailureOptions): Kept {
  if (!options.shrink) return { steps: plan, output: runScenario(scenario, seed, { plan }), runs: 0 };
  const progress = shrinkProgress(`shrinking seed ${seed}`);
  try {
    const opts = { onProgress: progress.update, ...(options.maxShrinkRuns === undefined ? {} : { maxRuns: options.maxShrinkRuns }) };
    const shrunk = shrinkFailure(scenario, seed, plan, anomaly, opts);
    return { steps: shrunk.steps, output: shrunk.output, runs: shrunk.runs };
  } finally {
    progress.done();
  }
}

/**
 * Writes the failure file of `seed` into `dir` (the current folder for `ksim check`, or --out-dir).
 * A file that cannot be written does not lose the failure: it is returned with the error, the
 * shrunk script inline and the `ksim run` command that reproduces the seed (`runCommand`).
 */
export function recordFailure(scenario: Scenario, seed: number, dir: string, options: FailureOptions): RecordedFailure {
  return withRunContext({ scenario: scenario.name, seed }, () => {
    const first = runScenario(scenario, seed);
    const anomaly = first.result.unexpected[0];
    if (anomaly === undefined) return livenessFailure(first, seed, options);
    const kept = keep(scenario, seed, first.plan, anomaly, options);
    const record = failureRecord({ scenario, seed, anomaly, originalSteps: first.plan.length, steps: kept.steps, output: kept.output });
    const found = { seed, anomaly, originalSteps: first.plan.length, shrunkSteps: kept.steps.length, shrinkRuns: kept.runs, problems: [] };
    try {
      const file = writeFailureFile(dir, record);
      return { ...found, file, replay: replayCommand(file) };
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return { ...found, file: null, replay: options.runCommand(seed), writeError: error.message, steps: kept.steps };
    }
  });
}

/**
 * A seed that failed only on liveness. Shrinking keeps an anomaly's cases, which a liveness failure
 * has none of, and a failure file names an anomaly: the run is reported as it is, with what was stuck.
 */
function livenessFailure(output: RunOutput, seed: number, options: FailureOptions): RecordedFailure {
  const failed = output.result.liveness.find((r) => !r.allowed);
  if (failed === undefined) throw new Error(`seed ${seed} failed on a worker but not when run again: determinism broke`);
  const steps = output.plan.length;
  return {
    seed, anomaly: failed.type, originalSteps: steps, shrunkSteps: steps, shrinkRuns: 0, file: null,
    replay: options.runCommand(seed), problems: failed.problems,
  };
}
