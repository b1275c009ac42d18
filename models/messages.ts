// Every message the model's nodes exchange. Names follow Kafka's RPCs; errors use Kafka's codes.
import type { NodeId } from '../sim/env.js';
import type { Acks } from './config.js';
import type { GroupRequest } from './groups/group-messages.js';
import type { Value } from './history/history.js';
import type { AbortedTxn } from './replication/producer-state.js';
import type { LogRecord, RecordBatch } from './replication/records.js';
import type { RaftInbound, RaftLeaderNotice } from './raft/messages.js';
import type { TxnRequest } from './transactions/txn-messages.js';

/** A partition's state as the controller records it. */
export interface PartitionMeta {
  readonly partition: number;
  readonly leader: NodeId | null;
  readonly leaderEpoch: number;
  /** Bumped on every change of leader, ISR or ELR. */
  readonly partitionEpoch: number;
  readonly isr: readonly NodeId[];
  /** Eligible leader replicas (KIP-966); empty unless eligible.leader.replicas.enable. */
  readonly elr: readonly NodeId[];
  readonly replicas: readonly NodeId[];
  /** The last leader before the partition went offline (KIP-966's last known leader). */
  readonly lastKnownLeader: NodeId | null;
}

export type ErrorCode =
  | 'NOT_LEADER_OR_FOLLOWER'
  | 'NOT_ENOUGH_REPLICAS'
  | 'NOT_ENOUGH_REPLICAS_AFTER_APPEND'
  | 'REQUEST_TIMED_OUT'
  /** The connection broke with the request in flight (the peer's process died). */
  | 'NETWORK_EXCEPTION'
  | 'FENCED_LEADER_EPOCH'
  | 'UNKNOWN_LEADER_EPOCH'
  | 'OFFSET_OUT_OF_RANGE'
  | 'OUT_OF_ORDER_SEQUENCE_NUMBER'
  | 'INVALID_PRODUCER_EPOCH'
  | 'UNKNOWN_PRODUCER_ID'
  | 'INVALID_UPDATE_VERSION'
  | 'STALE_BROKER_EPOCH'
  | 'INELIGIBLE_REPLICA'
  | 'NOT_CONTROLLER'
  | 'COORDINATOR_NOT_AVAILABLE'
  | 'NOT_COORDINATOR'
  | 'ILLEGAL_GENERATION'
  | 'UNKNOWN_MEMBER_ID'
  | 'REBALANCE_IN_PROGRESS'
  /** KIP-394: a first JoinGroup gets its member id back and must join again with it. */
  | 'MEMBER_ID_REQUIRED'
  /** KIP-345: another member joined with this member's group.instance.id and replaced it. */
  | 'FENCED_INSTANCE_ID'
  /** ListOffsets(latest) to a new leader whose HW has not reached its epoch's start offset yet. */
  | 'OFFSET_NOT_AVAILABLE'
  // ---- transactions (KIP-98, KIP-890) ----
  | 'PRODUCER_FENCED'
  | 'INVALID_PRODUCER_ID_MAPPING'
  | 'INVALID_TXN_STATE'
  | 'CONCURRENT_TRANSACTIONS'
  | 'TRANSACTION_COORDINATOR_FENCED'
  /** KIP-447: OffsetFetch with require_stable while a transactional offset commit to the partition is pending. */
  | 'UNSTABLE_OFFSET_COMMIT';

// ---- broker ↔ controller ----

export interface RegisterBroker { readonly type: 'register'; readonly broker: NodeId; readonly incarnation: number }
/**
 * A broker the controller holds registered and unfenced, with the broker epoch of that registration:
 * the part of Kafka's metadata image (its BrokerRegistrations) a leader consults before it counts a
 * follower as eligible for the ISR (Partition.isReplicaIsrEligible).
 */
