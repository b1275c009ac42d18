// The consumer group RPCs (Kafka's classic group protocol): FindCoordinator, JoinGroup, SyncGroup,
// Heartbeat, LeaveGroup, OffsetCommit and OffsetFetch. Requests go from a consumer to a broker;
// every response carries the request's id. Errors use Kafka's codes.
import type { NodeId } from '../../sim/env.js';
import type { ErrorCode } from '../messages.js';

export interface PartitionOffset {
  readonly partition: number;
  /** The next offset to read. */
  readonly offset: number;
}

/**
 * A committed offset as OffsetCommit carries it since KIP-320: with the leader epoch of the last
 * record consumed before it (-1: unknown), so that a consumer resuming from it can validate it
 * against the log as it is then.
 */
export interface CommittedOffset extends PartitionOffset {
  readonly leaderEpoch: number;
}

/** A member as the group's leader sees it for assigning (Kafka's MemberInfo). */
export interface GroupMemberInfo {
  readonly memberId: string;
  /** KIP-345 group.instance.id, or null for a dynamic member. */
  readonly groupInstanceId: string | null;
}

/** Asked of any broker: who leads the offsets partition, i.e. coordinates every group here. */
export interface FindCoordinatorRequest { readonly type: 'find-coordinator'; readonly id: number; readonly group: string }
export interface FindCoordinatorResponse { readonly type: 'find-coordinator-resp'; readonly id: number; readonly error: ErrorCode | null; readonly coordinator: NodeId | null }

export interface JoinGroupRequest {
  readonly type: 'join-group';
  readonly id: number;
  readonly group: string;
  /** '' on the first join: the coordinator assigns one. */
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly sessionTimeoutUs: number;
  /** max.poll.interval.ms: how long the coordinator waits for this member to rejoin. */
  readonly rebalanceTimeoutUs: number;
}
export interface JoinGroupResponse {
  readonly type: 'join-group-resp';
  readonly id: number;
  readonly error: ErrorCode | null;
  readonly generation: number;
  readonly memberId: string;
  readonly leader: string;
  /** Every member of the new generation, for the leader to assign; empty for the others. */
  readonly members: readonly GroupMemberInfo[];
  /**
   * JoinGroup v9: a static leader replaced while the group is Stable learns it leads but must not
   * assign (the group keeps its assignment); its SyncGroup carries none.
   */
  readonly skipAssignment: boolean;
}

export interface MemberAssignment {
  readonly memberId: string;
  readonly partitions: readonly number[];
}
export interface SyncGroupRequest {
  readonly type: 'sync-group';
  readonly id: number;
  readonly group: string;
  readonly generation: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  /** The leader's assignment of every member; empty from the others. */
  readonly assignments: readonly MemberAssignment[];
}
export interface SyncGroupResponse { readonly type: 'sync-group-resp'; readonly id: number; readonly error: ErrorCode | null; readonly partitions: readonly number[] }

export interface GroupHeartbeatRequest {
  readonly type: 'group-heartbeat'; readonly id: number; readonly group: string; readonly generation: number; readonly memberId: string;
  readonly groupInstanceId: string | null;
}
export interface GroupHeartbeatResponse { readonly type: 'group-heartbeat-resp'; readonly id: number; readonly error: ErrorCode | null }

export interface LeaveGroupRequest { readonly type: 'leave-group'; readonly id: number; readonly group: string; readonly memberId: string; readonly groupInstanceId: string | null }
export interface LeaveGroupResponse { readonly type: 'leave-group-resp'; readonly id: number; readonly error: ErrorCode | null }

export interface OffsetCommitRequest {
  readonly type: 'offset-commit';
  readonly id: number;
  readonly group: string;
  readonly generation: number;
  readonly memberId: string;
  readonly groupInstanceId: string | null;
  readonly offsets: readonly CommittedOffset[];
}
export interface OffsetCommitResponse { readonly type: 'offset-commit-resp'; readonly id: number; readonly error: ErrorCode | null }

/**
 * `requireStable` (KIP-447, OffsetFetch v7): answer UNSTABLE_OFFSET_COMMIT rather than an offset
 * while a transactional commit to one of the partitions is pending. Absent: false.
 */
export interface OffsetFetchRequest {
  readonly type: 'offset-fetch'; readonly id: number; readonly group: string; readonly partitions: readonly number[]; readonly requireStable?: true;
}
/** offset -1: the group never committed that partition. */
export interface OffsetFetchResponse { readonly type: 'offset-fetch-resp'; readonly id: number; readonly error: ErrorCode | null; readonly offsets: readonly CommittedOffset[] }

/**
 * TxnOffsetCommit (KIP-98, with KIP-447's group metadata): a transactional producer's offsets for
 * `group`, pending at the group coordinator until the producer's transaction marker reaches the
 * offsets partition. `generation` and `memberId` are the consumer's (ConsumerGroupMetadata), so a
 * producer of an instance that lost its partitions in a rebalance is fenced by the group.
 */
export interface TxnOffsetCommitRequest {
  readonly type: 'txn-offset-commit'; readonly id: number; readonly transactionalId: string; readonly group: string;
  readonly producerId: number; readonly producerEpoch: number; readonly generation: number; readonly memberId: string;
  readonly offsets: readonly CommittedOffset[];
}
export interface TxnOffsetCommitResponse { readonly type: 'txn-offset-commit-resp'; readonly id: number; readonly error: ErrorCode | null }

/** What a broker receives from consumers (part of BrokerInbound). */
export type GroupRequest =
  | FindCoordinatorRequest | JoinGroupRequest | SyncGroupRequest | GroupHeartbeatRequest
  | LeaveGroupRequest | OffsetCommitRequest | OffsetFetchRequest | TxnOffsetCommitRequest;

/** What a consumer receives from brokers in answer. */
export type GroupResponse =
  | FindCoordinatorResponse | JoinGroupResponse | SyncGroupResponse | GroupHeartbeatResponse
  | LeaveGroupResponse | OffsetCommitResponse | OffsetFetchResponse | TxnOffsetCommitResponse;

/** A JoinGroup answered with an error: no generation, no leader, no members. */
export function joinGroupError(id: number, error: ErrorCode, memberId: string): JoinGroupResponse {
  return { type: 'join-group-resp', id, error, generation: -1, memberId, leader: '', members: [], skipAssignment: false };
}
