// Log records for unit tests, built as the leader builds them (plain objects sharing a batch).
import type { GroupLogPayload } from '../../models/group-records.js';
import type { LogRecord, RecordBatch } from '../../models/records.js';
import { batchBytes } from '../../models/records.js';

export function batchOf(
  baseOffset: number, epoch: number, producerId = -1, producerEpoch = -1, baseSequence = -1, lastSequence = -1,
  payloads: readonly GroupLogPayload[] | null = null, count = 1,
): RecordBatch {
  return { baseOffset, epoch, producerId, producerEpoch, baseSequence, lastSequence, payloads, count, sizeBytes: batchBytes(count, 100) };
}

export function recordOf(offset: number, value: number, batch: RecordBatch, partition = 0): LogRecord {
  return { partition, offset, value, batch };
}