export interface AliveBroker { readonly broker: NodeId; readonly brokerEpoch: number }
export interface RegisterResponse {
  readonly type: 'register-ok';
  readonly brokerEpoch: number;
  readonly version: number;
  readonly partitions: readonly PartitionMeta[];
  readonly aliveBrokers: readonly AliveBroker[];
}
export interface BrokerHeartbeat { readonly type: 'heartbeat'; readonly broker: NodeId; readonly brokerEpoch: number; readonly version: number }
export interface HeartbeatResponse {
  readonly type: 'heartbeat-ok';
  readonly fenced: boolean;
  /** Set when the controller sees the broker is not registered with this epoch: it must register again. */
  readonly reregister: boolean;
  readonly version: number;
  /** The full metadata when the broker's version is behind, else null. */
  readonly partitions: readonly PartitionMeta[] | null;
  /** With `partitions`: the brokers alive at this version; else null. */
  readonly aliveBrokers: readonly AliveBroker[] | null;
}
/** Pushed by the controller to every broker on each metadata change. */
export interface MetadataUpdate {
  readonly type: 'metadata-update';
  readonly version: number;
  readonly partitions: readonly PartitionMeta[];
  readonly aliveBrokers: readonly AliveBroker[];
}
export interface AlterPartition {
  readonly type: 'alter-partition';
  readonly broker: NodeId;
  readonly brokerEpoch: number;
  readonly partition: number;
  readonly leaderEpoch: number;
  readonly partitionEpoch: number;
  readonly isr: readonly NodeId[];
  /** Broker epochs of the ISR members as the leader saw them in their fetches (KIP-903). */
  readonly isrBrokerEpochs: readonly number[];
}
export interface AlterPartitionResponse { readonly type: 'alter-partition-resp'; readonly partition: number; readonly error: ErrorCode | null; readonly meta: PartitionMeta }

// ---- replication ----

export interface FetchRequest {
  readonly type: 'fetch';
  readonly partition: number;
  readonly replica: NodeId;
  readonly brokerEpoch: number;
  readonly fetchOffset: number;
  readonly lastFetchedEpoch: number;
  readonly currentLeaderEpoch: number;
  readonly maxWaitUs: number;
  /** Correlates the response with the follower's current fetch session. */
  readonly session: number;
}
export interface FetchResponse {
  readonly type: 'fetch-resp';
  readonly partition: number;
  readonly session: number;
  readonly error: ErrorCode | null;
  /** Whole batches from the fetch offset (the first cut at it only where logs diverged). */
  readonly batches: readonly RecordBatch[];
  readonly highWatermark: number;
  readonly leaderLogEnd: number;
  /** Raft (KIP-595): the fetch position is not on the leader's log; truncate to this epoch's end and fetch again. */
  readonly divergingEpoch?: { readonly epoch: number; readonly endOffset: number };
}
/**
 * OffsetsForLeaderEpoch. Followers ask it to truncate (KIP-101, KIP-279); consumers ask it to
 * validate their position after a leader change (KIP-320). The leader answers the sender with
 * `session` echoed: a follower's fetch session, or a consumer's request id.
 */
export interface EpochQuery {
  readonly type: 'epoch-query';
  readonly partition: number;
  readonly currentLeaderEpoch: number;
  /** The epoch whose end offset the sender asks for. */
  readonly leaderEpoch: number;
  readonly session: number;
}
export interface EpochQueryResponse {
  readonly type: 'epoch-query-resp';
  readonly partition: number;
  readonly session: number;
  readonly error: ErrorCode | null;
  /** The largest epoch ≤ the one asked that the leader has, or -1. */
  readonly epoch: number;
  readonly endOffset: number;
}

// ---- clients ----

