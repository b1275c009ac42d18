// Shrinking a failing run to a small fault script that still shows the same anomaly. The seed stays
// fixed (so the load, latencies and every other random choice stay as they were) and only the
// fault script changes:
//   1. fast-check shrinks the script as a subarray of the original (order kept, steps removed),
//      starting from the full plan as its one example;
//   2. a 1-minimality pass removes single steps until no single removal keeps the anomaly, so every
//      step left is needed;
//   2b. pairs of steps are removed likewise (a crash with its restart), then singles again;
//   3. step times are rounded (to whole seconds, then tenths, then hundredths) when the anomaly
//      survives it, which makes a script easier to read; then step 2 again.
// A candidate that throws (a ksim assertion: a bug met while shrinking) ends the shrink with that
// exception. Removing a crash while keeping its restart is harmless: restarting a node that is up,
// resuming one that is not paused or healing links that are not cut does nothing in the kernel.
import fc from 'fast-check';
import { SimAssertionError } from '../sim/errors.js';
import type { FaultStep } from '../sim/fault.js';
import type { RunOutput } from '../scenario/run.js';
import { runScenario } from '../scenario/run.js';
import type { Scenario } from '../scenario/schema.js';
import type { AnomalyType } from './anomaly.js';

/** Runs a shrink may spend unless told otherwise. */
export const DEFAULT_SHRINK_MAX_RUNS = 300;

export interface ShrinkOptions {
  /** Most runs to spend, the first (the full plan) included. Default DEFAULT_SHRINK_MAX_RUNS. */
  readonly maxRuns?: number;
  /** Called after every run with the runs so far and the length of the smallest failing script. */
  readonly onProgress?: (runs: number, steps: number) => void;
}

export interface ShrinkResult {
  /** The smallest script found that still shows the target anomaly, in time order. */
  readonly steps: FaultStep[];
  /** The run of `steps` (same scenario and seed): it shows the target. */
  readonly output: RunOutput;
  /** Runs spent. */
  readonly runs: number;
  /** The budget sufficed for the 1-minimality pass: removing any one step loses the target. */
  readonly minimal: boolean;
}

/** The plan handed to a shrink does not fail in the first place: nothing to shrink. */
export class PlanDoesNotFail extends Error {
  override readonly name = 'PlanDoesNotFail';
}

/** Runs candidate scripts within a budget and remembers the smallest that still fails. */
class Attempts<T> {
  runs = 0;
  best: { steps: FaultStep[]; found: T };
  /** The first exception a candidate run threw (a ksim assertion, say): shrinking stops with it. */
  error: { readonly thrown: unknown } | null = null;

  constructor(
    private readonly test: (steps: readonly FaultStep[]) => T | null,
    private readonly maxRuns: number,
    private readonly onProgress: ((runs: number, steps: number) => void) | undefined,
    plan: readonly FaultStep[],
  ) {
    this.runs++;
    const found = test(plan);
    if (found === null) throw new PlanDoesNotFail(`shrink: the full plan of ${plan.length} steps does not fail`);
    this.best = { steps: [...plan], found };
    this.report();
  }

  get left(): number {
    return this.maxRuns - this.runs;
  }

  /** True when the candidate still fails; it then becomes the best if not longer. */
  tryCandidate(steps: readonly FaultStep[]): boolean {
    this.runs++;
    let found: T | null;
    try {
      found = this.test(steps);
    } catch (thrown) {
      this.error ??= { thrown };
      throw thrown;
    }
    if (found !== null && steps.length <= this.best.steps.length) this.best = { steps: [...steps], found };
    this.report();
    return found !== null;
  }

  private report(): void {
    this.onProgress?.(this.runs, this.best.steps.length);
  }
}

export interface ShrunkSteps<T> {
  readonly steps: FaultStep[];
  /** What `test` returned for `steps`. */
  readonly found: T;
  readonly runs: number;
  readonly minimal: boolean;
}

/**
 * The shrinking engine: `test` runs a candidate script and returns evidence of the failure, or
 * null when the candidate does not fail. Throws if the full plan does not fail.
 */
export function shrinkSteps<T>(plan: readonly FaultStep[], test: (steps: readonly FaultStep[]) => T | null, opts: ShrinkOptions = {}): ShrunkSteps<T> {
  const maxRuns = opts.maxRuns ?? DEFAULT_SHRINK_MAX_RUNS;
  if (!Number.isSafeInteger(maxRuns) || maxRuns < 1) throw new RangeError(`shrink: maxRuns must be a positive integer, got ${maxRuns}`);
  const attempts = new Attempts(test, maxRuns, opts.onProgress, plan);
  // Keep a quarter of the budget for the minimality pass, which fast-check's shrinker does not promise.
  shrinkWithFastCheck(attempts, Math.floor((maxRuns * 3) / 4));
  let minimal = removeSingleSteps(attempts);
  // A 1-minimal script may still lose two steps together (a crash and its restart, a cut and its
  // heal); pairs are few once the script is short.
  while (minimal && attempts.best.steps.length <= MAX_PAIR_PASS_STEPS && removePair(attempts)) minimal = removeSingleSteps(attempts);
  if (minimal && roundTimes(attempts)) minimal = removeSingleSteps(attempts);
  return { steps: attempts.best.steps, found: attempts.best.found, runs: attempts.runs, minimal };
}

