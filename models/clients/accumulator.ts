// The producer's record accumulator, as Kafka's RecordAccumulator, ProducerBatch and BufferPool
// (clients/producer/internals): a deque of batches per partition. A record joins its partition's
// last batch while that has room (RecordAccumulator.tryAppend; batch.size in bytes); linger.ms only
// decides when the first batch of a deque becomes sendable (RecordAccumulator.batchReady: it is full,
// or has lingered, or more batches wait behind it, or senders are blocked on memory). While the
// Sender cannot send (in-flight limit, no leader, a partition cut off), batches keep filling, so a
// backlog leaves in full batches. Every batch holds batch.size bytes of buffer.memory until it
// completes (BufferPool.allocate takes max(batch.size, record size)); a send that finds no memory
// waits up to max.block.ms.
//
// Where ksim differs: a batch counts as full once the next record would not fit (Kafka closes it
// when that record arrives); blocked sends are served first in, first out, and a send arriving while
// others wait queues behind them (Kafka's waiting threads race new ones to a batch with room).
import type { Value } from '../history/history.js';
import type { Arrivals } from './arrivals.js';
import { ReadyQueue } from './ready-queue.js';
import { BATCH_HEADER_BYTES, batchBytes, recordBytes } from '../replication/records.js';

export interface ProducerBatch {
  readonly partition: number;
  /** The records' values; grows while the batch is open, exact-size once closed. */
  values: Value[];
  readonly createdUs: number;
  /** Kafka's lastAttemptMs: creation, then each reenqueue (the retry backoff counts from it). */
  lastAttemptUs: number;
  /** Reenqueues so far (ProducerBatch.attempts): 0 until the first retry. */
  attempts: number;
  /** No more appends: drained once, or full (closeForRecordAppends). */
  closed: boolean;
  /** Sequence of the first record once assigned (idempotence), else -1. */
  baseSequence: number;
  producerEpoch: number;
  /** The sequence was rewritten after an epoch bump (ProducerBatch.sequenceHasBeenReset). */
  sequenceReset: boolean;
  /** Some attempt may have been appended: a final failure is then only "unknown". */
  maybeWritten: boolean;
  /** The last error a broker (or a timeout) gave the batch: the cause when it finally fails. */
  lastError: string | null;
  /** Id of the request carrying it, or -1 while it is in the accumulator. */
  requestId: number;
  /** Completed, failed or expired: a late answer for it is ignored. */
  done: boolean;
}

/** A send() blocked in BufferPool.allocate: its value and since when it waits. */
export interface BlockedSend {
  readonly partition: number;
  readonly value: Value;
  readonly sinceUs: number;
}

export interface AccumulatorConfig {
  readonly partitions: number;
  readonly batchSize: number;
  readonly valueBytes: number;
  readonly bufferMemory: number;
  readonly lingerUs: number;
  readonly retryBackoffUs: number;
}

export class RecordAccumulator {
  readonly deques: ReadyQueue<ProducerBatch>[];
  /** Records a batch holds at most: batch.size over the record size, at least one. */
  readonly batchLimit: number;
  private readonly bufferBytes: number;
  private availableMemory: number;
  /** BufferPool's waiters, oldest first. */
  private blocked = new ReadyQueue<BlockedSend>();

  constructor(private readonly config: AccumulatorConfig) {
    this.deques = Array.from({ length: config.partitions }, () => new ReadyQueue<ProducerBatch>());
    this.batchLimit = Math.max(1, Math.floor((config.batchSize - BATCH_HEADER_BYTES) / recordBytes(config.valueBytes)));
    this.bufferBytes = Math.max(config.batchSize, batchBytes(1, config.valueBytes));
    this.availableMemory = config.bufferMemory;
  }

  /** Senders wait for memory (BufferPool.queued() > 0): every first batch is then sendable. */
  get exhausted(): boolean {
    return this.blocked.length > 0;
  }

  /** Sends waiting for memory. */
  get blockedSends(): number {
    return this.blocked.length;
  }