export interface MetadataRequest { readonly type: 'metadata'; readonly id: number }
export interface MetadataResponse { readonly type: 'metadata-resp'; readonly id: number; readonly partitions: readonly PartitionMeta[] }
/** One partition's batch in a produce request (Kafka's ProduceRequestData.PartitionProduceData). */
export interface ProduceBatch {
  readonly partition: number;
  /** The batch's values, in order: the leader assigns offsets and epoch. */
  readonly values: readonly Value[];
  /** Bytes of the batch, header and records (records.ts batchBytes). */
  readonly sizeBytes: number;
  readonly producerId: number;
  readonly producerEpoch: number;
  readonly baseSequence: number;
  /** Sent by a transactional producer inside a transaction; absent: false. */
  readonly transactional?: boolean;
}
/** One produce request per broker: the first batch of each of its partitions that was ready (RecordAccumulator.drain). */
export interface ProduceRequest {
  readonly type: 'produce';
  readonly id: number;
  readonly acks: Acks;
  readonly timeoutUs: number;
  readonly batches: readonly ProduceBatch[];
}
export interface ProducePartitionResponse {
  readonly partition: number;
  readonly error: ErrorCode | null;
  readonly baseOffset: number;
}
/** Answered once every partition of the request has its outcome (ReplicaManager's DelayedProduce). */
export interface ProduceResponse {
  readonly type: 'produce-resp';
  readonly id: number;
  readonly responses: readonly ProducePartitionResponse[];
}
export interface InitProducerId { readonly type: 'init-producer-id'; readonly id: number }
export interface InitProducerIdResponse { readonly type: 'init-producer-id-resp'; readonly id: number; readonly producerId: number; readonly producerEpoch: number }
export interface ConsumerFetch {
  readonly type: 'consumer-fetch';
  readonly id: number;
  readonly partition: number;
  readonly offset: number;
  readonly currentLeaderEpoch: number;
  readonly maxWaitUs: number;
  readonly maxRecords: number;
  /** isolation.level read_committed: only records below the last stable offset; absent: read_uncommitted. */
  readonly readCommitted?: boolean;
}
/** Records go out as the log holds them: each carries its batch, and so the leader epoch it was written in. */
export interface ConsumerFetchResponse {
  readonly type: 'consumer-fetch-resp';
  readonly id: number;
  readonly partition: number;
  readonly error: ErrorCode | null;
  readonly records: readonly LogRecord[];
  readonly highWatermark: number;
  /** read_committed only: the aborted transactions among the records (FetchResponse's AbortedTransactions). */
  readonly abortedTransactions?: readonly AbortedTxn[];
}
/**
 * ListOffsets as a consumer's auto.offset.reset sends it to the partition's leader: `earliest` is
 * the log start, `latest` the high watermark (read_uncommitted). The answer carries the leader epoch
 * of that offset, which the consumer's position then remembers (KIP-320).
 */
export interface ListOffsetsRequest {
  readonly type: 'list-offsets';
  readonly id: number;
  readonly partition: number;
  readonly currentLeaderEpoch: number;
  readonly timestamp: 'earliest' | 'latest';
  /** A read_committed consumer's: `latest` is then the last stable offset. */
  readonly readCommitted?: true;
}
export interface ListOffsetsResponse {
  readonly type: 'list-offsets-resp';
  readonly id: number;
  readonly partition: number;
  readonly error: ErrorCode | null;
  readonly offset: number;
  /** The epoch of the offset's record (earliest), or the leader's epoch (latest); -1 if unknown. */
  readonly leaderEpoch: number;
}

/**
 * controllers > 1: a controller that is not the active one refuses (Kafka's NOT_CONTROLLER error),
 * naming the leader of the metadata quorum it knows of, if any.
 */
export interface NotController { readonly type: 'not-controller'; readonly leader: NodeId | null }

export type BrokerInbound =
  | NotController
  | RegisterResponse | HeartbeatResponse | MetadataUpdate | AlterPartitionResponse
  | FetchRequest | FetchResponse | EpochQuery | EpochQueryResponse
  | MetadataRequest | ProduceRequest | ConsumerFetch | ListOffsetsRequest
  | GroupRequest | RaftInbound | TxnRequest;

export type ControllerInbound = RegisterBroker | BrokerHeartbeat | AlterPartition | InitProducerId | MetadataRequest | RaftLeaderNotice;
