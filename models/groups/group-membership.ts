// The classic group protocol's rebalance, as the coordinator runs it for one group: JoinGroup moves
// the group to PreparingRebalance and parks until every known member rejoined (or the rebalance
// timeout drops the laggards); the join completes with a new generation and a leader; the leader's
// SyncGroup carries the assignment, which is stored in the offsets partition before anyone gets
// theirs (Stable). Heartbeats keep sessions alive and tell members of a rebalance; a member that
// leaves, times out, or joins starts a new one. Sessions and the join phase end on timers (delays,
// like Kafka's purgatory), so a jump of the coordinator's clock neither expires nor prolongs them.
import type { Env, NodeId } from '../../sim/env.js';
import type {
  GroupHeartbeatRequest, GroupResponse, JoinGroupRequest, LeaveGroupRequest, OffsetCommitRequest, SyncGroupRequest,
} from './group-messages.js';
import { joinGroupError } from './group-messages.js';
import type { Group, Member, ParkedRequest } from './group-state.js';
import { currentMember, forgetInstance, memberInfos, renameMember } from './group-static-members.js';
import type { ErrorCode } from '../messages.js';

/** group.initial.rebalance.delay.ms */
export const INITIAL_REBALANCE_DELAY_US = 3_000_000;

export interface MembershipContext {
  readonly env: Env;
  reply(to: ParkedRequest, msg: GroupResponse): void;
  /** Writes the group's generation and assignment to the offsets partition; `done` once committed or failed. */
  storeGroup(group: Group, done: (error: ErrorCode | null) => void): void;
  /** A fresh member id starting with `prefix` (the client's node, or a static member's instance id). */
  newMemberId(group: Group, prefix: string): string;
}

export class GroupMembership {
  constructor(private readonly ctx: MembershipContext) {}

  private get env(): Env {
    return this.ctx.env;
  }

  // ---------------------------------------------------------------- join

  join(group: Group, from: NodeId, req: JoinGroupRequest): void {
    if (req.memberId === '') {
      // KIP-345: a static member needs no MEMBER_ID_REQUIRED round; its instance id names it.
      if (req.groupInstanceId !== null) return this.joinStatic(group, from, req, req.groupInstanceId);
      return this.requireMemberId(group, from, req);
    }
    let member = group.members.get(req.memberId);
    const pending = group.pending.get(req.memberId);
    if (member === undefined && pending !== undefined && req.groupInstanceId === null) {
      this.env.cancelTimer(pending);
      group.pending.delete(req.memberId);
      member = this.addMember(group, req.memberId, null, from);
    }
    const current = currentMember(group, req.memberId, req.groupInstanceId);
    if (typeof current === 'string') return this.joinError(from, req, current, req.memberId);
    this.parkJoin(group, current, from, req);
    this.rebalanceForJoin(group, req);
  }

  /** A member's join starts a rebalance, or counts towards the one under way. */
  private rebalanceForJoin(group: Group, req: JoinGroupRequest): void {
    if (group.phase === 'empty') return this.prepareRebalance(group, 'initial-join', Math.min(INITIAL_REBALANCE_DELAY_US, req.rebalanceTimeoutUs));
    if (group.phase !== 'preparing') return this.prepareRebalance(group, 'join');
    this.tryCompleteJoin(group);
  }

  private addMember(group: Group, memberId: string, groupInstanceId: string | null, from: NodeId): Member {
    const member: Member = {
      memberId, groupInstanceId, client: from, sessionTimeoutUs: 0, rebalanceTimeoutUs: 0, sessionTimer: -1, join: null, sync: null, partitions: [],
    };
    group.members.set(memberId, member);
    if (groupInstanceId !== null) group.staticMembers.set(groupInstanceId, memberId);
    this.env.trace('group-member-added', { group: group.id, member: memberId });
    return member;
  }

  /** The member's JoinGroup waits for the join phase to end; its timeouts are the request's. */
  private parkJoin(group: Group, member: Member, from: NodeId, req: JoinGroupRequest): void {
    member.sessionTimeoutUs = req.sessionTimeoutUs;
    member.rebalanceTimeoutUs = req.rebalanceTimeoutUs;
    member.join = { to: from, id: req.id };
    this.touch(group, member);
  }

