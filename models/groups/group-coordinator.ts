// The group coordinator of one broker (Kafka's GroupCoordinator + GroupMetadataManager). It serves
// while this broker leads the offsets partition: on becoming its leader it rebuilds every group from
// that partition's log; on losing it, it forgets them and answers NOT_COORDINATOR, so the clients
// look for the new leader. Offset commits and group assignments are appended to the partition like
// an acks=all produce and answered only once committed: they face the same faults as data.
import type { Env, Message, NodeId } from '../../sim/env.js';
import { HEADER_BYTES } from '../config.js';
import type {
  FindCoordinatorRequest, GroupRequest, GroupResponse, OffsetCommitRequest, OffsetFetchRequest, TxnOffsetCommitRequest,
} from './group-messages.js';
import { joinGroupError } from './group-messages.js';
import { GroupMembership } from './group-membership.js';
import type { GroupLogPayload } from './group-records.js';
import { completeTxnOffsets, loadGroups } from './group-records.js';
import type { Group, GroupPhase } from './group-state.js';
import { emptyGroup, groupFromLog, memberRecords } from './group-state.js';
import type { ErrorCode } from '../messages.js';
import type { PartitionReplica } from '../replication/partition.js';

/** offsets.commit.timeout.ms: how long a commit waits for the offsets partition's HW. */
export const OFFSETS_COMMIT_TIMEOUT_US = 5_000_000;
/** How often a change of the offsets partition's leadership is noticed when no request comes. */
const TICK_US = 100_000;

export class GroupCoordinator {
  /** The groups while this broker coordinates (leads the offsets partition); null otherwise. */
  private groups: Map<string, Group> | null = null;
  /** The offsets replica's role session the groups were loaded in. */
  private loadedSession = -1;
  /**
   * The newest producer epoch of each producer's transaction markers in the offsets partition: a
   * TxnOffsetCommit with an older epoch belongs to a transaction already ended (the log's own
   * producer-epoch check on the transactional offset batch, ProducerStateManager).
   */
  private producerEpochs = new Map<number, number>();
  private readonly membership: GroupMembership;
  private readonly ids;

  constructor(
    private readonly env: Env,
    /** This broker's replica of the offsets partition, if it hosts one. */
    private readonly replica: Pick<PartitionReplica, 'core' | 'appendInternal'> | undefined,
    /** The offsets partition's leader as this broker's metadata says: the answer to FindCoordinator. */
    private readonly leaderOfOffsets: () => NodeId | null,
  ) {
    this.ids = env.random.fork('member-ids');
    this.membership = new GroupMembership({
      env,
      reply: (to, msg) => this.send(to.to, msg),
      storeGroup: (group, done) => this.storeGroup(group, done),
      newMemberId: (group, prefix) => this.newMemberId(group, prefix),
    });
  }

  start(): void {
    if (this.replica !== undefined) this.env.setTimer(TICK_US, () => this.tick());
  }

  receive(from: NodeId, m: GroupRequest): void {
    if (m.type === 'find-coordinator') return this.onFindCoordinator(from, m);
    const groups = this.ensureLoaded();
    if (groups === null) return this.send(from, notCoordinator(m));
    switch (m.type) {
      case 'join-group': return this.membership.join(this.groupOrNew(groups, m.group), from, m);
      case 'sync-group': {
        const group = groups.get(m.group);
        if (group === undefined) return this.send(from, { type: 'sync-group-resp', id: m.id, error: 'UNKNOWN_MEMBER_ID', partitions: [] });
        return this.membership.sync(group, from, m);
      }
      case 'group-heartbeat': return this.send(from, { type: 'group-heartbeat-resp', id: m.id, error: this.membership.heartbeat(groups.get(m.group), m) });
      case 'leave-group': return this.send(from, { type: 'leave-group-resp', id: m.id, error: this.membership.leave(groups.get(m.group), m) });
      case 'offset-commit': return this.onOffsetCommit(from, groups, m);
      case 'offset-fetch': return this.onOffsetFetch(from, groups, m);
      case 'txn-offset-commit': return this.onTxnOffsetCommit(from, groups, m);
    }
  }

  private onFindCoordinator(from: NodeId, m: FindCoordinatorRequest): void {
    const coordinator = this.leaderOfOffsets();
    this.send(from, { type: 'find-coordinator-resp', id: m.id, error: coordinator === null ? 'COORDINATOR_NOT_AVAILABLE' : null, coordinator });
  }

  private groupOrNew(groups: Map<string, Group>, id: string): Group {
    let group = groups.get(id);
    if (group === undefined) {
      group = emptyGroup(id);
      groups.set(id, group);
    }
    return group;
  }

  // ---------------------------------------------------------------- offsets

