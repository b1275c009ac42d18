// One replica's log in memory, batch by batch, with its leader-epoch cache. It mirrors what the
// broker's disk page cache holds: the broker applies a change here only when the disk operation
// behind it completed.
import type { Env } from '../../sim/env.js';
import type { LogRecord, RecordBatch } from './records.js';
import { endOffsetOf, expandAll } from './records.js';

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

export class ReplicaLog {
  /** The log's batches, contiguous from offset 0 (no retention). Replaced whole only by load(). */
  batches: RecordBatch[] = [];
  /** Leader-epoch cache: ascending epochs, non-decreasing start offsets. */
  readonly epochs: EpochEntry[] = [];
  private end = 0;

  /**
   * `epochsMayRegress`: before KIP-101 (protocol.truncation high-watermark) a follower truncates to
   * its own high watermark, so after a divergence it can keep records of a newer leader epoch below
   * those of an older one it fetches next (anomaly 5). Kafka then had no epochs in its log format
   * and no epoch cache; here batches keep their epoch for the history, and the cache, which in that
   * mode decides no truncation and no consumer's position check, skips a batch of an older epoch
   * instead of asserting.
   */
  constructor(private readonly env: Env, readonly partition: number, private readonly epochsMayRegress = false) {}

  get logEndOffset(): number {
    return this.end;
  }

  /**
   * Every record, expanded from the batches: for a reader that needs them all one by one (the group
   * coordinator loading its groups). Costs a record object each: not for the hot path.
   */
  expandRecords(): LogRecord[] {
    return expandAll(this.partition, this.batches);
  }

  lastEpoch(): number {
    const last = this.epochs[this.epochs.length - 1];
    return last === undefined ? -1 : last.epoch;
  }

  /** Appends batches that must start at the log end, keeping the epoch cache in step. */
  append(batches: readonly RecordBatch[]): void {
    const log = this.batches;
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i]!;
      // Hot path: test first, build the assertion message only when it fails.
      if (batch.baseOffset !== this.end) this.env.assert(false, `p${this.partition}: append at offset ${batch.baseOffset}, not at the log end ${this.end}`);
      if (batch.values.length === 0) this.env.assert(false, `p${this.partition}: empty batch at ${batch.baseOffset}`);
      const last = this.epochs[this.epochs.length - 1];
      if (last === undefined || (last.epoch !== batch.epoch && !(this.epochsMayRegress && batch.epoch < last.epoch))) {
        this.assignEpoch(batch.epoch, batch.baseOffset);
      }
      log.push(batch);
      this.end += batch.values.length;
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

  /** How many batches truncating to `offset` keeps: those that end at or before it (Kafka cuts at a batch boundary). */
  batchesBelow(offset: number): number {
    const batches = this.batches;
    let lo = 0;
    let hi = batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (endOffsetOf(batches[mid]!) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Cuts the log to the batches wholly below `offset` (a batch holding `offset` goes whole, as in
   * Kafka's LogSegment.truncateTo) and drops epoch entries that start at or after the new end.
   * Returns the new log end.
   */
  truncateTo(offset: number): number {
    this.env.assert(offset >= 0, `p${this.partition}: truncate to negative offset ${offset}`);
    const keep = this.batchesBelow(offset);
    this.batches.length = keep;
    const last = this.batches[keep - 1];
    this.end = last === undefined ? 0 : endOffsetOf(last);
    // As Kafka's truncateFromEnd: an entry starting at or after the new end describes no record. Even
    // when no record goes (UnifiedLog.truncateTo): an epoch this replica began as leader but wrote
    // nothing in would otherwise sit above the leader's older records the follower fetches next.
    while (this.epochs.length > 0 && this.epochs[this.epochs.length - 1]!.startOffset >= this.end) this.epochs.pop();
    return this.end;
  }

  /** Index of the batch holding `offset` (offset < log end): the first batch that ends past it. */
  batchIndexOf(offset: number): number {
    return this.batchesBelow(offset);
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
   * Recovery: takes the batches a restarted replica's disk kept (contiguous from offset 0, epochs
   * never decreasing) and rebuilds the epoch cache from them plus the checkpointed entries of epochs
   * begun with no record written. A walk over batches, not records.
   */
  load(batches: readonly RecordBatch[], checkpoint: readonly EpochEntry[]): void {
    this.env.assert(this.batches.length === 0 && this.end === 0, `p${this.partition}: load into a non-empty log`);
    const epochs = this.epochs;
    epochs.length = 0;
    let end = 0;
    for (let i = 0; i < batches.length; i++) {
      const batch = batches[i]!;
      if (batch.baseOffset !== end) this.env.assert(false, `p${this.partition}: recovered batch at offset ${batch.baseOffset} where ${end} was expected`);
      const last = epochs[epochs.length - 1];
      if (last === undefined || last.epoch !== batch.epoch) {
        const regresses = last !== undefined && batch.epoch < last.epoch;
        if (regresses && !this.epochsMayRegress) this.env.assert(false, `p${this.partition}: recovered epoch ${batch.epoch} after ${last.epoch} goes backwards`);
        if (!regresses) epochs.push({ epoch: batch.epoch, startOffset: end });
      }
      end += batch.values.length;
    }
    // A fresh literal for an empty log: a slice of the disk's frozen empty array would be holey, and a
    // log stays of the elements kind it starts with through every push.
    this.batches = batches.length === 0 ? [] : batches.slice();
    this.end = end;
    // An epoch a leader began but wrote nothing in still counts for the walk.
    for (const entry of checkpoint) {
      if (entry.epoch > this.lastEpoch() && entry.startOffset === end) epochs.push(entry);
    }
  }
}
