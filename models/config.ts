// The model's settings, already in simulator units (integer microseconds). scenario/ maps the
// user's Kafka-named keys to these; models/ never parses user input.
import type { NodeId } from '../sim/env.js';

export type Acks = 'all' | '1' | '0';
/**
 * How a follower truncates before fetching: to its own high watermark (before KIP-101), to the
 * leader's end offset for its latest epoch (KIP-101 as shipped in 0.11), or to the largest common
 * prefix (KIP-279).
 */
export type TruncationProtocol = 'high-watermark' | 'epoch-end-offset' | 'leader-epoch';
export type CommitStrategy = 'auto' | 'before-process' | 'after-process';
/** auto.offset.reset: where a consumer goes with no committed offset, or one outside the log. */
export type OffsetResetStrategy = 'earliest' | 'latest' | 'none';

export interface BrokerConfig {
  readonly minInsyncReplicas: number;
  /**
   * transaction.state.log.min.isr: the `__transaction_state` topic's own min.insync.replicas
   * (Kafka's TransactionStateManager creates the topic with it; default 2). Absent: the broker's.
   */
  readonly transactionStateLogMinIsr?: number;
  readonly uncleanLeaderElectionEnable: boolean;
  readonly replicaLagTimeMaxUs: number;
  readonly replicaFetchWaitMaxUs: number;
  readonly hwCheckpointIntervalUs: number;
  /** fsync the log after this many appended records; null: never. */
  readonly flushMessages: number | null;
  /** fsync the log when its oldest unflushed record is this old; null: never. */
  readonly flushUs: number | null;
  readonly brokerSessionTimeoutUs: number;
  readonly eligibleLeaderReplicasEnable: boolean;
  readonly truncation: TruncationProtocol;
  /** KIP-320: follower fetches and epoch queries carry the follower's leader epoch; the leader fences a mismatch. */
  readonly epochFencing: boolean;
  /** KAFKA-7164: a follower truncates again on every new leader epoch, not only when the leader changes. */
  readonly truncateOnEpochChange: boolean;
  /** KAFKA-7128: a follower joins the ISR only once it has fetched past the start of the leader's current epoch. */
  readonly isrJoinPastEpochStart: boolean;
  /** producer.id.expiration.ms: a producer idle this long is forgotten by a replica. */
  readonly producerIdExpirationUs: number;
  /** producer.id.expiration.check.interval.ms */
  readonly producerIdExpirationCheckIntervalUs: number;
  /** log.segment.bytes: the log rolls a segment, and snapshots producer state, every this many bytes. */
  readonly logSegmentBytes: number;
  /** protocol.replication raft: each partition's replicas form a Raft group (models/raft/); absent: ISR. */
  readonly raft?: RaftConfig;
  /**
   * KIP-890 part 2 (transaction.version 2): every EndTxn bumps the producer epoch, so a delayed
   * EndTxn or produce of an earlier transaction carries an old epoch and is fenced. Off: Kafka's
   * transactions before 4.0, where one epoch spans every transaction of a producer (KAFKA-17754).
   */
  readonly transactionEpochBump?: boolean;
}

/** The settings of Raft-replicated partitions (scenario keys `raft.*`), in simulator units. */
export interface RaftConfig {
  /** quorum.election.timeout.ms: a candidate's election timeout is drawn from [this, 2 × this). */
  readonly electionTimeoutUs: number;
  /** quorum.fetch.timeout.ms: a follower that hears nothing from its leader this long starts a pre-vote. */
  readonly fetchTimeoutUs: number;
  /** fsync an entry before it counts toward the quorum (KRaft, Redpanda's default); false: page cache only. */
  readonly fsync: boolean;
  /** Test-only planted protocol bug (raft.plantedBug); null in every real configuration. */
  readonly plantedBug: RaftPlantedBug | null;
}

/**
 * `commit-old-term`: the leader advances its commit index over entries of earlier terms by counting
 * replicas (Figure 8 of the Raft paper), without the current-term entry rule.
 * `vote-any-log`: a voter grants its (pre-)vote without the election restriction (Raft §5.4.1: the
 * candidate's log at least as up to date as its own), so a replica missing committed entries can lead.
 */
export type RaftPlantedBug = 'commit-old-term' | 'vote-any-log';

export interface TopicConfig {
  readonly partitions: number;
  readonly replicationFactor: number;
}

export interface ClusterLayout {
  readonly brokers: readonly NodeId[];
  readonly controller: NodeId;
  /** controllers > 1: the voters of the metadata quorum (c1…cN; `controller` is c1). Absent: c1 alone. */
  readonly controllers?: readonly NodeId[];
  /** replicas[p] = the brokers hosting partition p, preferred leader first (data partitions, then the offsets partition). */
  readonly replicas: readonly (readonly NodeId[])[];
  /** Partitions 0…dataPartitions-1 hold the topic's data: producers write and consumers read only these. */
  readonly dataPartitions: number;
  /** The internal `__consumer_offsets` partition (index dataPartitions), or null when the run has no consumer group. */
  readonly offsetsPartition: number | null;
  /**
   * The internal `__transaction_state` partition (after the offsets partition), or null when no
   * producer has a transactional.id. Absent in layouts built before transactions: read it with `?? null`.
   */
  readonly transactionPartition?: number | null;
}

