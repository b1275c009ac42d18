// The operation history that clients and brokers record while a run goes on: the only input of the
// checkers in properties/ (with the final states below). Modelled on Jepsen's queue histories: an
// operation is invoked, then completes ok (it happened), fail (it definitely did not) or info (the
// outcome is unknown: neither counted lost nor assumed delivered).
import type { Micros, NodeId } from '../../sim/env.js';

/** Values are unique per run: producer index × VALUE_STRIDE + the producer's own counter. */
export type Value = number;
export const VALUE_STRIDE = 10_000_000;

export function valueLabel(value: Value): string {
  return `p${Math.floor(value / VALUE_STRIDE)}:${value % VALUE_STRIDE}`;
}

export interface PolledRecord {
  readonly partition: number;
  readonly offset: number;
  readonly value: Value;
}

export type HistoryOp =
  /** A producer handed a value to its send path. */
  | { readonly kind: 'send-invoke'; readonly t: Micros; readonly process: NodeId; readonly value: Value; readonly partition: number }
  /** The send was acknowledged at this offset. (acks=0 sends get no answer: they complete as send-info.) */
  | { readonly kind: 'send-ok'; readonly t: Micros; readonly process: NodeId; readonly value: Value; readonly partition: number; readonly offset: number }
  /** The send definitely did not happen (e.g. NOT_ENOUGH_REPLICAS before append, NOT_LEADER). */
  | { readonly kind: 'send-fail'; readonly t: Micros; readonly process: NodeId; readonly value: Value; readonly partition: number; readonly error: string }
  /** The outcome is unknown (timeout, NOT_ENOUGH_REPLICAS_AFTER_APPEND, delivery timeout with requests in flight, acks=0). */
  | { readonly kind: 'send-info'; readonly t: Micros; readonly process: NodeId; readonly value: Value; readonly partition: number; readonly error: string }
  /** One poll's records, in the order the consumer received them. */
  | { readonly kind: 'poll'; readonly t: Micros; readonly process: NodeId; readonly records: readonly PolledRecord[] }
  /** The consumer's assignment changed (after a rebalance, or a restart). `readCommitted`: isolation.level read_committed (absent: read_uncommitted). */
  | {
    readonly kind: 'assign'; readonly t: Micros; readonly process: NodeId; readonly group: string; readonly generation: number; readonly partitions: readonly number[];
    readonly readCommitted?: boolean;
  }
  /**
   * A transactional producer sent EndTxn for the first time (commitTransaction or
   * abortTransaction): `values` are the transaction's records. Their sends complete after it: ok
   * once the commit was answered, fail once the abort was, info when the outcome is unknown.
   */
  | { readonly kind: 'txn-end'; readonly t: Micros; readonly process: NodeId; readonly transactionalId: string; readonly commit: boolean; readonly values: readonly Value[] }
  /**
   * A consume-transform-produce pipeline began a transaction (models/transactions/pipeline.ts):
   * `outputs[i]` is the record it writes for `inputs[i]`, the record it read; `offsets` are the
   * group's next offsets to read that the transaction commits (empty when the pipeline commits its
   * offsets outside the transaction, processing.guarantee at_least_once). Written when the
   * transaction begins: whether it committed is for the final logs to say.
   */
  | {
    readonly kind: 'transform'; readonly t: Micros; readonly process: NodeId; readonly group: string; readonly transactionalId: string;
    readonly inputs: readonly PolledRecord[]; readonly outputs: readonly Value[]; readonly offsets: readonly { readonly partition: number; readonly offset: number }[];
  }
  /** Offset commit: offsets are the next offsets to read, per partition. */
  | { readonly kind: 'commit-ok' | 'commit-fail'; readonly t: Micros; readonly process: NodeId; readonly group: string; readonly generation: number; readonly offsets: readonly { readonly partition: number; readonly offset: number }[] }
  /** The application finished processing a record. */
  | { readonly kind: 'process'; readonly t: Micros; readonly process: NodeId; readonly partition: number; readonly offset: number; readonly value: Value }
  /** A leader's high watermark passed these records (observed on the leader; replica-level fact). */
  | { readonly kind: 'hw-advance'; readonly t: Micros; readonly process: NodeId; readonly partition: number; readonly leaderEpoch: number; readonly records: readonly { readonly offset: number; readonly value: Value }[] }
  /** A process (client or broker) crashed or lost power: what it was doing is cut short. */
  | { readonly kind: 'crash'; readonly t: Micros; readonly process: NodeId; readonly power: boolean }
  /**
   * A consumer moved its position on a partition by itself, not by reading: `from` is where it was
   * (null: it had no position), `to` where it reads next. `reason`: `no-offset` (the group had no
   * committed offset: auto.offset.reset), `out-of-range` (the offset is outside the log:
   * auto.offset.reset), `truncation` (KIP-320: OffsetsForLeaderEpoch showed the log diverged below
   * the position, so the consumer moved back to the divergence point).
   */
  | { readonly kind: 'reset'; readonly t: Micros; readonly process: NodeId; readonly partition: number; readonly from: number | null; readonly to: number; readonly reason: ResetReason }
  /** A Raft replica became its partition's leader in `term` (protocol.replication raft): what election safety is judged on. */
  | {
    readonly kind: 'leader-elected'; readonly t: Micros; readonly process: NodeId; readonly partition: number; readonly term: number;
    /** The new leader's log end when it won, before its no-op entry (leader completeness is judged on it). */
    readonly logEnd: number;
  };

