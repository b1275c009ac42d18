// The final committed log of each partition: what a user could read after the settle phase, i.e.
// the leader's log below its high watermark (for a log with transactions, as read_committed reads
// it: without control records and without the records of aborted or still open transactions).
// Checkers compare the history against this.
import type { NodeId } from '../sim/env.js';
import type { FinalState, PartitionState, ReplicaState, Value } from '../models/history/history.js';
import { lowerBound } from './_internals/sorted.js';

export interface FinalRecord {
  readonly offset: number;
  readonly value: Value;
}

export interface FinalLog {
  readonly partition: number;
  /** The replica the log was read from; null when the partition has no replica at all. */
  readonly source: NodeId | null;
  /**
   * True when the controller's leader is up and its replica says it leads. When false the log is a
   * fallback (the up replica with the highest HW, else any replica read from disk), so the
   * partition did not settle and its anomalies may be a liveness failure rather than data loss.
   */
  readonly settled: boolean;
  readonly highWatermark: number;
  /** Records below the high watermark, in offset order. */
  readonly records: readonly FinalRecord[];
  /** value → its lowest offset (has, get: a sorted index rather than a Map, see ValueOffsets). */
  readonly firstOffset: ValueOffsetIndex;
  /** value → every offset, only for values at two or more offsets (rare: kept apart to save memory). */
  readonly repeatedOffsets: ReadonlyMap<Value, readonly number[]>;
}

/** What a final log answers about a value: is it there, and its lowest offset. */
export interface ValueOffsetIndex {
  has(value: Value): boolean;
  get(value: Value): number | undefined;
}

/**
 * The values of a log sorted, each with its lowest offset: 16 bytes a record where a Map took about
 * 40, and a long run's final logs hold millions of records. Looked up by binary search.
 */
class ValueOffsets implements ValueOffsetIndex {
  private readonly values: Float64Array;
  private readonly offsets: Float64Array;

