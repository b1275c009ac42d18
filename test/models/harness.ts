// Helpers for scripted model tests: run a scenario (raw JSON, as a user writes it) with a fault
// script and read the outcome the way the checkers do — from the history and the final state.
import type { HistoryOp } from '../../models/history/history.js';
import { checkRun } from '../../properties/check.js';
import type { AnomalyType } from '../../properties/anomaly.js';
import type { RunOutput } from '../../scenario/run.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import type { TraceRecord } from '../../sim/trace-record.js';

export function run(raw: Record<string, unknown>, seed = 1): RunOutput {
  return runScenario(parseScenario(raw, 'test'), seed, { recordTrace: true });
}

/** A scenario with a fault script and no consumers unless given. */
export function scripted(raw: Record<string, unknown>, steps: readonly Record<string, unknown>[]): Record<string, unknown> {
  return { consumers: [], ...raw, faults: { mode: 'script', steps } };
}

export function records(out: RunOutput, kind: string, node?: string): TraceRecord[] {
  return (out.trace ?? []).filter((r) => r.kind === kind && (node === undefined || r.node === node));
}

export function anomalyTypes(out: RunOutput): AnomalyType[] {
  return out.result.anomalies.map((a) => a.type);
}

export function count(out: RunOutput, type: AnomalyType): number {
  return out.result.anomalies.find((a) => a.type === type)?.count ?? 0;
}

export function ops<K extends HistoryOp['kind']>(out: RunOutput, kind: K): Extract<HistoryOp, { kind: K }>[] {
  return out.history.toArray().filter((op): op is Extract<HistoryOp, { kind: K }> => op.kind === kind);
}

/** Every replica's log identical below the smallest HW, and every acked value in the final log. */
export function safetyHolds(out: RunOutput): boolean {
  const outcome = checkRun(out.history, out.final, { consumers: false });
  return !outcome.anomalies.some((a) => ['lost-write', 'log-divergence', 'committed-record-lost', 'duplicate'].includes(a.type));
}
