// One explore row: the runs of one combination of settings, summed into counts and shares.
import type { AnomalyType } from '../../properties/anomaly.js';
import { ANOMALY_TYPES } from '../../properties/anomaly.js';
import type { SeedRun } from '../pool.js';
import { summarizeSettle, type SettleSummary } from '../settle-summary.js';
import { mergeInto, quantileMs } from './latency.js';

export interface ExploreRow {
  /** `key=value …` in the order the varies were given. */
  readonly label: string;
  /** The varied settings of this row, key as the user wrote it. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly runs: number;
  /** Runs that failed: an anomaly or a liveness failure the scenario does not allow. */
  readonly failingRuns: number;
  /** Runs showing each anomaly type, keyed in type order; types never seen are left out. */
  readonly anomalyRuns: Readonly<Partial<Record<AnomalyType, number>>>;
  /** Acknowledged writes lost: the sum of lost-write counts. */
  readonly lostWrites: number;
  /** Values stored twice: the sum of duplicate counts. */
  readonly duplicates: number;
  readonly sent: number;
  readonly acked: number;
  /** Sends refused (definite failures, e.g. NOT_ENOUGH_REPLICAS). */
  readonly failed: number;
  readonly unavailableMs: number;
  /** Load-phase time summed over runs: the denominator of unavailableShare. */
  readonly durationMs: number;
  /** unavailableMs / durationMs. */
  readonly unavailableShare: number;
  /** failed / sent. */
  readonly refusedShare: number;
  /** Over every acknowledged send of every run, simulated ms; null when nothing was acked. */
  readonly ackLatencyMs: { readonly p50: number | null; readonly p99: number | null };
  /** fsyncs over every run per acknowledged record (all nodes' disks); null when nothing was acked. */
  readonly fsyncsPerAck: number | null;
  /** Liveness: runs per liveness failure, and the time the settle phase took to reach quiescence. */
  readonly settle: SettleSummary;
}

export interface RowInput {
  readonly label: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly durationMs: number;
  readonly runs: readonly SeedRun[];
}

function countOf(run: SeedRun, type: AnomalyType): number {
  return run.result.anomalies.find((a) => a.type === type)?.count ?? 0;
}

function anomalyRunsOf(runs: readonly SeedRun[]): Partial<Record<AnomalyType, number>> {
  const counts: Partial<Record<AnomalyType, number>> = {};
  for (const type of ANOMALY_TYPES) {
    const n = runs.filter((run) => countOf(run, type) > 0).length;
    if (n > 0) counts[type] = n;
  }
  return counts;
}

const sum = (runs: readonly SeedRun[], f: (run: SeedRun) => number): number => runs.reduce((total, run) => total + f(run), 0);

export function aggregateRow(input: RowInput): ExploreRow {
  const { runs } = input;
  const latencies = new Map<number, number>();
  for (const run of runs) if (run.latencies !== null) mergeInto(latencies, run.latencies);
  const sent = sum(runs, (r) => r.result.stats.sent);
  const failed = sum(runs, (r) => r.result.stats.failed);
  const unavailableMs = sum(runs, (r) => r.result.stats.unavailableMs);
  const durationMs = input.durationMs * runs.length;
  const acked = sum(runs, (r) => r.result.stats.acked);
  return {
    label: input.label, settings: input.settings, runs: runs.length,
    failingRuns: runs.filter((r) => !r.result.ok).length,
    anomalyRuns: anomalyRunsOf(runs),
    lostWrites: sum(runs, (r) => countOf(r, 'lost-write')),
    duplicates: sum(runs, (r) => countOf(r, 'duplicate')),
    sent, acked, failed, unavailableMs, durationMs,
    unavailableShare: durationMs === 0 ? 0 : unavailableMs / durationMs,
    refusedShare: sent === 0 ? 0 : failed / sent,
    ackLatencyMs: { p50: quantileMs(latencies, 0.5), p99: quantileMs(latencies, 0.99) },
    fsyncsPerAck: acked === 0 ? null : sum(runs, (r) => r.result.stats.fsyncs ?? 0) / acked,
    settle: summarizeSettle(runs.map((r) => r.result)),
  };
}