export type ResetReason = 'no-offset' | 'out-of-range' | 'truncation';

export type HistoryKind = HistoryOp['kind'];

/**
 * Where actors append operations. Owned by the run, passed to actors by their factories. The
 * per-value operations have their own methods, so the hot paths build no object per value (the run's
 * History stores them in columns, see history-log.ts); record() takes any operation.
 */
export interface HistoryRecorder {
  record(op: HistoryOp): void;
  /** = record({ kind: 'send-invoke', t, process, value, partition }) */
  sendInvoke(t: Micros, process: NodeId, value: Value, partition: number): void;
  /** = record({ kind: 'send-ok', t, process, value, partition, offset }) */
  sendOk(t: Micros, process: NodeId, value: Value, partition: number, offset: number): void;
  /** = record({ kind, t, process, value, partition, error }) */
  sendEnd(kind: 'send-fail' | 'send-info', t: Micros, process: NodeId, value: Value, partition: number, error: string): void;
  /** = record({ kind: 'process', t, process, partition, offset, value }) */
  processed(t: Micros, process: NodeId, partition: number, offset: number, value: Value): void;
  /** = record({ kind: 'poll', t, process, records }) (only the records' partition, offset and value are kept) */
  poll(t: Micros, process: NodeId, records: readonly PolledRecord[]): void;
  /**
   * = record({ kind: 'hw-advance', … }) of the records with offsets in [from, to) of a log kept batch by batch, starting at
   * batches[first] (the batch holding `from`): a leader's log has no record objects to pass.
   */
  hwAdvanceBatches(t: Micros, process: NodeId, partition: number, leaderEpoch: number, batches: readonly LogBatchValues[], first: number, from: number, to: number): void;
}

/** What hwAdvanceBatches reads of a log batch: its first offset and its records' values. */
export interface LogBatchValues {
  readonly baseOffset: number;
  readonly values: readonly Value[];
}

/** One replica's state at the end of a run, read from the broker that hosts it. */
export interface ReplicaState {
  readonly node: NodeId;
  readonly partition: number;
  /** Is the broker up at the end (a down broker's replica is read from its disk). */
  readonly up: boolean;
  readonly isLeader: boolean;
  readonly leaderEpoch: number;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly highWatermark: number;
  /** The log: offset i holds records[i - logStartOffset]. */
  readonly records: readonly { readonly offset: number; readonly epoch: number; readonly value: Value }[];
  /**
   * Logs with transactions only: the offsets a read_committed reader never returns (control
   * records, aborted transactions, transactions still open). The final log leaves them out.
   */
  readonly txn?: {
    readonly control: readonly number[];
    readonly aborted: readonly number[];
    readonly open: readonly number[];
  };
}

/** A partition's state at the end as the controller records it. */
export interface PartitionState {
  readonly partition: number;
  readonly leader: NodeId | null;
  readonly leaderEpoch: number;
  readonly isr: readonly NodeId[];
  readonly replicas: readonly NodeId[];
}

export interface FinalState {
  readonly partitions: readonly PartitionState[];
  readonly replicas: readonly ReplicaState[];
}
