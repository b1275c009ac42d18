// Reading replica logs at the end of a run: record lookup by offset, and which replicas still hold
// a value (evidence for a case: "lost from the leader, still on b3 above its HW").
import type { FinalState, ReplicaState, Value } from '../../models/history/history.js';
import type { Json } from '../anomaly.js';
import { lowerBound } from './sorted.js';

export type ReplicaRecord = ReplicaState['records'][number];

/** The record at `offset`, or undefined. O(1) for a contiguous log, O(log n) otherwise. */
export function recordAt(replica: ReplicaState, offset: number): ReplicaRecord | undefined {
  const direct = replica.records[offset - replica.logStartOffset];
  if (direct !== undefined && direct.offset === offset) return direct;
  const i = lowerBound(replica.records, offset, (r) => r.offset);
  const found = replica.records[i];
  return found !== undefined && found.offset === offset ? found : undefined;
}

/** Replicas of `partition`, in node order. */
export function replicasOf(final: FinalState, partition: number): ReplicaState[] {
  return final.replicas
    .filter((r) => r.partition === partition)
    .sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
}

/** Every replica of `partition` holding `value`, with where and whether it counts as committed there. */
export function replicasHolding(final: FinalState, partition: number, value: Value): Json[] {
  const holders: Json[] = [];
  for (const replica of replicasOf(final, partition)) {
    const record = replica.records.find((r) => r.value === value);
    if (record === undefined) continue;
    holders.push({
      node: replica.node,
      up: replica.up,
      offset: record.offset,
      epoch: record.epoch,
      belowHighWatermark: record.offset < replica.highWatermark,
    });
  }
  return holders;
}
