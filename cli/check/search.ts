// The parallel seed search. Workers finish seeds in any order, but the answer must not depend on
// it: without --all the search reports the smallest failing seed and counts exactly the seeds up
// to it. Seeds start in ascending order, so when one fails every smaller seed has already started;
// the search stops starting new seeds and lets those finish (one of them may fail too and become
// the first failure). Results are counted in seed order through a reorder buffer no larger than
// the pool's window, so a search over millions of seeds keeps counters, not results.
import type { AnomalyType } from '../../properties/anomaly.js';
import { ANOMALY_TYPES } from '../../properties/anomaly.js';
import { isFailure } from '../../properties/search.js';
import type { RunResult } from '../../scenario/run.js';
import type { SeedPool } from '../pool.js';
import { SettleTally, type SettleSummary } from '../settle-summary.js';
import type { Progress } from '../progress.js';

export interface SearchInput {
  readonly raw: unknown;
  readonly source: string;
  readonly scenarioName: string;
  readonly seeds: Iterable<number>;
  /** Run every seed instead of stopping at the first failure. */
  readonly all: boolean;
}

export interface SearchOutcome {
  /** Seeds counted: every seed with --all, else every seed up to the first failing one. */
  readonly runs: number;
  /** Ascending. */
  readonly failingSeeds: readonly number[];
  /** Runs showing each anomaly type (allowed ones too), keyed in type order. */
  readonly anomalyCounts: Readonly<Partial<Record<AnomalyType, number>>>;
  /** Liveness over the counted runs: failures by name, time to quiescence. */
  readonly settle: SettleSummary;
}

/** Counts results in seed order; without --all it stops counting after the first failure. */
class InOrderTally {
  runs = 0;
  readonly failingSeeds: number[] = [];
  private readonly seen = new Map<AnomalyType, number>();
  private readonly settle = new SettleTally();
  private readonly pending = new Map<number, RunResult>();
  private next = 0;
  private closed = false;

  constructor(private readonly all: boolean) {}

  add(index: number, result: RunResult): void {
    this.pending.set(index, result);
    for (let r = this.pending.get(this.next); r !== undefined; r = this.pending.get(this.next)) {
      this.pending.delete(this.next++);
      if (!this.closed) this.count(r);
    }
  }

  private count(result: RunResult): void {
    this.runs++;
    for (const report of result.anomalies) this.seen.set(report.type, (this.seen.get(report.type) ?? 0) + 1);
    this.settle.add(result);
    if (!isFailure(result)) return;
    this.failingSeeds.push(result.seed);
    if (!this.all) this.closed = true;
  }

  outcome(): SearchOutcome {
    const anomalyCounts: Partial<Record<AnomalyType, number>> = {};
    for (const type of ANOMALY_TYPES) {
      const count = this.seen.get(type);
      if (count !== undefined) anomalyCounts[type] = count;
    }
    return { runs: this.runs, failingSeeds: this.failingSeeds, anomalyCounts, settle: this.settle.summary() };
  }
}

function* indexed(seeds: Iterable<number>): Generator<{ index: number; seed: number }> {
  let index = 0;
  for (const seed of seeds) yield { index: index++, seed };
}

export async function searchInParallel(pool: SeedPool, input: SearchInput, progress: Progress): Promise<SearchOutcome> {
  const tally = new InOrderTally(input.all);
  await pool.runAll(
    indexed(input.seeds),
    ({ seed }) => pool.run({ raw: input.raw, source: input.source, seed, latencies: false }, input.scenarioName),
    ({ index }, run) => {
      tally.add(index, run.result);
      progress.tick();
      return !input.all && isFailure(run.result) ? 'stop' : 'continue';
    },
  );
  progress.done();
  return tally.outcome();
}