  /** `records` in offset order. */
  constructor(records: readonly FinalRecord[]) {
    const n = records.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    // Ties keep offset order (the lowest offset first): the sort is stable on indexes in offset order.
    order.sort((a, b) => records[a]!.value - records[b]!.value || a - b);
    this.values = new Float64Array(n);
    this.offsets = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const record = records[order[i]!]!;
      this.values[i] = record.value;
      this.offsets[i] = record.offset;
    }
  }

  has(value: Value): boolean {
    const i = this.lowerBound(value);
    return i < this.values.length && this.values[i] === value;
  }

  get(value: Value): number | undefined {
    const i = this.lowerBound(value);
    return i < this.values.length && this.values[i] === value ? this.offsets[i] : undefined;
  }

  private lowerBound(value: Value): number {
    const values = this.values;
    let lo = 0;
    let hi = values.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (values[mid]! < value) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** Final logs by partition, in partition order. */
export type FinalLogs = ReadonlyMap<number, FinalLog>;

export function buildFinalLogs(final: FinalState): FinalLogs {
  const replicasOf = new Map<number, ReplicaState[]>();
  for (const r of final.replicas) {
    const list = replicasOf.get(r.partition);
    if (list === undefined) replicasOf.set(r.partition, [r]);
    else list.push(r);
  }
  const stateOf = new Map<number, PartitionState>();
  for (const p of final.partitions) stateOf.set(p.partition, p);
  const partitions = [...new Set([...stateOf.keys(), ...replicasOf.keys()])].sort((a, b) => a - b);
  const logs = new Map<number, FinalLog>();
  for (const partition of partitions) {
    const { replica, settled } = chooseSource(stateOf.get(partition), replicasOf.get(partition) ?? []);
    logs.set(partition, replica === null ? emptyFinalLog(partition) : logFromReplica(replica, settled));
  }
  return logs;
}

/** The final log of a partition; an empty, unsettled one for a partition the final state lacks. */
export function finalLogOf(logs: FinalLogs, partition: number): FinalLog {
  return logs.get(partition) ?? emptyFinalLog(partition);
}

export function hasValue(log: FinalLog, value: Value): boolean {
  return log.firstOffset.has(value);
}

/** Every offset of `value` in the log, ascending; empty when absent. */
export function offsetsOf(log: FinalLog, value: Value): readonly number[] {
  const repeated = log.repeatedOffsets.get(value);
  if (repeated !== undefined) return repeated;
  const first = log.firstOffset.get(value);
  return first === undefined ? [] : [first];
}

/** The records with offsets in [from, to), in offset order. */
export function recordsBetween(log: FinalLog, from: number, to: number): readonly FinalRecord[] {
  const { start, end } = recordIndexRange(log, from, to);
  return log.records.slice(start, end);
}

/** Indexes [start, end) into `log.records` of the offsets in [from, to): counts without copying. */
export function recordIndexRange(log: FinalLog, from: number, to: number): { readonly start: number; readonly end: number } {
  const offsetOf = (r: FinalRecord): number => r.offset;
  const start = lowerBound(log.records, from, offsetOf);
  return { start, end: Math.max(start, lowerBound(log.records, to, offsetOf)) };
}

function emptyFinalLog(partition: number): FinalLog {
  return { partition, source: null, settled: false, highWatermark: 0, records: [], firstOffset: new ValueOffsets([]), repeatedOffsets: new Map() };
}

function chooseSource(
  state: PartitionState | undefined,
  replicas: readonly ReplicaState[],
): { replica: ReplicaState | null; settled: boolean } {
  const leader = state?.leader ?? null;
  const leading = replicas.find((r) => r.node === leader && r.up && r.isLeader);
  if (leading !== undefined) return { replica: leading, settled: true };
  // No settled leader: the best a user could still read is the most advanced live replica; with
  // every broker down, its disk is all that is left.
  const up = replicas.filter((r) => r.up);
  const pool = up.length > 0 ? up : replicas;
  return { replica: pool.slice().sort(mostAdvancedFirst)[0] ?? null, settled: false };
}

/**
 * With transactions, the committed log is what a read_committed reader gets: control records,
 * records of aborted transactions and of transactions still open are no part of it.
 */
function hiddenOffsets(replica: ReplicaState): Set<number> | null {
  const txn = replica.txn;
  if (txn === undefined) return null;
  return new Set([...txn.control, ...txn.aborted, ...txn.open]);
}

function mostAdvancedFirst(a: ReplicaState, b: ReplicaState): number {
  if (a.highWatermark !== b.highWatermark) return b.highWatermark - a.highWatermark;
  if (a.leaderEpoch !== b.leaderEpoch) return b.leaderEpoch - a.leaderEpoch;
  if (a.logEndOffset !== b.logEndOffset) return b.logEndOffset - a.logEndOffset;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

function logFromReplica(replica: ReplicaState, settled: boolean): FinalLog {
  // The replica's own record objects (a FinalRecord with an epoch besides): a long run's final log
  // is millions of records, and a copy of each would double them.
  const records: FinalRecord[] = [];
  let sorted = true;
  const hidden = hiddenOffsets(replica);
  for (const r of replica.records) {
    if (r.offset >= replica.highWatermark) continue;
    if (hidden !== null && hidden.has(r.offset)) continue;
    if (records.length > 0 && r.offset < records[records.length - 1]!.offset) sorted = false;
    records.push(r);
  }
  // The contract says records are in offset order; sort anyway so binary searches stay correct.
  if (!sorted) records.sort((a, b) => a.offset - b.offset);
  const firstOffset = new ValueOffsets(records);
  const repeatedOffsets = new Map<Value, number[]>();
  for (const { offset, value } of records) {
    const first = firstOffset.get(value)!;
    if (first === offset) continue;
    const repeated = repeatedOffsets.get(value);
    if (repeated === undefined) repeatedOffsets.set(value, [first, offset]);
    else repeated.push(offset);
  }
  return {
    partition: replica.partition,
    source: replica.node,
    settled,
    highWatermark: replica.highWatermark,
    records,
    firstOffset,
    repeatedOffsets,
  };
}
