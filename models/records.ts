// Log records. A record is immutable once created by the leader; replicas store the same object
// (sharing immutable values is not shared memory: nobody can observe a change). What a record
// shares with the rest of its batch (partition, epoch, producer fields) lives once in its
// RecordBatch: a run keeps every record it writes, and the garbage collector copies each one
// surviving object, so a record carries only its offset, its value and its batch.
import type { GroupLogPayload } from './group-records.js';
import type { Value } from './history.js';

/** What one append (a produce request, or a group coordinator write) gives all its records. */
export class RecordBatch {
  constructor(
    /** The partition whose log holds it: so a consumer hands out the records themselves as it polls them. */
    readonly partition: number,
    /** Offset of the batch's first record. */
    readonly baseOffset: number,
    /** Leader epoch the batch was written in. */
    readonly epoch: number,
    /** Idempotent producer id, or -1. */
    readonly producerId: number,
    readonly producerEpoch: number,
    /** Sequence of the first record for its producer and partition, or -1. */
    readonly baseSequence: number,
    /** Sequence of the last record (marks batch ends), or -1. */
    readonly lastSequence: number,
    /** Internal batches only (the offsets partition): what the group coordinator wrote, per record. */
    readonly payloads: readonly GroupLogPayload[] | null,
  ) {}
}

export class LogRecord {
  constructor(
    readonly offset: number,
    readonly value: Value,
    readonly batch: RecordBatch,
  ) {}

  get partition(): number {
    return this.batch.partition;
  }

  /** Leader epoch the record was written in. */
  get epoch(): number {
    return this.batch.epoch;
  }

  /** Idempotent producer id, or -1. */
  get producerId(): number {
    return this.batch.producerId;
  }

  get producerEpoch(): number {
    return this.batch.producerEpoch;
  }

  /** Sequence number of this record for its producer and partition, or -1. */
  get sequence(): number {
    const batch = this.batch;
    return batch.producerId >= 0 ? batch.baseSequence + (this.offset - batch.baseOffset) : -1;
  }

  /** Last sequence of the producer batch this record belongs to (marks batch ends), or -1. */
  get batchLastSequence(): number {
    return this.batch.lastSequence;
  }

  /** Internal records only (the offsets partition): what the group coordinator wrote. Their value is -1. */
  get payload(): GroupLogPayload | undefined {
    const payloads = this.batch.payloads;
    return payloads === null ? undefined : payloads[this.offset - this.batch.baseOffset];
  }
}

/** What a producer sends: the leader assigns offset and epoch. */
export interface ProducedRecord {
  readonly value: Value;
  readonly payload?: GroupLogPayload;
}
