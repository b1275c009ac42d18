// Log records. A record is immutable once created by the leader; replicas store the same object
// (sharing immutable values is not shared memory: nobody can observe a change). What a record
// shares with the rest of its batch (epoch, producer fields, group payloads) lives once in its
// RecordBatch, so a record carries only its partition, offset, value and batch.
//
// Both are plain object literals, not class instances, on purpose: a run keeps nearly every record
// it writes, and V8 can allocate the objects of a literal whose objects mostly survive (an
// allocation site it tracks) directly in the old generation, so the young-generation collector does
// not copy them; instances of a class have no such site (see newRecord in leader.ts).
import type { GroupLogPayload } from './group-records.js';
import type { Value } from './history.js';

/** What one append (a produce request, or a group coordinator write) gives all its records. */
export interface RecordBatch {
  /** Offset of the batch's first record. */
  readonly baseOffset: number;
  /** Leader epoch the batch was written in. */
  readonly epoch: number;
  /** Idempotent producer id, or -1. */
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Sequence of the first record for its producer and partition, or -1. */
  readonly baseSequence: number;
  /** Sequence of the last record (marks batch ends), or -1. */
  readonly lastSequence: number;
  /** Internal batches only (the offsets partition): what the group coordinator wrote, per record. */
  readonly payloads: readonly GroupLogPayload[] | null;
  /** Records in the batch. */
  readonly count: number;
  /** Bytes of the whole batch, header and records, on disk and on the wire (see batchBytes). */
  readonly sizeBytes: number;
}

export interface LogRecord {
  /** The partition whose log holds it: so a consumer hands out the record itself as it polls it. */
  readonly partition: number;
  readonly offset: number;
  readonly value: Value;
  readonly batch: RecordBatch;
}

/** Kafka's record batch header (DefaultRecordBatch.RECORD_BATCH_OVERHEAD): offsets, CRC, epochs, sequences. */
export const BATCH_HEADER_BYTES = 61;
/**
 * A record's own framing besides its value, with no key and no headers: its length, attributes,
 * timestamp and offset deltas, key and value lengths and header count, varints of one or two bytes
 * each (DefaultRecord.sizeInBytes).
 */
export const RECORD_OVERHEAD_BYTES = 10;
/** Value size of the group coordinator's internal records (a commit or a group's metadata). */
export const INTERNAL_VALUE_BYTES = 100;

/** Bytes of one record whose value has `valueBytes` bytes. */
export function recordBytes(valueBytes: number): number {
  return valueBytes + RECORD_OVERHEAD_BYTES;
}

/** Bytes of a batch of `count` records of `valueBytes`-byte values. */
export function batchBytes(count: number, valueBytes: number): number {
  return BATCH_HEADER_BYTES + count * recordBytes(valueBytes);
}

/** Bytes of a run of records: each batch's header once, and each record its share of its batch's records. */
export function bytesOfRecords(records: readonly LogRecord[]): number {
  let bytes = 0;
  let batch: RecordBatch | null = null;
  for (let i = 0; i < records.length; i++) {
    const b = records[i]!.batch;
    if (b !== batch) { batch = b; bytes += BATCH_HEADER_BYTES; }
    bytes += (b.sizeBytes - BATCH_HEADER_BYTES) / b.count;
  }
  return Math.round(bytes);
}

/** Sequence number of a record for its producer and partition, or -1. */
export function sequenceOf(record: LogRecord): number {
  const batch = record.batch;
  return batch.producerId >= 0 ? batch.baseSequence + (record.offset - batch.baseOffset) : -1;
}

/** A record as a replica's final state gives it (ReplicaState.records): offset, epoch and value. */
export function finalRecordOf(record: LogRecord): { offset: number; epoch: number; value: Value } {
  return { offset: record.offset, epoch: record.batch.epoch, value: record.value };
}

/** What the group coordinator wrote in an internal record (their value is -1); undefined for data. */
export function payloadOf(record: LogRecord): GroupLogPayload | undefined {
  const payloads = record.batch.payloads;
  return payloads === null ? undefined : payloads[record.offset - record.batch.baseOffset];
}
