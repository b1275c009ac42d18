// The transaction protocol's messages (KIP-98, with KIP-360's and KIP-890's additions): the
// transactional producer's requests to its transaction coordinator, and the coordinator's
// WriteTxnMarkers to the leaders of the transaction's partitions. Names follow Kafka's RPCs.
import type { NodeId } from '../../sim/env.js';
import type { ErrorCode } from '../messages.js';

/** FindCoordinator with key type TRANSACTION: the leader of `__transaction_state`. */
export interface FindTxnCoordinator { readonly type: 'find-txn-coordinator'; readonly id: number; readonly transactionalId: string }
export interface FindTxnCoordinatorResponse { readonly type: 'find-txn-coordinator-resp'; readonly id: number; readonly error: ErrorCode | null; readonly coordinator: NodeId | null }

/**
 * InitProducerId with a transactional.id. `producerId`/`producerEpoch` are the producer's current
 * ones when it asks for an epoch bump after an abortable error (KIP-360), else -1.
 */
export interface TxnInitProducerId {
  readonly type: 'txn-init-producer-id'; readonly id: number; readonly transactionalId: string; readonly timeoutUs: number;
  readonly producerId: number; readonly producerEpoch: number;
}
export interface TxnInitProducerIdResponse {
  readonly type: 'txn-init-producer-id-resp'; readonly id: number; readonly error: ErrorCode | null; readonly producerId: number; readonly producerEpoch: number;
}

export interface AddPartitionsToTxn {
  readonly type: 'add-partitions-to-txn'; readonly id: number; readonly transactionalId: string;
  readonly producerId: number; readonly producerEpoch: number; readonly partitions: readonly number[];
}
export interface AddPartitionsToTxnResponse { readonly type: 'add-partitions-to-txn-resp'; readonly id: number; readonly error: ErrorCode | null }

/**
 * AddOffsetsToTxn (sendOffsetsToTransaction's first step): the coordinator adds the group's
 * `__consumer_offsets` partition to the transaction, so its markers reach the group coordinator.
 */
export interface AddOffsetsToTxn {
  readonly type: 'add-offsets-to-txn'; readonly id: number; readonly transactionalId: string;
  readonly producerId: number; readonly producerEpoch: number; readonly group: string;
}
export interface AddOffsetsToTxnResponse { readonly type: 'add-offsets-to-txn-resp'; readonly id: number; readonly error: ErrorCode | null }

export interface EndTxn {
  readonly type: 'end-txn'; readonly id: number; readonly transactionalId: string;
  readonly producerId: number; readonly producerEpoch: number; readonly commit: boolean;
}
/** With KIP-890 part 2 the answer carries the bumped epoch the producer's next transaction uses. */
export interface EndTxnResponse { readonly type: 'end-txn-resp'; readonly id: number; readonly error: ErrorCode | null; readonly producerId: number; readonly producerEpoch: number }

/** WriteTxnMarkers for one broker: a marker in each of the partitions it leads. */
export interface WriteTxnMarkers {
  readonly type: 'write-txn-markers'; readonly id: number; readonly producerId: number; readonly producerEpoch: number;
  readonly commit: boolean; readonly coordinatorEpoch: number; readonly partitions: readonly number[];
}
export interface WriteTxnMarkersResponse {
  readonly type: 'write-txn-markers-resp'; readonly id: number;
  readonly results: readonly { readonly partition: number; readonly error: ErrorCode | null }[];
}

/** What a broker's transaction coordinator is asked. */
export type TxnCoordinatorRequest = FindTxnCoordinator | TxnInitProducerId | AddPartitionsToTxn | AddOffsetsToTxn | EndTxn;
/** Every transaction message a broker receives. */
export type TxnRequest = TxnCoordinatorRequest | WriteTxnMarkers | WriteTxnMarkersResponse;
export type TxnResponse = FindTxnCoordinatorResponse | TxnInitProducerIdResponse | AddPartitionsToTxnResponse | AddOffsetsToTxnResponse | EndTxnResponse;
