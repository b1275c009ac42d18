// Log batches for unit tests, built as the leader builds them.
import type { InternalPayload } from '../../models/transactions/txn-records.js';
import type { LogRecord, RecordBatch } from '../../models/replication/records.js';
import { batchBytes } from '../../models/replication/records.js';

/** An idempotent producer's fields of a batch: its id, epoch and first sequence. */
export interface ProducerFields {
  readonly id: number;
  readonly epoch: number;
  readonly baseSequence: number;
}

/** A batch of `count` records at `baseOffset` with values 1000 + offset (or the values given). */
export function logBatch(
  baseOffset: number, epoch: number, count = 1, producer: ProducerFields | null = null,
  payloads: readonly InternalPayload[] | null = null, values?: readonly number[],
): RecordBatch {
  return {
    baseOffset, epoch,
    producerId: producer?.id ?? -1, producerEpoch: producer?.epoch ?? -1,
    baseSequence: producer?.baseSequence ?? -1, lastSequence: producer === null ? -1 : producer.baseSequence + count - 1,
    appendTimeUs: 0, values: values ?? Array.from({ length: count }, (_, i) => 1000 + baseOffset + i), payloads,
    sizeBytes: batchBytes(count, 100),
  };
}

/**
 * A batch in the field order of RecordBatch's older shape (for tests that name producer fields one
 * by one); it holds one record, or one per payload or per sequence.
 */
export function batchOf(
  baseOffset: number, epoch: number, producerId = -1, producerEpoch = -1, baseSequence = -1, lastSequence = -1,
  payloads: readonly InternalPayload[] | null = null,
): RecordBatch {
  const count = payloads?.length ?? (producerId >= 0 ? lastSequence - baseSequence + 1 : 1);
  return logBatch(baseOffset, epoch, count, producerId >= 0 ? { id: producerId, epoch: producerEpoch, baseSequence } : null, payloads);
}

/** One record of a batch, as a reader gets it expanded. */
export function recordOf(offset: number, value: number, batch: RecordBatch, partition = 0): LogRecord {
  return { partition, offset, value, batch };
}
