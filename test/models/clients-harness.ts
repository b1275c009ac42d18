// Helpers for the client tests (producers, consumer groups): run a scenario as a user writes it,
// with a fault script, and read the outcome as the checkers do — from the history and the trace.
import type { HistoryOp } from '../../models/history/history.js';
import type { AnomalyType } from '../../properties/anomaly.js';
import type { RunOutput } from '../../scenario/run.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import type { TraceRecord } from '../../sim/trace-record.js';

export type Raw = Record<string, unknown>;

export function run(raw: Raw, seed = 1): RunOutput {
  return runScenario(parseScenario(raw, 'test'), seed, { recordTrace: true });
}

/** A scenario with a fault script. */
export function scripted(raw: Raw, steps: readonly Raw[]): Raw {
  return { ...raw, faults: { mode: 'script', steps } };
}

export function count(out: RunOutput, type: AnomalyType): number {
  return out.result.anomalies.find((a) => a.type === type)?.count ?? 0;
}

/** The history op type of a kind (commit-ok and commit-fail share one member of the union). */
export type OpOf<K extends HistoryOp['kind']> = HistoryOp extends infer T ? (T extends { readonly kind: infer Kinds } ? (K extends Kinds ? T & { readonly kind: K } : never) : never) : never;

export function ops<K extends HistoryOp['kind']>(out: RunOutput, kind: K, process?: string): OpOf<K>[] {
  return out.history.toArray().filter((op): op is OpOf<K> => op.kind === kind && (process === undefined || op.process === process));
}

export function traced(out: RunOutput, kind: string, node?: string): TraceRecord[] {
  return (out.trace ?? []).filter((r) => r.kind === kind && (node === undefined || r.node === node));
}

/** The offset a commit names for a partition, or -1. */
export function committedOffset(op: Extract<HistoryOp, { kind: 'commit-ok' | 'commit-fail' }>, partition: number): number {
  return op.offsets.find((o) => o.partition === partition)?.offset ?? -1;
}

/**
 * The generation each process op ran under: that of its consumer's latest assign before it (a
 * crash forgets it). Undefined for an op processed with no assignment at all.
 */
export function processGenerations(history: readonly HistoryOp[]): Map<Extract<HistoryOp, { kind: 'process' }>, number | undefined> {
  const current = new Map<string, number>();
  const out = new Map<Extract<HistoryOp, { kind: 'process' }>, number | undefined>();
  for (const op of history) {
    if (op.kind === 'assign') current.set(op.process, op.generation);
    else if (op.kind === 'crash') current.delete(op.process);
    else if (op.kind === 'process') out.set(op, current.get(op.process));
  }
  return out;
}
