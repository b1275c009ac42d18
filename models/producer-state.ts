// Idempotent producer state of one partition replica (KAFKA.md "Idempotent producer rules"): per
// producer id, its epoch and the last five batches' sequence ranges and offsets. Every replica keeps
// it from the batches it appends, so it survives leader changes; a restart rebuilds it from the log.
import type { RecordBatch } from './records.js';

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

  /** Learns from batches as they are appended (leader or follower): each carries its sequence range. */
  observe(batches: readonly RecordBatch[]): void {
    for (let i = 0; i < batches.length; i++) this.observeBatch(batches[i]!);
  }

  observeBatch(batch: RecordBatch): void {
    if (batch.producerId < 0) return;
    this.remember(batch.producerId, batch.producerEpoch, { firstSequence: batch.baseSequence, lastSequence: batch.lastSequence, baseOffset: batch.baseOffset });
  }

  /** After truncation or on restart: start again from the log. */
  rebuild(batches: readonly RecordBatch[]): void {
    this.producers.clear();
    this.observe(batches);
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