function shows(output: RunOutput, target: AnomalyType): boolean {
  return output.result.anomalies.some((a) => a.type === target);
}

/**
 * Shrinks `plan` (the fault script of a run of `scenario` with `seed` that shows `target`) to a
 * small script that still shows `target` with the same seed. Throws if the full plan does not
 * show it. Deterministic: the same inputs give the same steps.
 */
export function shrinkFailure(
  scenario: Scenario, seed: number, plan: readonly FaultStep[], target: AnomalyType, opts: ShrinkOptions = {},
): ShrinkResult {
  const test = (steps: readonly FaultStep[]): RunOutput | null => {
    const output = runScenario(scenario, seed, { plan: steps });
    return shows(output, target) ? output : null;
  };
  let shrunk: ShrunkSteps<RunOutput>;
  try {
    shrunk = shrinkSteps(plan, test, opts);
  } catch (error) {
    if (!(error instanceof PlanDoesNotFail)) throw error;
    throw new PlanDoesNotFail(`shrinkFailure: seed ${seed} of scenario ${scenario.name} does not show ${target} with the given plan of ${plan.length} steps`);
  }
  return { steps: shrunk.steps, output: shrunk.found, runs: shrunk.runs, minimal: shrunk.minimal };
}

/** An assertion message with its numbers blanked: "the same assertion" survives other offsets. */
function assertionShape(message: string): string {
  return message.replace(/\d+/g, 'N');
}

export interface ShrunkAssertion {
  readonly steps: FaultStep[];
  /** The assertion the shrunk script still trips. */
  readonly error: SimAssertionError;
  readonly runs: number;
  readonly minimal: boolean;
}

/**
 * Shrinks the fault script of a run that failed a ksim assertion (a SimAssertionError, exit code 3)
 * to a small script that trips the same assertion (same message up to numbers) with the same seed.
 */
export function shrinkAssertion(scenario: Scenario, seed: number, plan: readonly FaultStep[], opts: ShrinkOptions = {}): ShrunkAssertion {
  let shape: string | null = null;
  const test = (steps: readonly FaultStep[]): SimAssertionError | null => {
    try {
      runScenario(scenario, seed, { plan: steps });
      return null;
    } catch (error) {
      if (!(error instanceof SimAssertionError)) throw error;
      shape ??= assertionShape(error.message);
      return assertionShape(error.message) === shape ? error : null;
    }
  };
  const shrunk = shrinkSteps(plan, test, opts);
  return { steps: shrunk.steps, error: shrunk.found, runs: shrunk.runs, minimal: shrunk.minimal };
}

/** Phase 1: fast-check's subarray shrinker, from the full plan (already known to fail). */
function shrinkWithFastCheck<T>(attempts: Attempts<T>, budget: number): void {
  const plan = attempts.best.steps;
  if (plan.length === 0) return;
  let first = true;
  const property = fc.property(fc.subarray(plan), (candidate) => {
    // The example is the plan the constructor already ran; answer without running it again.
    if (first) { first = false; return false; }
    // Out of budget, or a candidate threw: report "passes" so fast-check stops descending.
    if (attempts.runs >= budget || attempts.error !== null) return true;
    try {
      return !attempts.tryCandidate(candidate);
    } catch {
      // fast-check would take the exception for a failure and shrink towards it; it is rethrown below.
      return true;
    }
  });
  fc.check(property, { examples: [[plan]], numRuns: 1, seed: 0, endOnFailure: false, verbose: 0 });
  if (attempts.error !== null) throw attempts.error.thrown;
}

/** Phase 2: drop single steps while the target survives. True when the result is 1-minimal. */
function removeSingleSteps<T>(attempts: Attempts<T>): boolean {
  let i = 0;
  while (i < attempts.best.steps.length) {
    if (attempts.left <= 0) return false;
    const steps = attempts.best.steps;
    const candidate = [...steps.slice(0, i), ...steps.slice(i + 1)];
    // On success best shrinks and index i now holds the next step: try it without moving on.
    if (!attempts.tryCandidate(candidate)) i++;
  }
  return true;
}

/** Scripts longer than this skip the pair pass (its cost grows with the square of the length). */
const MAX_PAIR_PASS_STEPS = 12;

/** Phase 2b: drop the first pair of steps whose removal keeps the failure. True if one was dropped. */
function removePair<T>(attempts: Attempts<T>): boolean {
  const steps = attempts.best.steps;
  for (let i = 0; i < steps.length; i++) {
    for (let j = i + 1; j < steps.length; j++) {
      if (attempts.left <= 0) return false;
      if (attempts.tryCandidate(steps.filter((_, k) => k !== i && k !== j))) return true;
    }
  }
  return false;
}

const ROUNDINGS_MS = [1000, 100, 10];

/** Phase 3: round every step time to the coarsest grid that keeps the target. True if it changed. */
function roundTimes<T>(attempts: Attempts<T>): boolean {
  for (const gridMs of ROUNDINGS_MS) {
    const steps = attempts.best.steps;
    // Rounding is monotone, so the rounded script stays in time order.
    const rounded = steps.map((step) => ({ ...step, atMs: Math.round(step.atMs / gridMs) * gridMs }));
    if (rounded.every((step, i) => step.atMs === steps[i]?.atMs)) return false;
    if (attempts.left <= 0) return false;
    if (attempts.tryCandidate(rounded)) return true;
  }
  return false;
}
