// Idempotent producer state of one partition replica (KAFKA.md "Idempotent producer rules"), as
// Kafka's ProducerStateManager keeps it: per producer id, its epoch, the last five batches' sequence
// ranges and offsets, and the time of its last batch. Every replica keeps it from the batches it
// appends, so it survives leader changes. Snapshots of it go to disk with the log (Kafka's
// .snapshot files, see replica.ts), so a restart loads the latest one and replays only the batches
// after it; producers idle for producer.id.expiration.ms are forgotten.
import type { RecordBatch } from './records.js';
import { markerOf } from '../transactions/txn-records.js';

export const CACHED_BATCHES = 5;

interface BatchMeta {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: number;
}

interface ProducerEntry {
  readonly producerId: number;
  epoch: number;
  readonly batches: BatchMeta[];
  /** Append time of its latest batch (Kafka's lastTimestamp): expiry counts from it. */
  lastTimestampUs: number;
  /** Offset of the first record of its open transaction here (currentTxnFirstOffset); absent or -1: none. */
  currentTxnFirstOffset?: number;
  /** Offset of the last marker that ended one of its transactions here; absent or -1: none. */
  markerOffset?: number;
}

/** One aborted transaction of a partition (Kafka's AbortedTxn in the .txnindex): its records lie in [firstOffset, lastOffset]. */
export interface AbortedTxn {
  readonly producerId: number;
  readonly firstOffset: number;
  /** The abort marker's offset. */
  readonly lastOffset: number;
}

/** The state as of `offset` (every batch below it observed, none at or above it): one .snapshot file. */
export interface ProducerSnapshot {
  readonly offset: number;
  readonly producers: readonly Readonly<ProducerEntry>[];
  /** The aborted-transaction index below `offset` (Kafka keeps it in .txnindex files beside the segments); absent: none. */
  readonly aborted?: readonly AbortedTxn[];
}

