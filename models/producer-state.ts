// Idempotent producer state of one partition replica (KAFKA.md "Idempotent producer rules"): per
// producer id, its epoch and the last five batches' sequence ranges and offsets. Every replica keeps
// it from the records it appends, so it survives leader changes; a restart rebuilds it from the log.
import type { LogRecord } from './records.js';
import { sequenceOf } from './records.js';

export const CACHED_BATCHES = 5;

interface BatchMeta {
  readonly firstSequence: number;
  readonly lastSequence: number;
  readonly baseOffset: number;
}

interface ProducerEntry {
  epoch: number;
  readonly batches: BatchMeta[];
}

export type SequenceCheck =
  | { readonly kind: 'append' }
  | { readonly kind: 'duplicate'; readonly baseOffset: number }
  | { readonly kind: 'error'; readonly error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' | 'INVALID_PRODUCER_EPOCH' };

export class ProducerStateTable {
  private readonly producers = new Map<number, ProducerEntry>();

  /** Decides what to do with an incoming batch, before it is appended. */
  check(producerId: number, epoch: number, firstSequence: number, count: number): SequenceCheck {
    const entry = this.producers.get(producerId);
    const lastSequence = firstSequence + count - 1;
    if (entry === undefined || epoch > entry.epoch) {
      // A new producer, or a new epoch of one, starts at sequence 0.
      return firstSequence === 0 ? { kind: 'append' } : { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' };
    }
    if (epoch < entry.epoch) return { kind: 'error', error: 'INVALID_PRODUCER_EPOCH' };
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

  /**
   * Learns from records as they are appended (leader or follower): batch ends carry the range. A
   * batch's records normally sit together, so this walks runs of consecutive records that share
   * one RecordBatch (per record only a pointer comparison) and treats each run as the per-record
   * walk did: a batch cut by a fetch or a truncation is remembered from where its last run began.
   */
  observe(records: readonly LogRecord[]): void {
    let batchStart: LogRecord | undefined;
    const n = records.length;
    for (let i = 0; i < n;) {
      const first = records[i]!;
      const batch = first.batch;
      let j = i + 1;
      while (j < n && records[j]!.batch === batch) j++;
      const last = records[j - 1]!;
      i = j;
      const producerId = batch.producerId;
      if (producerId < 0) continue;
      if (batchStart === undefined || batchStart.batch.producerId !== producerId) batchStart = first;
      // The batch's last record closes it (a fetch may have cut the batch before it).
      if (last.offset - batch.baseOffset !== batch.lastSequence - batch.baseSequence) continue;
      this.remember(producerId, batch.producerEpoch, {
        firstSequence: sequenceOf(batchStart), lastSequence: batch.lastSequence, baseOffset: batchStart.offset,
      });
      batchStart = undefined;
    }
  }

  /** After truncation or on restart: start again from the log. */
  rebuild(records: readonly LogRecord[]): void {
    this.producers.clear();
    this.observe(records);
  }

  private remember(producerId: number, epoch: number, batch: BatchMeta): void {
    let entry = this.producers.get(producerId);
    if (entry === undefined || epoch > entry.epoch) {
      entry = { epoch, batches: [] };
      this.producers.set(producerId, entry);
    }
    entry.batches.push(batch);
    if (entry.batches.length > CACHED_BATCHES) entry.batches.shift();
  }
}
