// What the group coordinator writes to the offsets partition (Kafka's __consumer_offsets): the
// group's metadata at the end of every rebalance, and one record per committed partition offset.
// The log is the coordinator's only durable state: a broker that becomes the partition's leader
// rebuilds every group from it (loadGroups), so a commit is exactly as safe as a data record.
import type { NodeId } from '../../sim/env.js';
import type { CommittedOffset } from './group-messages.js';
import type { LogRecord } from '../replication/records.js';
import { payloadOf } from '../replication/records.js';

export interface GroupMemberRecord {
  readonly memberId: string;
  /** KIP-345: kept in the log, so a new coordinator still knows which member a restarted instance replaces. */
  readonly groupInstanceId: string | null;
  readonly client: NodeId;
  readonly sessionTimeoutUs: number;
  readonly rebalanceTimeoutUs: number;
  readonly partitions: readonly number[];
}

export type GroupLogPayload =
  /** A generation's members and their assignment (no members: the group became empty). */
  | { readonly kind: 'group'; readonly group: string; readonly generation: number; readonly leader: string | null; readonly members: readonly GroupMemberRecord[] }
  /** A committed offset: the next offset the group reads in `partition`, and the leader epoch it was read in (KIP-320). */
  | {
    readonly kind: 'offset'; readonly group: string; readonly partition: number; readonly offset: number; readonly leaderEpoch: number;
    readonly generation: number; readonly memberId: string;
    /**
     * A transactional offset commit (TxnOffsetCommit): pending until this producer's transaction
     * marker follows it in the log; absent for an ordinary commit.
     */
    readonly producerId?: number;
  }
  /** The controllers' metadata log (controllers > 1): the controller's whole state after one change (models/controller/controller.ts); null marks a new active controller's start. */
  | { readonly kind: 'metadata'; readonly image: object | null };

/** Internal records carry no data value. */
export const INTERNAL_VALUE = -1;

/** Transactional offset commits not yet decided, by producer id, then partition (GroupMetadata.pendingTransactionalOffsetCommits). */
export type PendingTxnOffsets = Map<number, Map<number, CommittedOffset>>;

export interface LoadedGroup {
  readonly generation: number;
  readonly leader: string | null;
  readonly members: readonly GroupMemberRecord[];
  readonly offsets: ReadonlyMap<number, CommittedOffset>;
  /** Transactional commits whose producer's marker is not in the log yet. */
  readonly pendingTxn: PendingTxnOffsets;
}

/** Moves a producer's pending transactional commits into the committed offsets (commit) or drops them (abort). */
export function completeTxnOffsets(offsets: Map<number, CommittedOffset>, pending: PendingTxnOffsets, producerId: number, commit: boolean): void {
  const mine = pending.get(producerId);
  if (mine === undefined) return;
  pending.delete(producerId);
  if (commit) for (const [partition, committed] of mine) offsets.set(partition, committed);
}

/**
 * Replays the offsets log: the last group record and the last offset record of each partition win;
 * a transactional offset record waits for its producer's marker, which materializes it (commit) or
 * drops it (abort), as GroupMetadataManager.loadGroupsAndOffsets replays them. `producerEpochs`
 * receives the newest marker epoch of each producer (the coordinator fences older TxnOffsetCommits).
 */
export function loadGroups(records: readonly LogRecord[], producerEpochs?: Map<number, number>): Map<string, LoadedGroup> {
  const groups = new Map<string, { generation: number; leader: string | null; members: readonly GroupMemberRecord[]; offsets: Map<number, CommittedOffset>; pendingTxn: PendingTxnOffsets }>();
  const entry = (group: string) => {
    let found = groups.get(group);
    if (found === undefined) {
      found = { generation: 0, leader: null, members: [], offsets: new Map(), pendingTxn: new Map() };
      groups.set(group, found);
    }
    return found;
  };
  for (const record of records) {
    const payload = payloadOf(record);
    if (payload?.kind === 'marker') {
      producerEpochs?.set(payload.producerId, Math.max(payload.producerEpoch, producerEpochs.get(payload.producerId) ?? -1));
      for (const group of groups.values()) completeTxnOffsets(group.offsets, group.pendingTxn, payload.producerId, payload.commit);
      continue;
    }
    // Only the group coordinator's kinds.
    if (payload === undefined || (payload.kind !== 'offset' && payload.kind !== 'group')) continue;
    const group = entry(payload.group);
    if (payload.kind === 'offset') {
      const committed = { partition: payload.partition, offset: payload.offset, leaderEpoch: payload.leaderEpoch };
      if (payload.producerId === undefined) group.offsets.set(payload.partition, committed);
      else {
        let mine = group.pendingTxn.get(payload.producerId);
        if (mine === undefined) group.pendingTxn.set(payload.producerId, mine = new Map());
        mine.set(payload.partition, committed);
      }
      continue;
    }
    group.generation = payload.generation;
    group.leader = payload.leader;
    group.members = payload.members;
  }
  return groups;
}