  /**
   * A static member joining with no member id (as Kafka's doStaticNewMemberJoinGroup): a new
   * instance joins like any new member; a known one (restarted) replaces its old member id and keeps
   * its place (updateStaticMember).
   */
  private joinStatic(group: Group, from: NodeId, req: JoinGroupRequest, instance: string): void {
    const newMemberId = this.ctx.newMemberId(group, instance);
    const oldMemberId = group.staticMembers.get(instance);
    const known = oldMemberId === undefined ? undefined : group.members.get(oldMemberId);
    if (known === undefined) {
      this.parkJoin(group, this.addMember(group, newMemberId, instance, from), from, req);
      return this.rebalanceForJoin(group, req);
    }
    // The old instance's parked requests are fenced at once (GroupMetadata.replaceStaticMember).
    if (known.join !== null) this.ctx.reply(known.join, joinGroupError(known.join.id, 'FENCED_INSTANCE_ID', known.memberId));
    if (known.sync !== null) this.ctx.reply(known.sync, { type: 'sync-group-resp', id: known.sync.id, error: 'FENCED_INSTANCE_ID', partitions: [] });
    known.join = null;
    known.sync = null;
    const before = { memberId: known.memberId, client: known.client, sessionTimeoutUs: known.sessionTimeoutUs, rebalanceTimeoutUs: known.rebalanceTimeoutUs };
    renameMember(group, known, newMemberId, from);
    this.env.trace('group-member-replaced', { group: group.id, instance, from: before.memberId, to: newMemberId, phase: group.phase });
    this.parkJoin(group, known, from, req);
    switch (group.phase) {
      case 'stable': return this.keepStaticMember(group, known, before);
      // The leader may already be assigning the old member id: the generation must be redone.
      case 'completing': return this.prepareRebalance(group, 'static-member-replaced');
      case 'preparing': return this.tryCompleteJoin(group);
      case 'empty': return this.env.assert(false, `group ${group.id}: static member ${instance} known while the group is empty`);
    }
  }

  /**
   * A Stable group keeps its generation and assignment: the replacement is written to the offsets
   * partition, then the member learns its (unchanged) generation and syncs to get its partitions. If
   * the write fails, the replacement is undone and the join refused with the write's error, as Kafka
   * does. A rebalance that began meanwhile answers the parked join itself.
   */
  private keepStaticMember(group: Group, member: Member, before: { memberId: string; client: NodeId; sessionTimeoutUs: number; rebalanceTimeoutUs: number }): void {
    const parked = member.join!;
    const generation = group.generation;
    this.ctx.storeGroup(group, (error) => {
      if (member.join !== parked || group.members.get(member.memberId) !== member) return;
      if (group.phase !== 'stable' || group.generation !== generation) return;
      member.join = null;
      if (error !== null) {
        renameMember(group, member, before.memberId, before.client);
        member.sessionTimeoutUs = before.sessionTimeoutUs;
        member.rebalanceTimeoutUs = before.rebalanceTimeoutUs;
        this.touch(group, member);
        return this.ctx.reply(parked, joinGroupError(parked.id, error, ''));
      }
      const leads = group.leader === member.memberId;
      this.ctx.reply(parked, {
        type: 'join-group-resp', id: parked.id, error: null, generation, memberId: member.memberId, leader: group.leader ?? '',
        members: leads ? memberInfos(group) : [], skipAssignment: leads,
      });
    });
  }

  /**
   * KIP-394: a first join only learns its member id and must join again with it. A client whose
   * join response is lost then rejoins as itself, not as a second, ghost member.
   */
  private requireMemberId(group: Group, from: NodeId, req: JoinGroupRequest): void {
    const memberId = this.ctx.newMemberId(group, from);
    group.pending.set(memberId, this.env.setTimer(req.sessionTimeoutUs, () => {
      group.pending.delete(memberId);
      this.tryCompleteJoin(group);
    }));
    this.joinError(from, req, 'MEMBER_ID_REQUIRED', memberId);
  }

  private joinError(from: NodeId, req: JoinGroupRequest, error: ErrorCode, memberId: string): void {
    this.ctx.reply({ to: from, id: req.id }, joinGroupError(req.id, error, memberId));
  }

