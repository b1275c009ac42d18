// Log records. A record object is immutable once created by the leader; replicas store the same
// object (sharing immutable values is not shared memory: nobody can observe a change).
import type { GroupLogPayload } from './group-records.js';
import type { Value } from './history.js';

export interface LogRecord {
  /** The partition whose log holds it: so a consumer hands out the record itself as it polls it. */
  readonly partition: number;
  readonly offset: number;
  /** Leader epoch the record was written in. */
  readonly epoch: number;
  readonly value: Value;
  /** Idempotent producer id, or -1. */
  readonly producerId: number;
  readonly producerEpoch: number;
  /** Sequence number of this record for its producer and partition, or -1. */
  readonly sequence: number;
  /** Last sequence of the producer batch this record belongs to (marks batch ends), or -1. */
  readonly batchLastSequence: number;
  /** Internal records only (the offsets partition): what the group coordinator wrote. Their value is -1. */
  readonly payload?: GroupLogPayload;
}

/** What a producer sends: the leader assigns offset and epoch. */
export interface ProducedRecord {
  readonly value: Value;
  readonly payload?: GroupLogPayload;
}