  private onOffsetCommit(from: NodeId, groups: Map<string, Group>, m: OffsetCommitRequest): void {
    const group = groups.get(m.group);
    const error = this.membership.commitError(group, m);
    if (error !== null || group === undefined) return this.send(from, { type: 'offset-commit-resp', id: m.id, error: error ?? 'UNKNOWN_MEMBER_ID' });
    const payloads: GroupLogPayload[] = m.offsets.map(({ partition, offset, leaderEpoch }) => ({
      kind: 'offset', group: m.group, partition, offset, leaderEpoch, generation: m.generation, memberId: m.memberId,
    }));
    this.append(payloads, (appendError) => {
      // Applied to the cache only once committed, as Kafka's pending offset commits are.
      if (appendError === null) for (const committed of m.offsets) group.offsets.set(committed.partition, committed);
      this.send(from, { type: 'offset-commit-resp', id: m.id, error: appendError });
    });
  }

  /**
   * TxnOffsetCommit (GroupCoordinator.handleTxnCommitOffsets; in 4.x OffsetMetadataManager with
   * ClassicGroup.validateOffsetCommit(isTransactional)): the member and generation must be the
   * group's current ones (KIP-447: a producer of an instance that lost its partitions is fenced
   * here), with no check of the group's phase. The records are appended at once and held pending
   * for the producer (GroupMetadata.prepareTxnOffsetCommit) until its marker decides them.
   */
  private onTxnOffsetCommit(from: NodeId, groups: Map<string, Group>, m: TxnOffsetCommitRequest): void {
    const reply = (error: ErrorCode | null): void => this.send(from, { type: 'txn-offset-commit-resp', id: m.id, error });
    const group = groups.get(m.group);
    if (group === undefined) return reply('ILLEGAL_GENERATION');
    if (!group.members.has(m.memberId)) return reply('UNKNOWN_MEMBER_ID');
    if (m.generation !== group.generation) return reply('ILLEGAL_GENERATION');
    if (m.producerEpoch < (this.producerEpochs.get(m.producerId) ?? -1)) return reply('INVALID_PRODUCER_EPOCH');
    let pending = group.pendingTxn.get(m.producerId);
    if (pending === undefined) group.pendingTxn.set(m.producerId, pending = new Map());
    for (const committed of m.offsets) pending.set(committed.partition, committed);
    const payloads: GroupLogPayload[] = m.offsets.map(({ partition, offset, leaderEpoch }) => ({
      kind: 'offset', group: m.group, partition, offset, leaderEpoch, generation: m.generation, memberId: m.memberId, producerId: m.producerId,
    }));
    this.env.trace('txn-offset-commit', { group: m.group, producerId: m.producerId, producerEpoch: m.producerEpoch, generation: m.generation, offsets: m.offsets.flatMap((o) => [o.partition, o.offset]) });
    this.append(payloads, (error) => {
      // A failed append leaves nothing pending (onTxnOffsetCommitAppend: failed offsets are removed).
      if (error !== null && group.pendingTxn.get(m.producerId) === pending) group.pendingTxn.delete(m.producerId);
      reply(error);
    });
  }

  /**
   * The producer's marker is committed in the offsets partition (GroupCoordinator.onTransactionCompleted,
   * called by KafkaApis once WriteTxnMarkers appended it): its pending offsets become the group's
   * committed offsets, or are dropped on an abort.
   */
  onTransactionCompleted(producerId: number, producerEpoch: number, commit: boolean): void {
    const groups = this.ensureLoaded();
    if (groups === null) return;
    this.producerEpochs.set(producerId, Math.max(producerEpoch, this.producerEpochs.get(producerId) ?? -1));
    for (const group of groups.values()) {
      const pending = group.pendingTxn.get(producerId);
      if (pending === undefined) continue;
      this.env.trace('txn-offsets-complete', { group: group.id, producerId, commit, offsets: [...pending.values()].flatMap((o) => [o.partition, o.offset]) });
      completeTxnOffsets(group.offsets, group.pendingTxn, producerId, commit);
    }
  }

  private onOffsetFetch(from: NodeId, groups: Map<string, Group>, m: OffsetFetchRequest): void {
    const group = groups.get(m.group);
    // KIP-447: a read_committed consumer asks for stable offsets only; it retries while a transaction
    // that commits one of its partitions is undecided (OffsetMetadataManager.fetchOffsets).
    if (m.requireStable === true && group !== undefined && [...group.pendingTxn.values()].some((pending) => m.partitions.some((p) => pending.has(p)))) {
      this.env.trace('offset-fetch-unstable', { group: m.group, partitions: [...m.partitions] });
      return this.send(from, { type: 'offset-fetch-resp', id: m.id, error: 'UNSTABLE_OFFSET_COMMIT', offsets: [] });
    }
    const offsets = group?.offsets;
    this.send(from, {
      type: 'offset-fetch-resp', id: m.id, error: null,
      offsets: m.partitions.map((partition) => offsets?.get(partition) ?? { partition, offset: -1, leaderEpoch: -1 }),
    });
  }

  private storeGroup(group: Group, done: (error: ErrorCode | null) => void): void {
    this.append([{ kind: 'group', group: group.id, generation: group.generation, leader: group.leader, members: memberRecords(group) }], done);
  }