  /** PreparingRebalance: members learn of it from heartbeats (or a failed sync) and rejoin. */
  private prepareRebalance(group: Group, reason: string, initialDelayUs?: number): void {
    for (const member of group.members.values()) {
      if (member.sync === null) continue;
      this.ctx.reply(member.sync, { type: 'sync-group-resp', id: member.sync.id, error: 'REBALANCE_IN_PROGRESS', partitions: [] });
      member.sync = null;
    }
    group.phase = 'preparing';
    group.storing = false;
    group.holdUntilDeadline = initialDelayUs !== undefined;
    const timeoutUs = initialDelayUs ?? Math.max(0, ...[...group.members.values()].map((m) => m.rebalanceTimeoutUs));
    this.env.cancelTimer(group.joinTimer);
    group.joinTimer = this.env.setTimer(timeoutUs, () => {
      group.joinTimer = -1;
      if (group.phase === 'preparing') this.completeJoin(group);
    });
    this.env.trace('group-rebalance', { group: group.id, generation: group.generation, reason, members: group.members.size });
    this.tryCompleteJoin(group);
  }

  private tryCompleteJoin(group: Group): void {
    if (group.phase !== 'preparing' || group.pending.size > 0) return;
    const everyone = [...group.members.values()].every((m) => m.join !== null);
    if (group.members.size === 0 || (everyone && !group.holdUntilDeadline)) this.completeJoin(group);
  }

  /** The join phase ends: laggards are dropped, the generation moves on, every joined member hears. */
  private completeJoin(group: Group): void {
    this.env.cancelTimer(group.joinTimer);
    group.joinTimer = -1;
    for (const member of [...group.members.values()]) {
      if (member.join === null) this.remove(group, member, 'rebalance-timeout');
    }
    group.generation++;
    group.holdUntilDeadline = false;
    if (group.leader !== null && !group.members.has(group.leader)) group.leader = null;
    const members = [...group.members.values()];
    this.env.trace('group-generation', { group: group.id, generation: group.generation, members: members.map((m) => m.memberId) });
    if (members.length === 0) {
      group.phase = 'empty';
      // Kafka writes the empty generation too, so a new coordinator does not resurrect old members.
      this.ctx.storeGroup(group, () => undefined);
      return;
    }
    group.phase = 'completing';
    group.leader ??= members[0]!.memberId;
    const infos = memberInfos(group);
    for (const member of members) {
      const join = member.join;
      this.env.assert(join !== null, `group ${group.id}: member ${member.memberId} in generation ${group.generation} never joined`);
      if (join === null) continue;
      member.join = null;
      this.touch(group, member);
      this.ctx.reply(join, {
        type: 'join-group-resp', id: join.id, error: null, generation: group.generation, memberId: member.memberId,
        leader: group.leader, members: member.memberId === group.leader ? infos : [], skipAssignment: false,
      });
    }
  }

  // ---------------------------------------------------------------- sync

  sync(group: Group, from: NodeId, req: SyncGroupRequest): void {
    const answer = (error: ErrorCode | null, partitions: readonly number[]) =>
      this.ctx.reply({ to: from, id: req.id }, { type: 'sync-group-resp', id: req.id, error, partitions });
    const member = currentMember(group, req.memberId, req.groupInstanceId);
    if (typeof member === 'string') return answer(member, []);
    if (req.generation !== group.generation) return answer('ILLEGAL_GENERATION', []);
    if (group.phase === 'preparing') return answer('REBALANCE_IN_PROGRESS', []);
    this.touch(group, member);
    if (group.phase === 'stable') return answer(null, member.partitions);
    this.env.assert(group.phase === 'completing', `group ${group.id}: sync in phase ${group.phase}`);
    member.sync = { to: from, id: req.id };
    if (req.memberId !== group.leader || group.storing) return;
    this.storeAssignment(group, req);
  }

  /** The leader's assignment becomes the generation's only once it is committed in the offsets log. */
  private storeAssignment(group: Group, req: SyncGroupRequest): void {
    const assigned = new Map<string, readonly number[]>();
    const owners = new Set<number>();
    for (const a of req.assignments) {
      assigned.set(a.memberId, a.partitions);
      // Two owners of one partition in one generation would break every delivery guarantee.
      for (const p of a.partitions) {
        this.env.assert(!owners.has(p), `group ${group.id}: partition ${p} assigned twice in generation ${group.generation}`);
        owners.add(p);
      }
    }
    for (const member of group.members.values()) member.partitions = assigned.get(member.memberId) ?? [];
    group.storing = true;
    const generation = group.generation;
    this.ctx.storeGroup(group, (error) => {
      if (group.generation !== generation || group.phase !== 'completing') return;
      group.storing = false;
      if (error !== null) {
        this.answerSyncs(group, error);
        return this.prepareRebalance(group, 'store-failed');
      }
      group.phase = 'stable';
      this.env.trace('group-stable', { group: group.id, generation });
      this.answerSyncs(group, null);
    });
  }

