// Ack latencies pooled over many runs: each run sends a log-bucketed histogram (a few hundred
// numbers at most), so an explore row's p50/p99 are percentiles over every acknowledged send of
// every run, not an average of per-run percentiles. Buckets are 1% wide.
import type { History } from '../../models/history/history-log.js';

/** [bucket, count] pairs; bucket b holds latencies up to RATIO^b µs. */
export type LatencyHistogram = readonly (readonly [number, number])[];

const RATIO = 1.01;
const LOG_RATIO = Math.log(RATIO);

function bucketOf(latencyUs: number): number {
  return latencyUs <= 1 ? 0 : Math.ceil(Math.log(latencyUs) / LOG_RATIO);
}

/** Latency of every acknowledged send (send-invoke to send-ok), as run stats define it. */
export function latencyHistogram(history: History): LatencyHistogram {
  const invoked = new Map<number, number>();
  const buckets = new Map<number, number>();
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-invoke') invoked.set(history.value(i), history.time(i));
    else if (kind === 'send-ok') {
      const start = invoked.get(history.value(i));
      if (start === undefined) continue;
      const bucket = bucketOf(history.time(i) - start);
      buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
    }
  }
  return [...buckets.entries()].sort((a, b) => a[0] - b[0]);
}

/** Adds one run's histogram into a running total. */
export function mergeInto(total: Map<number, number>, histogram: LatencyHistogram): void {
  for (const [bucket, count] of histogram) total.set(bucket, (total.get(bucket) ?? 0) + count);
}

/** The q-quantile (0…1) in milliseconds, or null when nothing was acknowledged. */
export function quantileMs(total: ReadonlyMap<number, number>, q: number): number | null {
  const buckets = [...total.entries()].sort((a, b) => a[0] - b[0]);
  const count = buckets.reduce((sum, [, n]) => sum + n, 0);
  if (count === 0) return null;
  const rank = Math.min(count - 1, Math.floor(q * count));
  let seen = 0;
  for (const [bucket, n] of buckets) {
    seen += n;
    if (seen > rank) return Math.round(RATIO ** bucket / 10) / 100;
  }
  return null;
}