  /**
   * Appends to the offsets partition and answers with Kafka's coordinator errors. A callback from a
   * leadership this coordinator no longer holds is dropped: its groups are gone.
   */
  private append(payloads: readonly GroupLogPayload[], done: (error: ErrorCode | null) => void): void {
    const replica = this.replica;
    this.env.assert(replica !== undefined, 'group coordinator appends without an offsets replica');
    const groups = this.groups;
    replica!.appendInternal(payloads, OFFSETS_COMMIT_TIMEOUT_US, (error) => {
      if (this.groups !== groups) return done(error === null ? null : 'NOT_COORDINATOR');
      done(error === null ? null : error === 'NOT_LEADER_OR_FOLLOWER' ? 'NOT_COORDINATOR' : 'COORDINATOR_NOT_AVAILABLE');
    });
  }

  // ---------------------------------------------------------------- loading

  /** The groups if this broker coordinates now, (re)loaded from the log when its leadership is new. */
  private ensureLoaded(): Map<string, Group> | null {
    const core = this.replica?.core;
    if (core === undefined || core.role !== 'leader') {
      if (this.groups !== null) this.unload();
      return null;
    }
    if (this.groups === null || this.loadedSession !== core.session) this.load(core.session);
    return this.groups;
  }

  private load(session: number): void {
    if (this.groups !== null) this.unload();
    const groups = new Map<string, Group>();
    this.producerEpochs = new Map();
    for (const [id, loaded] of loadGroups(this.replica!.core.log.expandRecords(), this.producerEpochs)) {
      const group = groupFromLog(id, loaded);
      this.membership.activate(group);
      groups.set(id, group);
    }
    this.groups = groups;
    this.loadedSession = session;
    this.env.trace('coordinator-load', { groups: groups.size, logEnd: this.replica!.core.log.logEndOffset });
  }

  /** Parked joins and syncs learn at once that this broker stopped coordinating. */
  private unload(): void {
    for (const group of this.groups?.values() ?? []) {
      this.membership.deactivate(group);
      for (const member of group.members.values()) {
        if (member.join !== null) this.send(member.join.to, joinGroupError(member.join.id, 'NOT_COORDINATOR', member.memberId));
        if (member.sync !== null) this.send(member.sync.to, { type: 'sync-group-resp', id: member.sync.id, error: 'NOT_COORDINATOR', partitions: [] });
        member.join = null;
        member.sync = null;
      }
    }
    this.groups = null;
    this.env.trace('coordinator-unload', {});
  }

  private tick(): void {
    this.ensureLoaded();
    this.env.setTimer(TICK_US, () => this.tick());
  }

  /** `<prefix>-<random>`: the prefix is the client's node, or a static member's group.instance.id (as Kafka's generateMemberId). */
  private newMemberId(group: Group, prefix: string): string {
    for (;;) {
      const id = `${prefix}-${this.ids.int(0, 0xffffff).toString(16).padStart(6, '0')}`;
      if (!group.members.has(id)) return id;
    }
  }

  private send(to: NodeId, msg: GroupResponse): void {
    this.env.send<Message>(to, msg, HEADER_BYTES + 16 * responseItems(msg));
  }

  // ---------------------------------------------------------------- observation (read only)

  /**
   * The groups as this broker coordinates them now, for the harness's settle check
   * (scenario/quiescence.ts); null unless it leads the offsets partition and has loaded that
   * leadership's groups (it does at its next request or tick). Copies a few fields per member.
   */
  groupSnapshots(): GroupSnapshot[] | null {
    const core = this.replica?.core;
    if (this.groups === null || core === undefined || core.role !== 'leader' || this.loadedSession !== core.session) return null;
    return [...this.groups.values()].map((g) => ({
      group: g.id, phase: g.phase, generation: g.generation,
      members: [...g.members.values()].map((m) => ({ memberId: m.memberId, client: m.client, partitions: m.partitions })),
    }));
  }
}

function responseItems(msg: GroupResponse): number {
  if (msg.type === 'join-group-resp') return msg.members.length;
  if (msg.type === 'sync-group-resp') return msg.partitions.length;
  if (msg.type === 'offset-fetch-resp') return msg.offsets.length;
  return 0;
}

function notCoordinator(m: Exclude<GroupRequest, FindCoordinatorRequest>): GroupResponse {
  const error: ErrorCode = 'NOT_COORDINATOR';
  switch (m.type) {
    case 'join-group': return joinGroupError(m.id, error, m.memberId);
    case 'sync-group': return { type: 'sync-group-resp', id: m.id, error, partitions: [] };
    case 'group-heartbeat': return { type: 'group-heartbeat-resp', id: m.id, error };
    case 'leave-group': return { type: 'leave-group-resp', id: m.id, error };
    case 'offset-commit': return { type: 'offset-commit-resp', id: m.id, error };
    case 'offset-fetch': return { type: 'offset-fetch-resp', id: m.id, error, offsets: [] };
    case 'txn-offset-commit': return { type: 'txn-offset-commit-resp', id: m.id, error };
  }
}

/** One group as its coordinator holds it (GroupCoordinator.groupSnapshots). */
export interface GroupSnapshot {
  readonly group: string;
  readonly phase: GroupPhase;
  readonly generation: number;
  readonly members: readonly { readonly memberId: string; readonly client: NodeId; readonly partitions: readonly number[] }[];
}