  private answerSyncs(group: Group, error: ErrorCode | null): void {
    for (const member of group.members.values()) {
      if (member.sync === null) continue;
      this.ctx.reply(member.sync, { type: 'sync-group-resp', id: member.sync.id, error, partitions: error === null ? member.partitions : [] });
      member.sync = null;
    }
  }

  // ---------------------------------------------------------------- heartbeat, leave, commit

  heartbeat(group: Group | undefined, req: GroupHeartbeatRequest): ErrorCode | null {
    if (group === undefined) return 'UNKNOWN_MEMBER_ID';
    const member = currentMember(group, req.memberId, req.groupInstanceId);
    if (typeof member === 'string') return member;
    if (req.generation !== group.generation) return 'ILLEGAL_GENERATION';
    this.touch(group, member);
    return group.phase === 'preparing' ? 'REBALANCE_IN_PROGRESS' : null;
  }

  leave(group: Group | undefined, req: LeaveGroupRequest): ErrorCode | null {
    if (group === undefined) return 'UNKNOWN_MEMBER_ID';
    const member = currentMember(group, req.memberId, req.groupInstanceId);
    if (typeof member === 'string') return member;
    this.remove(group, member, 'leave');
    this.afterRemoval(group);
    return null;
  }

  /** Kafka's order: an unknown member, then a stale generation, then a rebalance waiting for the assignment. */
  commitError(group: Group | undefined, req: OffsetCommitRequest): ErrorCode | null {
    if (group === undefined) return 'UNKNOWN_MEMBER_ID';
    const member = currentMember(group, req.memberId, req.groupInstanceId);
    if (typeof member === 'string') return member;
    if (req.generation !== group.generation) return 'ILLEGAL_GENERATION';
    if (group.phase === 'completing') return 'REBALANCE_IN_PROGRESS';
    this.touch(group, member);
    return null;
  }

  // ---------------------------------------------------------------- sessions

  /** A group just loaded from the log: every member's session starts now. */
  activate(group: Group): void {
    for (const member of group.members.values()) this.touch(group, member);
  }

  /** The coordinator let go of the group: nothing of it may fire any more. */
  deactivate(group: Group): void {
    this.env.cancelTimer(group.joinTimer);
    for (const timer of group.pending.values()) this.env.cancelTimer(timer);
    for (const member of group.members.values()) this.env.cancelTimer(member.sessionTimer);
  }

  /** The member was heard from: its session restarts. */
  private touch(group: Group, member: Member): void {
    this.env.cancelTimer(member.sessionTimer);
    member.sessionTimer = this.env.setTimer(member.sessionTimeoutUs, () => {
      member.sessionTimer = -1;
      // A member parked in JoinGroup is alive by definition (Kafka does not expire it).
      if (group.members.get(member.memberId) !== member || member.join !== null) return;
      this.remove(group, member, 'session-timeout');
      this.afterRemoval(group);
    });
  }

  private remove(group: Group, member: Member, reason: string): void {
    group.members.delete(member.memberId);
    forgetInstance(group, member);
    this.env.cancelTimer(member.sessionTimer);
    if (member.sync !== null) this.ctx.reply(member.sync, { type: 'sync-group-resp', id: member.sync.id, error: 'UNKNOWN_MEMBER_ID', partitions: [] });
    if (member.join !== null) this.ctx.reply(member.join, joinGroupError(member.join.id, 'UNKNOWN_MEMBER_ID', member.memberId));
    this.env.trace('group-member-removed', { group: group.id, member: member.memberId, reason });
  }

  private afterRemoval(group: Group): void {
    if (group.phase === 'stable' || group.phase === 'completing') return this.prepareRebalance(group, 'member-removed');
    this.tryCompleteJoin(group);
  }
}
