// Record batches, the unit of the log. As in Kafka, a replica's log, its page cache, its disk writes,
// fetch responses and recovery all work on whole batches (one CRC per batch: a torn write keeps a
// prefix of whole batches, and recovery truncates at the first invalid one). A batch is immutable
// once the leader created it; replicas store the same object (sharing immutable values is not shared
// memory: nobody can observe a change). Records are expanded from batches only where a reader needs
// them one by one: consumers, the group coordinator's load, the checkers' final states.
//
// Both are plain object literals, not class instances, on purpose: a run keeps nearly every batch
// it writes, and V8 can allocate the objects of a literal whose objects mostly survive (an
// allocation site it tracks) directly in the old generation, so the young-generation collector does
// not copy them; instances of a class have no such site.
import type { Value } from '../history/history.js';
import type { InternalPayload } from '../transactions/txn-records.js';

/** What one append (a produce request's batch, or a group coordinator write) wrote. */
export interface RecordBatch {
  /** Offset of the batch's first record; its records have consecutive offsets. */
  readonly baseOffset: number;
  /** Leader epoch the batch was written in. */
  readonly epoch: number;
  /** Idempotent producer id, or -1. */
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Sequence of the first record for its producer and partition, or -1. */
  readonly baseSequence: number;
  /** Sequence of the last record, or -1. */
  readonly lastSequence: number;
  /** The leader's clock when it appended the batch (Kafka's batch timestamp; producer expiry counts from it). */
  readonly appendTimeUs: number;
  /** The records' values, in offset order (never empty). */
  readonly values: readonly Value[];
  /** Internal batches only: what the group or transaction coordinator wrote, per record, or a marker (txn-records.ts). */
  readonly payloads: readonly InternalPayload[] | null;
  /** Written by a transactional producer inside a transaction (Kafka's isTransactional batch attribute). */
  readonly transactional?: boolean;
  /** Bytes of the whole batch, header and records, on disk and on the wire (see batchBytes). */
  readonly sizeBytes: number;
}

/** One record, expanded from its batch for a reader that takes records one by one. */
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

/** Offset after the batch's last record. */
export function endOffsetOf(batch: RecordBatch): number {
  return batch.baseOffset + batch.values.length;
}

/** Bytes of a run of batches. */
export function bytesOf(batches: readonly RecordBatch[]): number {
  let bytes = 0;
  for (let i = 0; i < batches.length; i++) bytes += batches[i]!.sizeBytes;
  return bytes;
}

/** Records in a run of batches. */
export function countOf(batches: readonly RecordBatch[]): number {
  let count = 0;
  for (let i = 0; i < batches.length; i++) count += batches[i]!.values.length;
  return count;
}

/**
 * The batch's records from offset `from` on (at most `max`), as record objects, pushed to `out`.
 * Returns how many it pushed.
 */
export function expandInto(out: LogRecord[], partition: number, batch: RecordBatch, from: number, max: number): number {
  const values = batch.values;
  const start = Math.max(0, from - batch.baseOffset);
  const end = Math.min(values.length, start + max);
  for (let i = start; i < end; i++) out.push(newRecord(partition, batch.baseOffset + i, values[i]!, batch));
  return end - start;
}

/** Every record of a run of batches (readers that need them all: the group coordinator's load). */
export function expandAll(partition: number, batches: readonly RecordBatch[]): LogRecord[] {
  const out: LogRecord[] = [];
  for (const batch of batches) expandInto(out, partition, batch, batch.baseOffset, Infinity);
  return out;
}

/**
 * The part of a batch from offset `from` on, as a batch of its own: what a fetch at an offset inside
 * a batch gets. Only replicas whose logs diverged with different batch boundaries fetch from inside
 * a batch (before KIP-101, truncation to a high watermark); Kafka's message format before 0.11 had
 * an offset per message, so cutting a batch there is what that era did.
 */
export function sliceFrom(batch: RecordBatch, from: number): RecordBatch {
  const skip = from - batch.baseOffset;
  if (skip <= 0) return batch;
  const count = batch.values.length - skip;
  const perRecord = (batch.sizeBytes - BATCH_HEADER_BYTES) / batch.values.length;
  return {
    ...batch, baseOffset: from, values: batch.values.slice(skip), payloads: batch.payloads?.slice(skip) ?? null,
    baseSequence: batch.producerId >= 0 ? batch.baseSequence + skip : -1,
    sizeBytes: Math.round(BATCH_HEADER_BYTES + count * perRecord),
  };
}

/** A record of a replica's final state (ReplicaState.records). */
export interface FinalRecordOf {
  readonly offset: number;
  readonly epoch: number;
  readonly value: Value;
}

/**
 * The final records last built from a log starting with a given batch, and that log's batches: the
 * replicas of a partition hold the same batch objects, mostly in the same order, so a replica whose
 * log starts as one built before shares that one's records (the array itself when the logs are the
 * same, the record objects of the common prefix otherwise) rather than making a copy per replica
 * (a long run's final state is millions of records): no object or array per replica beyond what
 * its log differs in. Kept while the first batch lives.
 */
const builtFrom = new WeakMap<RecordBatch, { readonly batches: readonly RecordBatch[]; readonly records: readonly FinalRecordOf[] }>();

/**
 * A replica's records as its final state gives them (ReplicaState.records): offset, epoch and value.
 * The array may be shared with other replicas' final states: it is read-only.
 */
export function finalRecordsOf(batches: readonly RecordBatch[]): readonly FinalRecordOf[] {
  const first = batches[0];
  if (first === undefined) return [];
  const known = builtFrom.get(first);
  let same = 0;
  let sharedRecords = 0;
  if (known !== undefined) {
    const n = Math.min(batches.length, known.batches.length);
    while (same < n && batches[same] === known.batches[same]) sharedRecords += batches[same++]!.values.length;
    if (same === batches.length && same === known.batches.length) return known.records;
  }
  const out: FinalRecordOf[] = known === undefined ? [] : known.records.slice(0, sharedRecords);
  for (let b = same; b < batches.length; b++) {
    const { values, epoch, baseOffset } = batches[b]!;
    for (let i = 0; i < values.length; i++) out.push({ offset: baseOffset + i, epoch, value: values[i]! });
  }
  // A log that extends the one known is known from now on: the next replica may hold all of it.
  if (known === undefined || same === known.batches.length) builtFrom.set(first, { batches: batches.slice(), records: out });
  return out;
}

/** What a coordinator wrote in an internal record (their value is -1); undefined for data. */
export function payloadOf(record: LogRecord): InternalPayload | undefined {
  const payloads = record.batch.payloads;
  return payloads === null ? undefined : payloads[record.offset - record.batch.baseOffset];
}

function newRecord(partition: number, offset: number, value: Value, batch: RecordBatch): LogRecord {
  return { partition, offset, value, batch };
}
