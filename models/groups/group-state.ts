// The coordinator's in-memory view of one consumer group (Kafka's GroupMetadata): its phase,
// generation, members and committed offsets. It lives only while this broker leads the offsets
// partition and is rebuilt from that partition's log (group-records.ts) whenever it starts to.
import type { NodeId, TimerId } from '../../sim/env.js';
import type { CommittedOffset } from './group-messages.js';
import type { GroupMemberRecord, LoadedGroup, PendingTxnOffsets } from './group-records.js';

/** Kafka's group states: Empty, PreparingRebalance, CompletingRebalance, Stable. */
export type GroupPhase = 'empty' | 'preparing' | 'completing' | 'stable';

/** A request the coordinator answers later (a JoinGroup parked until the join completes, a SyncGroup until the assignment is stored). */
export interface ParkedRequest {
  readonly to: NodeId;
  readonly id: number;
}

export interface Member {
  /** Changes only when a static member's restarted instance replaces it (updateStaticMember). */
  memberId: string;
  readonly groupInstanceId: string | null;
  client: NodeId;
  sessionTimeoutUs: number;
  rebalanceTimeoutUs: number;
  /** Fires session.timeout.ms after the member was last heard from (a delay, as Kafka's purgatory: no clock reading). */
  sessionTimer: TimerId;
  join: ParkedRequest | null;
  sync: ParkedRequest | null;
  partitions: readonly number[];
}

export interface Group {
  readonly id: string;
  phase: GroupPhase;
  generation: number;
  leader: string | null;
  readonly members: Map<string, Member>;
  /** KIP-345: group.instance.id → the member id that instance holds now. */
  readonly staticMembers: Map<string, string>;
  /** KIP-394: member ids handed out in MEMBER_ID_REQUIRED, expiring unless the client joins with them. */
  readonly pending: Map<string, TimerId>;
  /** Committed offsets: applied only once their record is committed in the offsets partition. */
  readonly offsets: Map<number, CommittedOffset>;
  /** Transactional offset commits waiting for their producer's marker (pendingTransactionalOffsetCommits). */
  readonly pendingTxn: PendingTxnOffsets;
  /** Ends the join phase: stops waiting for members that have not rejoined. */
  joinTimer: TimerId;
  /** Kafka's group.initial.rebalance.delay.ms: a group forming from empty waits the whole delay for more members. */
  holdUntilDeadline: boolean;
  /** The leader's assignment is being written: a repeated leader SyncGroup must not write it twice. */
  storing: boolean;
}

export function emptyGroup(id: string): Group {
  return {
    id, phase: 'empty', generation: 0, leader: null, members: new Map(), staticMembers: new Map(), pending: new Map(), offsets: new Map(), pendingTxn: new Map(),
    joinTimer: -1, holdUntilDeadline: false, storing: false,
  };
}

/** A group as the log left it: its members are Stable in their generation (their sessions start when the coordinator activates it). */
export function groupFromLog(id: string, loaded: LoadedGroup): Group {
  const group = emptyGroup(id);
  group.generation = loaded.generation;
  group.leader = loaded.leader;
  group.phase = loaded.members.length > 0 ? 'stable' : 'empty';
  for (const m of loaded.members) {
    group.members.set(m.memberId, {
      memberId: m.memberId, groupInstanceId: m.groupInstanceId, client: m.client, sessionTimeoutUs: m.sessionTimeoutUs,
      rebalanceTimeoutUs: m.rebalanceTimeoutUs, sessionTimer: -1, join: null, sync: null, partitions: m.partitions,
    });
    if (m.groupInstanceId !== null) group.staticMembers.set(m.groupInstanceId, m.memberId);
  }
  for (const [partition, offset] of loaded.offsets) group.offsets.set(partition, offset);
  for (const [producerId, offsets] of loaded.pendingTxn) group.pendingTxn.set(producerId, new Map(offsets));
  return group;
}

export function memberRecords(group: Group): GroupMemberRecord[] {
  return [...group.members.values()].map((m) => ({
    memberId: m.memberId, groupInstanceId: m.groupInstanceId, client: m.client, sessionTimeoutUs: m.sessionTimeoutUs, rebalanceTimeoutUs: m.rebalanceTimeoutUs, partitions: m.partitions,
  }));
}