export type SequenceCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: number }
  | { readonly kind: 'error'; readonly error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' };

export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();
  /** A transactional batch or a marker was ever observed (the last stable offset is then traced). */
  hasTransactions = false;
  /** The aborted-transaction index, in marker order. */
  private aborted: AbortedTxn[] = [];
  /** Producers with a transaction open here, by the offset it began at (ongoingTxns). */
  private readonly ongoing = new Map<number, number>();

  get size(): number {
    return this.producers.size;
  }

  /**
   * Decides what to do with an incoming batch, before it is appended (UnifiedLog's duplicate check,
   * then ProducerAppendInfo.checkProducerEpoch and checkSequence). A producer the replica has no
   * state for (never seen, expired, or lost with the log) may write at any sequence (Kafka ≥ 2.5).
   */
  check(producerId: number, epoch: number, firstSequence: number, count: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    if (entry === undefined) return { kind: 'append' };
    if (epoch < entry.epoch) return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH' };
    // A new epoch starts at sequence 0.
    if (epoch > entry.epoch) return firstSequence === 0 ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
    const lastSequence = firstSequence + count - 1;
    for (const batch of entry.batches) {
      if (batch.firstSequence === firstSequence && batch.lastSequence === lastSequence) {
        return { kind: 'duplicate', baseOffset: batch.baseOffset };
      }
    }
    const last = entry.batches[entry.batches.length - 1];
    if (last !== undefined && firstSequence !== last.lastSequence + 1) {
      return { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
    }
    return { kind: 'append' };
  }

  /** Learns from batches as they are appended (leader or follower): each carries its sequence range. */
  observe(batches: readonly RecordBatch[], from = 0): void {
    for (let i = from; i < batches.length; i++) this.observeBatch(batches[i]!);
  }

  observeBatch(batch: RecordBatch): void {
    const producerId = batch.producerId;
    if (producerId < 0) {
      if (batch.payloads !== null) this.observeMarker(batch);
      return;
    }
    let entry = this.producers.get(producerId);
    if (entry === undefined || batch.producerEpoch > entry.epoch) {
      const previous = entry;
      entry = { producerId, epoch: batch.producerEpoch, batches: [], lastTimestampUs: batch.appendTimeUs };
      // A new epoch keeps an open transaction (ProducerStateEntry keeps currentTxnFirstOffset): only a
      // marker ends it, so records written after a marker that came too early wait for the next one.
      if (previous?.currentTxnFirstOffset !== undefined) entry.currentTxnFirstOffset = previous.currentTxnFirstOffset;
      if (previous?.markerOffset !== undefined) entry.markerOffset = previous.markerOffset;
      this.producers.set(producerId, entry);
    }
    entry.batches.push({ firstSequence: batch.baseSequence, lastSequence: batch.lastSequence, baseOffset: batch.baseOffset });
    if (entry.batches.length > CACHED_BATCHES) entry.batches.shift();
    entry.lastTimestampUs = Math.max(entry.lastTimestampUs, batch.appendTimeUs);
    if (batch.transactional === true) this.hasTransactions = true;
    if (batch.transactional === true && (entry.currentTxnFirstOffset ?? -1) < 0) {
      entry.currentTxnFirstOffset = batch.baseOffset;
      this.ongoing.set(producerId, batch.baseOffset);
    }
  }

  /**
   * A control batch (ProducerAppendInfo.appendEndTxnMarker): the producer's open transaction here
   * ends; an abort enters the aborted-transaction index. A marker of a newer epoch (KIP-890's bump,
   * or a fence) moves the producer to it, so a batch of the older epoch is fenced from now on.
   */
  private observeMarker(batch: RecordBatch): void {
    const marker = markerOf(batch);
    if (marker === undefined) return;
    this.hasTransactions = true;
    const { producerId, producerEpoch } = marker;
    let entry = this.producers.get(producerId);
    if (entry === undefined || producerEpoch > entry.epoch) {
      entry = { producerId, epoch: producerEpoch, batches: [], lastTimestampUs: batch.appendTimeUs };
      this.producers.set(producerId, entry);
    }
    const first = this.ongoing.get(producerId);
    if (first !== undefined && !marker.commit) this.aborted.push({ producerId, firstOffset: first, lastOffset: batch.baseOffset });
    this.ongoing.delete(producerId);
    entry.currentTxnFirstOffset = -1;
    entry.markerOffset = batch.baseOffset;
    entry.lastTimestampUs = Math.max(entry.lastTimestampUs, batch.appendTimeUs);
  }

  /** The producer's epoch here, or undefined when the replica has no state for it. */
  epochOf(producerId: number): number | undefined {
    return this.producers.get(producerId)?.epoch;
  }

  /** The first offset of the earliest open transaction (firstUnstableOffset), or null when none is open. */
  firstUnstableOffset(): number | null {
    let first: number | null = null;
    for (const offset of this.ongoing.values()) if (first === null || offset < first) first = offset;
    return first;
  }

  /** Aborted transactions that overlap [from, to) (collectAbortedTxns), for a read_committed fetch. */
  abortedTxns(from: number, to: number): AbortedTxn[] {
    const out: AbortedTxn[] = [];
    for (const txn of this.aborted) if (txn.lastOffset >= from && txn.firstOffset < to) out.push(txn);
    return out;
  }

  /** Starts over from a snapshot (or from nothing), for a restart or a truncation; the caller replays the batches after it. */
  load(snapshot: ProducerSnapshot | null): void {
    this.producers.clear();
    this.ongoing.clear();
    this.aborted = [];
    if (snapshot === null) return;
    for (const entry of snapshot.producers) {
      this.producers.set(entry.producerId, { ...entry, batches: [...entry.batches] });
      const first = entry.currentTxnFirstOffset ?? -1;
      if (first >= 0) this.ongoing.set(entry.producerId, first);
    }
    if (snapshot.aborted !== undefined) this.aborted = [...snapshot.aborted];
  }

  /**
   * ProducerStateManager.takeSnapshot: the state as of `offset`. A leader records batches when it
   * accepts them, before their disk writes complete, so batches at or above `offset` are left out.
   */
  snapshot(offset: number): ProducerSnapshot {
    const producers: ProducerEntry[] = [];
    for (const entry of this.producers.values()) {
      const batches = entry.batches.filter((b) => b.baseOffset < offset);
      if (entry.markerOffset === undefined && entry.currentTxnFirstOffset === undefined) {
        if (batches.length > 0) producers.push({ ...entry, batches });
        continue;
      }
      // A transactional producer: its open transaction and its last marker count only below `offset`.
      const txnFirst = entry.currentTxnFirstOffset ?? -1;
      const markerOffset = entry.markerOffset ?? -1;
      if (batches.length > 0 || (markerOffset >= 0 && markerOffset < offset)) {
        producers.push({ ...entry, batches, currentTxnFirstOffset: txnFirst < offset ? txnFirst : -1, markerOffset: markerOffset < offset ? markerOffset : -1 });
      }
    }
    if (this.aborted.length === 0) return { offset, producers };
    return { offset, producers, aborted: this.aborted.filter((t) => t.lastOffset < offset) };
  }

  /** ProducerStateManager.removeExpiredProducers: producers whose last batch is `expirationUs` old. Returns how many. */
  removeExpired(nowUs: number, expirationUs: number): number {
    let removed = 0;
    for (const [id, entry] of [...this.producers]) {
      if (nowUs - entry.lastTimestampUs < expirationUs) continue;
      // isProducerExpired: never while a transaction of it is open.
      if ((entry.currentTxnFirstOffset ?? -1) >= 0) continue;
      this.producers.delete(id);
      removed++;
    }
    return removed;
  }
}