  /** RecordAccumulator.append: into the last batch if it has room, else a new batch if memory allows, else wait. */
  append(partition: number, value: Value, t: number): void {
    if (this.blocked.length > 0 || !this.tryAppend(partition, value, t)) this.blocked.push({ partition, value, sinceUs: t });
  }

  private tryAppend(partition: number, value: Value, t: number): boolean {
    const deque = this.deques[partition]!;
    const last = deque.at(deque.length - 1);
    if (last !== undefined && !last.closed) {
      last.values.push(value);
      if (last.values.length >= this.batchLimit) this.close(last);
      return true;
    }
    if (this.availableMemory < this.bufferBytes) return false;
    this.availableMemory -= this.bufferBytes;
    const batch: ProducerBatch = {
      partition, values: [value], createdUs: t, lastAttemptUs: t, attempts: 0, closed: false,
      baseSequence: -1, producerEpoch: -1, sequenceReset: false, maybeWritten: false, lastError: null, requestId: -1, done: false,
    };
    deque.push(batch);
    if (this.batchLimit === 1) this.close(batch);
    return true;
  }

  /**
   * No more records: the values array grew by pushing; a closed batch may wait a long time (a
   * partition without a leader keeps thousands) and its values travel on in requests: keep only
   * what it holds.
   */
  close(batch: ProducerBatch): void {
    if (batch.closed) return;
    batch.closed = true;
    batch.values = batch.values.slice();
  }

  /** BufferPool.deallocate: a completed batch's memory goes to the blocked sends first, in order. */
  deallocate(batch: ProducerBatch, now: number): void {
    this.availableMemory += this.bufferBytes;
    while (this.blocked.length > 0) {
      const send = this.blocked.at(0)!;
      if (!this.tryAppend(send.partition, send.value, now)) break;
      this.blocked.shift();
    }
  }

  /** Blocked sends that waited max.block.ms by `now` leave the queue (they fail). */
  expireBlocked(now: number, maxBlockUs: number, onExpired: (send: BlockedSend) => void): void {
    while (this.blocked.length > 0 && this.blocked.at(0)!.sinceUs + maxBlockUs <= now) onExpired(this.blocked.shift()!);
  }

  /** When the oldest blocked send fails unless memory comes first; Infinity when none waits. */
  nextBlockedDeadline(maxBlockUs: number): number {
    const first = this.blocked.at(0);
    return first === undefined ? Infinity : first.sinceUs + maxBlockUs;
  }

  /** The first batch waits out its retry backoff (RecordAccumulator.shouldBackoff). */
  backingOff(batch: ProducerBatch, now: number): boolean {
    return batch.attempts > 0 && now - batch.lastAttemptUs < this.config.retryBackoffUs;
  }

  /**
   * When partition p's first batch becomes sendable (RecordAccumulator.batchReady), given the
   * arrivals still to come from value `next` on and no other event: at or before `now` if it is
   * already; Infinity if only an event (memory, an answer) can make it so.
   */
  sendableAt(p: number, arrivals: Arrivals, next: number): number {
    const deque = this.deques[p]!;
    const head = deque.at(0);
    if (head === undefined) return this.exhausted ? Infinity : arrivals.sendableAt(p, next, 0, 0, this.config.lingerUs);
    if (head.attempts > 0) return head.lastAttemptUs + this.config.retryBackoffUs;
    if (deque.length > 1 || head.closed || this.exhausted) return head.createdUs;
    return arrivals.sendableAt(p, next, head.createdUs, head.values.length, this.config.lingerUs);
  }

  /**
   * RecordAccumulator.reenqueue: a batch to retry goes back to the front, or with idempotence in
   * sequence order behind the retries before it (insertInSequenceOrder).
   */
  reenqueue(batch: ProducerBatch, now: number, bySequence: boolean): void {
    batch.attempts++;
    batch.lastAttemptUs = now;
    batch.requestId = -1;
    const deque = this.deques[batch.partition]!;
    let index = 0;
    if (bySequence) {
      while (index < deque.length && deque.at(index)!.baseSequence >= 0 && deque.at(index)!.baseSequence < batch.baseSequence) index++;
    }
    deque.insert(index, batch);
  }
}
