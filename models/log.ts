// One replica's log in memory, with its leader-epoch cache. It mirrors what the broker's disk page
// cache holds: the broker applies a change here only when the disk operation behind it completed.
import type { Env } from '../sim/env.js';
import type { LogRecord, RecordBatch } from './records.js';

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

export class ReplicaLog {
  /** records[i] has offset i (no retention: the log starts at 0). Replaced whole only by load(). */
  records: LogRecord[] = [];
  /** Leader-epoch cache: ascending epochs, non-decreasing start offsets. */
  readonly epochs: EpochEntry[] = [];

  constructor(private readonly env: Env, readonly partition: number) {}

  get logEndOffset(): number {
    return this.records.length;
  }

  lastEpoch(): number {
    const last = this.epochs[this.epochs.length - 1];
    return last === undefined ? -1 : last.epoch;
  }

  /** Appends records that must start at the log end, keeping the epoch cache in step. */
  append(records: readonly LogRecord[]): void {
    // Hot path: test first, build the assertion message only when it fails. A batch's records share
    // its epoch, so the epoch cache is consulted only where the batch changes.
    const log = this.records;
    let batch: RecordBatch | null = null;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (record.offset !== log.length) this.env.assert(false, `p${this.partition}: append offset ${record.offset} is not the log end ${log.length}`);
      if (record.batch !== batch) {
        batch = record.batch;
        const last = this.epochs[this.epochs.length - 1];
        if (last === undefined || last.epoch !== batch.epoch) this.assignEpoch(batch.epoch, record.offset);
      }
      log.push(record);
    }
  }

  /** Records that `epoch` starts at `startOffset`, as a leader does on election and a follower on fetch. */
  assignEpoch(epoch: number, startOffset: number): void {
    const last = this.epochs[this.epochs.length - 1];
    if (last !== undefined && last.epoch === epoch) return;
    this.env.assert(last === undefined || epoch > last.epoch, `p${this.partition}: epoch ${epoch} after ${last?.epoch} goes backwards`);
    this.env.assert(last === undefined || startOffset >= last.startOffset, `p${this.partition}: epoch ${epoch} starts before the previous epoch`);
    this.epochs.push({ epoch, startOffset });
  }

  /** Cuts the log to `offset` records and drops epoch entries that start at or after it. */
  truncateTo(offset: number): void {
    this.env.assert(offset >= 0, `p${this.partition}: truncate to negative offset ${offset}`);
    const end = Math.min(offset, this.records.length);
    this.records.length = end;
    // As Kafka's truncateFromEnd: an entry starting at or after the new end describes no record. Even
    // when no record goes (UnifiedLog.truncateTo): an epoch this replica began as leader but wrote
    // nothing in would otherwise sit above the leader's older records the follower fetches next.
    while (this.epochs.length > 0 && this.epochs[this.epochs.length - 1]!.startOffset >= end) this.epochs.pop();
  }

  /**
   * OffsetsForLeaderEpoch, as the leader answers it (KIP-101/279): the largest epoch ≤ `epoch` in
   * this cache and its end offset (the next epoch's start, or the log end for the latest epoch).
   */
  endOffsetFor(epoch: number): { epoch: number; endOffset: number } {
    let index = -1;
    for (let i = this.epochs.length - 1; i >= 0; i--) {
      if (this.epochs[i]!.epoch <= epoch) { index = i; break; }
    }
    if (index < 0) return { epoch: -1, endOffset: -1 };
    const next = this.epochs[index + 1];
    return { epoch: this.epochs[index]!.epoch, endOffset: next === undefined ? this.logEndOffset : next.startOffset };
  }

  startOffsetOf(epoch: number): number {
    for (const entry of this.epochs) if (entry.epoch === epoch) return entry.startOffset;
    return -1;
  }

  /**
   * Recovery: takes the records a restarted replica's disk kept (offsets from 0, epochs never
   * decreasing) and rebuilds the epoch cache from them plus the checkpointed entries of epochs begun
   * with no record written. Restarts are frequent under faults and a log can hold the whole run, so
   * this is a bulk copy rather than record-by-record appends.
   */
  load(records: readonly LogRecord[], checkpoint: readonly EpochEntry[]): void {
    this.env.assert(this.records.length === 0, `p${this.partition}: load into a non-empty log`);
    const n = records.length;
    // Every record reached the disk through append(), which checked offsets and epochs one by one;
    // here the ends must agree, and the epoch boundaries are found by binary search (epochs never
    // decrease along a log), so a restart touches O(epochs × log n) records, not all of them.
    if (n > 0 && (records[0]!.offset !== 0 || records[n - 1]!.offset !== n - 1)) {
      this.env.assert(false, `p${this.partition}: recovered offsets ${records[0]!.offset}…${records[n - 1]!.offset} for ${n} records`);
    }
    const epochs = this.epochs;
    epochs.length = 0;
    for (let start = 0; start < n;) {
      const epoch = records[start]!.batch.epoch;
      epochs.push({ epoch, startOffset: start });
      let lo = start + 1;
      let hi = n; // the first record of a later epoch lies in [lo, hi]
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (records[mid]!.batch.epoch === epoch) lo = mid + 1;
        else hi = mid;
      }
      if (lo < n && records[lo]!.batch.epoch < epoch) this.env.assert(false, `p${this.partition}: recovered epoch ${records[lo]!.batch.epoch} after ${epoch} goes backwards`);
      start = lo;
    }
    // A fresh literal for an empty log: a slice of the disk's frozen empty array would be holey, and a
    // log stays of the elements kind it starts with through every push.
    this.records = n === 0 ? [] : records.slice();
    // An epoch a leader began but wrote nothing in still counts for the walk.
    const leo = this.logEndOffset;
    for (const entry of checkpoint) {
      if (entry.epoch > this.lastEpoch() && entry.startOffset === leo) epochs.push(entry);
    }
  }
}
