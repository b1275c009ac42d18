// Liveness over many runs, for `check` and `explore`: how many runs showed each liveness failure
// (not-settled, nothing-sent, nothing-polled) and how long the settle phase took to reach
// quiescence (docs/settle.md), beside the anomaly counts that are the safety findings.
import type { RunResult } from '../scenario/run.js';
import type { LivenessName } from '../scenario/schema.js';
import { LIVENESS_NAMES } from '../scenario/schema.js';

export interface SettleSummary {
  /** Runs showing each liveness failure (allowed ones too), in LIVENESS_NAMES order; those never seen left out. */
  readonly livenessRuns: Readonly<Partial<Record<LivenessName, number>>>;
  /** Runs that reached quiescence within their cap. */
  readonly quiescentRuns: number;
  /** Over those runs: simulated ms from the end of the load phase to quiescence; null without any. */
  readonly meanSettleMs: number | null;
  readonly maxSettleMs: number | null;
}

export class SettleTally {
  private readonly seen = new Map<LivenessName, number>();
  private quiescent = 0;
  private totalMs = 0;
  private maxMs = 0;

  add(result: RunResult): void {
    for (const report of result.liveness) this.seen.set(report.type, (this.seen.get(report.type) ?? 0) + 1);
    const { quiescentAtMs, startedAtMs } = result.settle;
    if (quiescentAtMs === null) return;
    this.quiescent++;
    this.totalMs += quiescentAtMs - startedAtMs;
    this.maxMs = Math.max(this.maxMs, quiescentAtMs - startedAtMs);
  }

  summary(): SettleSummary {
    const livenessRuns: Partial<Record<LivenessName, number>> = {};
    for (const type of LIVENESS_NAMES) {
      const runs = this.seen.get(type);
      if (runs !== undefined) livenessRuns[type] = runs;
    }
    const some = this.quiescent > 0;
    return {
      livenessRuns, quiescentRuns: this.quiescent,
      meanSettleMs: some ? Math.round(this.totalMs / this.quiescent) : null, maxSettleMs: some ? this.maxMs : null,
    };
  }
}

export function summarizeSettle(results: Iterable<RunResult>): SettleSummary {
  const tally = new SettleTally();
  for (const result of results) tally.add(result);
  return tally.summary();
}

/** `liveness failures (runs): not-settled 2 · settle: quiescent in 197 runs, mean 31.2 s, max 88.2 s` */
export function settleSummaryLine(summary: SettleSummary): string {
  const entries = Object.entries(summary.livenessRuns);
  const failures = entries.length === 0 ? 'liveness failures: none' : `liveness failures (runs): ${entries.map(([type, runs]) => `${type} ${runs}`).join(', ')}`;
  const settle = summary.meanSettleMs === null || summary.maxSettleMs === null
    ? 'no run reached quiescence'
    : `quiescent in ${summary.quiescentRuns} run${summary.quiescentRuns === 1 ? '' : 's'}, ${(summary.meanSettleMs / 1000).toFixed(1)} s after the load on average (max ${(summary.maxSettleMs / 1000).toFixed(1)} s)`;
  return `${failures} · settle: ${settle}`;
}