export interface ProducerConfig {
  /** 1-based index: values are index × VALUE_STRIDE + firstValue + counter. */
  readonly index: number;
  /** Where this incarnation's counter starts, so a restarted producer never repeats a value. */
  readonly firstValue: number;
  readonly acks: Acks;
  readonly enableIdempotence: boolean;
  readonly retries: number;
  readonly maxInFlight: number;
  readonly requestTimeoutUs: number;
  readonly deliveryTimeoutUs: number;
  readonly lingerUs: number;
  /** batch.size: bytes a batch may fill before the next record starts a new one. */
  readonly batchSize: number;
  readonly retryBackoffUs: number;
  /** buffer.memory: bytes the accumulator's batches may hold (each batch takes batch.size of it). */
  readonly bufferMemory: number;
  /** max.block.ms: how long a send() waits for buffer memory before it fails. */
  readonly maxBlockUs: number;
  /** max.request.size: bytes of batches one produce request carries at most (at least one batch). */
  readonly maxRequestSize: number;
  readonly messagesPerSec: number;
  /** Bytes of each record's value (ksim's load setting): sizes batches, requests, disk writes and fetches. */
  readonly valueBytes: number;
  /** Stop producing new values at this simulated time (the load phase ends before settle). */
  readonly stopAtUs: number;
  /** The partitions of the topic this producer writes (scenario `topics` / `producers[].topic`); absent: every data partition. */
  readonly partitions?: readonly number[];
}

/** A transactional producer's own settings (models/transactions/txn-producer.ts), besides ProducerConfig's. */
export interface TransactionalConfig {
  /** transactional.id */
  readonly transactionalId: string;
  /** transaction.timeout.ms: the coordinator aborts a transaction open longer than this. */
  readonly transactionTimeoutUs: number;
  /** Records each transaction holds (ksim's workload setting). */
  readonly recordsPerTransaction: number;
  /** The chance that the application aborts a transaction on purpose once its records were sent. */
  readonly abortProbability: number;
}

/** isolation.level */
export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface ConsumerConfig {
  readonly group: string;
  /** KIP-345 group.instance.id: a static member; null for a dynamic one. */
  readonly groupInstanceId: string | null;
  readonly commit: CommitStrategy;
  readonly autoOffsetReset: OffsetResetStrategy;
  /**
   * KIP-320: the consumer validates its position with OffsetsForLeaderEpoch after a leader change and
   * sends its leader epoch with fetches. Off for brokers before KIP-320 (protocol.epochFencing
   * false), as the Java client skips validation against brokers that lack the API.
   */
  readonly validatePositions: boolean;
  readonly autoCommitIntervalUs: number;
  readonly sessionTimeoutUs: number;
  readonly heartbeatIntervalUs: number;
  readonly maxPollIntervalUs: number;
  readonly processingUs: number;
  readonly fetchWaitMaxUs: number;
  readonly maxPollRecords: number;
  /** isolation.level; absent: read_uncommitted. */
  readonly isolationLevel?: IsolationLevel;
  /** The partitions of the topic the group subscribes to (scenario `topics` / `consumers[].subscribe`); absent: every data partition. */
  readonly partitions?: readonly number[];
}

/** Fixed overhead of a request or response. */
export const HEADER_BYTES = 64;
/** Inter-broker and controller requests time out after this (Kafka's socket timeouts, shortened). */
export const BROKER_REQUEST_TIMEOUT_US = 5_000_000;
/** How often brokers heartbeat to the controller (KRaft broker.heartbeat.interval.ms). */
export const BROKER_HEARTBEAT_INTERVAL_US = 2_000_000;
/** A consumer's max.poll.records (Kafka's default): records one consumer fetch returns at most. */
export const MAX_FETCH_RECORDS = 500;
/** replica.fetch.backoff.ms */
export const REPLICA_FETCH_BACKOFF_US = 1_000_000;
/** replica.fetch.max.bytes: a follower fetch returns whole batches up to this many bytes (at least one batch). */
export const REPLICA_FETCH_MAX_BYTES = 1_048_576;

/**
 * The min.insync.replicas that holds for a partition: the broker's, except on `__transaction_state`,
 * whose topic Kafka creates with transaction.state.log.min.isr (TransactionStateManager's topic
 * configs). Kafka refuses to create that topic on fewer brokers than its replication factor; ksim
 * gives it min(3, brokers) replicas, so the setting is capped at the partition's replica count.
 */
export function minInsyncReplicasOf(config: BrokerConfig, layout: ClusterLayout, partition: number): number {
  if (partition !== (layout.transactionPartition ?? null) || config.transactionStateLogMinIsr === undefined) return config.minInsyncReplicas;
  return Math.min(config.transactionStateLogMinIsr, (layout.replicas[partition] ?? []).length);
}
