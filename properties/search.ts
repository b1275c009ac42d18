// Seed search: run one scenario over seeds from, from+1, … and collect which seeds fail. This is
// the loop behind `ksim check` and the known-bug tests. A seed fails when the run shows an anomaly
// the scenario does not allow (result.ok is false) or, with a target, when it shows that anomaly
// (allowed or not: the known-bug suite hunts anomalies its presets expect).
import type { RunOutput, RunResult } from '../scenario/run.js';
import { runScenario } from '../scenario/run.js';
import type { Scenario } from '../scenario/schema.js';
import type { AnomalyType } from './anomaly.js';
import { ANOMALY_TYPES } from './anomaly.js';

export interface SearchProgress {
  /** The seed just run. */
  readonly seed: number;
  /** Runs so far, this one included. */
  readonly runs: number;
  /** Failing seeds so far. */
  readonly failing: number;
  readonly result: RunResult;
}

export interface SearchOptions {
  /** First seed. */
  readonly from: number;
  /** Most seeds to run: from … from + count - 1. */
  readonly count: number;
  /** Stop at the first failing seed (`ksim check` without --all). */
  readonly stopAtFirst: boolean;
  /** Count a seed as failing when it shows this anomaly, whether or not the scenario allows it. */
  readonly target?: AnomalyType;
  /** Called after every run, in seed order. */
  readonly onProgress?: (progress: SearchProgress) => void;
}

export interface SearchResult {
  /** Seeds run. */
  readonly runs: number;
  /** Failing seeds, ascending. */
  readonly failingSeeds: readonly number[];
  /** For each anomaly type seen, in how many runs it appeared (allowed ones too), keyed in type order. */
  readonly anomalyCounts: Readonly<Partial<Record<AnomalyType, number>>>;
  /** The first failing seed and its run (plan included, so it can be shrunk). */
  readonly first?: { readonly seed: number; readonly output: RunOutput };
}

/** Does this run count as a failure: the target present, or with no target any unexpected anomaly. */
export function isFailure(result: RunResult, target?: AnomalyType): boolean {
  if (target === undefined) return !result.ok;
  return result.anomalies.some((a) => a.type === target);
}

function checkSearchOptions(opts: SearchOptions): void {
  if (!Number.isSafeInteger(opts.from)) throw new RangeError(`searchSeeds: from must be an integer, got ${opts.from}`);
  if (!Number.isSafeInteger(opts.count) || opts.count < 0) throw new RangeError(`searchSeeds: count must be a non-negative integer, got ${opts.count}`);
}

/** Runs seeds from `opts.from` in order; see SearchOptions. Throws SimAssertionError on a ksim bug. */
export function searchSeeds(scenario: Scenario, opts: SearchOptions): SearchResult {
  checkSearchOptions(opts);
  const failingSeeds: number[] = [];
  const seen = new Map<AnomalyType, number>();
  let first: { seed: number; output: RunOutput } | undefined;
  let runs = 0;
  for (let seed = opts.from; seed < opts.from + opts.count; seed++) {
    const output = runScenario(scenario, seed);
    runs++;
    for (const report of output.result.anomalies) seen.set(report.type, (seen.get(report.type) ?? 0) + 1);
    const failed = isFailure(output.result, opts.target);
    if (failed) {
      failingSeeds.push(seed);
      first ??= { seed, output };
    }
    opts.onProgress?.({ seed, runs, failing: failingSeeds.length, result: output.result });
    if (failed && opts.stopAtFirst) break;
  }
  const anomalyCounts: Partial<Record<AnomalyType, number>> = {};
  for (const type of ANOMALY_TYPES) {
    const count = seen.get(type);
    if (count !== undefined) anomalyCounts[type] = count;
  }
  return first === undefined ? { runs, failingSeeds, anomalyCounts } : { runs, failingSeeds, anomalyCounts, first };
}

