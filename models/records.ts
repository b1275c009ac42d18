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
}

export interface LogRecord {
  /** The partition whose log holds it: so a consumer hands out the record itself as it polls it. */
  readonly partition: number;
  readonly offset: number;
  readonly value: Value;
  readonly batch: RecordBatch;
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
