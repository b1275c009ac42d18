// What transactions write to logs. The transaction coordinator's own records in the internal
// `__transaction_state` partition (Kafka's TransactionLog key and value: one record per state change
// of a transactional.id), and the control records (commit and abort markers) that WriteTxnMarkers
// appends to a data partition to end one producer's transaction there (Kafka's EndTransactionMarker).
// Both are internal records: their value is INTERNAL_VALUE and what they say is in the batch's
// payloads, as the group coordinator's are.
import type { GroupLogPayload } from '../groups/group-records.js';
import type { RecordBatch } from '../replication/records.js';

/** Kafka's TransactionState (TransactionMetadata.scala); Dead (transactional.id expiry) is not modelled. */
export type TxnState = 'Empty' | 'Ongoing' | 'PrepareCommit' | 'PrepareAbort' | 'CompleteCommit' | 'CompleteAbort' | 'PrepareEpochFence';

/** One state change of a transactional.id, as TransactionLog.valueToBytes writes it. */
export interface TxnLogPayload {
  readonly kind: 'txn';
  readonly transactionalId: string;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The epoch before the last bump (KIP-360 / KIP-890): a retried request with it is recognised. */
  readonly lastProducerEpoch: number;
  readonly state: TxnState;
  /** The data partitions in the transaction (cleared when it completes). */
  readonly partitions: readonly number[];
  readonly timeoutUs: number;
  /** When the transaction became Ongoing (txnStartTimestamp): the timeout counts from it. */
  readonly startUs: number;
}

/** A control record: the end of producerId's transaction in this partition (EndTransactionMarker). */
export interface MarkerPayload {
  readonly kind: 'marker';
  readonly commit: boolean;
  readonly producerId: number;
  readonly producerEpoch: number;
  /** The leader epoch of `__transaction_state` of the coordinator that wrote it. */
  readonly coordinatorEpoch: number;
}

/** Every internal record's payload: the group coordinator's, the transaction coordinator's, a marker. */
export type InternalPayload = GroupLogPayload | TxnLogPayload | MarkerPayload;

/** The marker of a control batch, or undefined for any other batch. */
export function markerOf(batch: RecordBatch): MarkerPayload | undefined {
  const payload = batch.payloads?.[0];
  return payload !== undefined && payload.kind === 'marker' ? payload : undefined;
}

/**
 * Which offsets of a log a read_committed reader never returns: control records, records of
 * aborted transactions, and records of transactions still open at the log end. Null when the log
 * holds no transactional batch and no marker (every log of a run without transactions).
 */
export interface TxnOffsets {
  readonly control: readonly number[];
  readonly aborted: readonly number[];
  readonly open: readonly number[];
}

/** Replays a log's batches as ProducerStateManager and a read_committed fetch would see them. */
export function classifyTxnOffsets(batches: readonly RecordBatch[]): TxnOffsets | null {
  const control: number[] = [];
  const aborted: number[] = [];
  const ongoing = new Map<number, RecordBatch[]>();
  let transactional = false;
  for (const batch of batches) {
    const marker = markerOf(batch);
    if (marker !== undefined) {
      control.push(batch.baseOffset);
      const open = ongoing.get(marker.producerId);
      ongoing.delete(marker.producerId);
      if (open !== undefined && !marker.commit) for (const b of open) pushOffsets(aborted, b);
      continue;
    }
    if (batch.transactional !== true) continue;
    transactional = true;
    const open = ongoing.get(batch.producerId);
    if (open === undefined) ongoing.set(batch.producerId, [batch]);
    else open.push(batch);
  }
  if (!transactional && control.length === 0) return null;
  const open: number[] = [];
  for (const list of ongoing.values()) for (const b of list) pushOffsets(open, b);
  open.sort((a, b) => a - b);
  aborted.sort((a, b) => a - b);
  return { control, aborted, open };
}

function pushOffsets(out: number[], batch: RecordBatch): void {
  for (let i = 0; i < batch.values.length; i++) out.push(batch.baseOffset + i);
}

/** The transactional offsets of a replica's final state, only for a log that has any (ReplicaState.txn): ISR and Raft replicas alike. */
export function txnState(batches: Parameters<typeof classifyTxnOffsets>[0]): { txn?: NonNullable<ReturnType<typeof classifyTxnOffsets>> } {
  const txn = classifyTxnOffsets(batches);
  return txn === null ? {} : { txn };
}
