// A consumer's membership in its group (the Java client's AbstractCoordinator): JoinGroup, then
// SyncGroup (the leader runs the range assignor), then heartbeats every heartbeat.interval.ms from
// the "heartbeat thread" while the application processes. A rebalance the coordinator announces is
// joined only at the application's next poll, as in the real client; a member that exceeds
// max.poll.interval.ms leaves the group on its own. A static member (KIP-345 group.instance.id)
// joins under its instance id, never sends LeaveGroup (its session alone ends its membership), and
// stops for good when the coordinator fences it (FENCED_INSTANCE_ID: another process took its id).
import type { Env } from '../../sim/env.js';
import type { ConsumerConfig } from '../config.js';
import { rangeAssign } from './group-assignor.js';
import type { GroupCalls } from './group-calls.js';
import { CLIENT_RETRY_BACKOFF_US, COORDINATOR_REQUEST_TIMEOUT_US } from './group-calls.js';
import type { GroupHeartbeatResponse, JoinGroupResponse, MemberAssignment, SyncGroupResponse } from './group-messages.js';
import type { HistoryRecorder } from '../history/history.js';
import type { ErrorCode } from '../messages.js';

/** The Java client's JOIN_GROUP_TIMEOUT_LAPSE: a JoinGroup may wait the whole rebalance timeout. */
const JOIN_TIMEOUT_LAPSE_US = 5_000_000;

/** `fenced`: FENCED_INSTANCE_ID, fatal in the Java client (the application must close the consumer). */
export type MemberState = 'unjoined' | 'joining' | 'syncing' | 'stable' | 'fenced';

export interface Assignment {
  readonly generation: number;
  readonly memberId: string;
  readonly partitions: readonly number[];
}

export class GroupMember {
  state: MemberState = 'unjoined';
  memberId = '';
  generation = -1;
  private rejoinNeeded = false;
  /** The application's poll waiting for the group to be Stable. */
  private activeWaiter: ((assigned: Assignment | null) => void) | null = null;
  /** Bumped whenever a join attempt is abandoned: late answers to it are ignored. */
  private attempt = 0;
  private heartbeatPending = false;
  private lastHeartbeatOkUs = 0;
  /** Told when a rebalance starts: a poll waiting for records returns so that the consumer rejoins. */
  onRejoinNeeded: () => void = () => undefined;
  /** Told once when the member is fenced: the consumer is unusable from then on. */
  onFatal: () => void = () => undefined;

  constructor(
    private readonly env: Env,
    private readonly config: ConsumerConfig,
    private readonly calls: GroupCalls,
    private readonly history: HistoryRecorder,
    private readonly dataPartitions: number,
    /** The subscribed topic's partitions (a list of topics); absent: every data partition. */
    private readonly topicPartitions?: readonly number[],
  ) {}

  /** RangeAssignor over the subscribed topic's partitions. */
  private assign(members: JoinGroupResponse['members']): MemberAssignment[] {
    const topic = this.topicPartitions;
    if (topic === undefined) return rangeAssign(members, this.dataPartitions);
    return rangeAssign(members, topic.length).map((a) => ({ memberId: a.memberId, partitions: a.partitions.map((i) => topic[i]!) }));
  }

  start(): void {
    this.env.setTimer(this.config.heartbeatIntervalUs, () => this.heartbeatTick());
  }

  /** Called at every poll: answers at once (null) while Stable; otherwise after (re)joining, with the new assignment. */
  ensureActive(done: (assigned: Assignment | null) => void): void {
    if (this.state === 'fenced') return;
    if (this.state === 'stable' && !this.rejoinNeeded) return done(null);
    this.activeWaiter = done;
    if (this.state === 'stable' || this.state === 'unjoined') this.join();
  }

  needsRejoin(): boolean {
    return this.state !== 'stable' || this.rejoinNeeded;
  }

  /**
   * max.poll.interval.ms expired (KIP-62): a dynamic member leaves so the group rebalances without
   * waiting for it. A static member sends no LeaveGroup (Kafka ≥ 2.3's maybeLeaveGroup): the
   * coordinator keeps its place until its session times out, and its next join takes it back.
   */
  leaveGroup(reason: string): void {
    if (this.memberId === '' || this.state === 'fenced') return;
    const memberId = this.memberId;
    const { group, groupInstanceId } = this.config;
    this.env.trace('leave-group', { group, member: memberId, reason, sent: groupInstanceId === null });
    if (groupInstanceId === null && this.calls.knowsCoordinator()) {
      this.calls.withCoordinator((coordinator) => this.calls.call(coordinator, (id) => ({ type: 'leave-group', id, group, memberId, groupInstanceId }), COORDINATOR_REQUEST_TIMEOUT_US, () => undefined));
    }
    this.reset(true);
  }

  // ---------------------------------------------------------------- join and sync

  private join(): void {
    const attempt = ++this.attempt;
    this.state = 'joining';
    this.rejoinNeeded = false;
    this.calls.withCoordinator((coordinator) => {
      if (attempt !== this.attempt) return;
      const { group, groupInstanceId, sessionTimeoutUs, maxPollIntervalUs } = this.config;
      // Java waits the whole rebalance timeout (+ lapse) for a JoinGroup answer: over TCP a late answer
      // still arrives. A cut here drops it for good, so the wait is bounded by the session timeout and
      // the member asks again (the coordinator takes a repeated join as the same member's).
      const waitUs = Math.min(maxPollIntervalUs, sessionTimeoutUs) + JOIN_TIMEOUT_LAPSE_US;
      this.calls.call(coordinator, (id) => ({ type: 'join-group', id, group, memberId: this.memberId, groupInstanceId, sessionTimeoutUs, rebalanceTimeoutUs: maxPollIntervalUs }),
        waitUs, (resp) => {
          if (attempt === this.attempt) this.onJoinResponse(resp as JoinGroupResponse | null);
        });
    });
  }

  private onJoinResponse(resp: JoinGroupResponse | null): void {
    if (resp?.error === 'MEMBER_ID_REQUIRED') {
      // KIP-394: join again under the id the coordinator handed out.
      this.memberId = resp.memberId;
      return this.join();
    }
    if (resp === null || resp.error !== null) return this.joinFailed(resp?.error ?? null);
    this.memberId = resp.memberId;
    this.generation = resp.generation;
    this.state = 'syncing';
    this.lastHeartbeatOkUs = this.env.now();
    // A static leader that replaced itself in a Stable group leads without assigning (skipAssignment).
    const assigns = resp.leader === resp.memberId && !resp.skipAssignment;
    const assignments = assigns ? this.assign(resp.members) : [];
    const attempt = this.attempt;
    const { generation, memberId } = this;
    const { group, groupInstanceId } = this.config;
    this.calls.withCoordinator((coordinator) => {
      if (attempt !== this.attempt) return;
      this.calls.call(coordinator, (id) => ({ type: 'sync-group', id, group, generation, memberId, groupInstanceId, assignments }),
        COORDINATOR_REQUEST_TIMEOUT_US, (r) => {
          if (attempt === this.attempt) this.onSyncResponse(r as SyncGroupResponse | null);
        });
    });
  }

  private onSyncResponse(resp: SyncGroupResponse | null): void {
    if (resp === null || resp.error !== null) return this.joinFailed(resp?.error ?? null);
    this.env.assert(this.state === 'syncing', `${this.config.group}: SyncGroup answered in state ${this.state}`);
    this.state = 'stable';
    this.lastHeartbeatOkUs = this.env.now();
    const assignment: Assignment = { generation: this.generation, memberId: this.memberId, partitions: resp.partitions };
    this.history.record({
      kind: 'assign', t: this.env.now(), process: this.env.node, group: this.config.group, generation: this.generation, partitions: resp.partitions,
      ...(this.config.isolationLevel === 'read_committed' ? { readCommitted: true } : {}),
    });
    this.env.trace('assigned', { group: this.config.group, generation: this.generation, member: this.memberId, partitions: resp.partitions });
    const waiter = this.activeWaiter;
    this.activeWaiter = null;
    waiter?.(assignment);
  }

  /** A failed join or sync: learn what the error says, then try again after the backoff. */
  private joinFailed(error: ErrorCode | null): void {
    if (error === 'FENCED_INSTANCE_ID') return this.fenced();
    if (error === 'NOT_COORDINATOR' || error === 'COORDINATOR_NOT_AVAILABLE') this.calls.markCoordinatorUnknown(error);
    this.reset(error === 'UNKNOWN_MEMBER_ID');
  }

  /** FENCED_INSTANCE_ID: another process holds our group.instance.id. Fatal, as in the Java client. */
  private fenced(): void {
    if (this.state === 'fenced') return;
    this.env.trace('member-fenced', { group: this.config.group, member: this.memberId, error: 'FENCED_INSTANCE_ID', instance: this.config.groupInstanceId });
    this.attempt++;
    this.state = 'fenced';
    this.generation = -1;
    this.activeWaiter = null;
    this.onFatal();
  }

  /** Back to no generation (Java's resetGenerationOnResponseError); a poll waiting for the group joins again. */
  private reset(forgetMemberId: boolean): void {
    this.attempt++;
    this.state = 'unjoined';
    this.generation = -1;
    if (forgetMemberId) this.memberId = '';
    if (this.activeWaiter === null) {
      this.rejoinNeeded = true;
      return this.onRejoinNeeded();
    }
    const attempt = this.attempt;
    this.env.setTimer(CLIENT_RETRY_BACKOFF_US, () => {
      if (attempt === this.attempt && this.activeWaiter !== null) this.join();
    });
  }

  // ---------------------------------------------------------------- heartbeat

  private heartbeatTick(): void {
    if (this.state === 'fenced') return;
    this.env.setTimer(this.config.heartbeatIntervalUs, () => this.heartbeatTick());
    if (this.state !== 'stable' && this.state !== 'syncing') return;
    const now = this.env.now();
    if (now - this.lastHeartbeatOkUs > this.config.sessionTimeoutUs) {
      // No answer for a whole session: the coordinator may have moved (Java: sessionTimeoutExpired).
      this.lastHeartbeatOkUs = now;
      this.calls.markCoordinatorUnknown('session-timeout');
    }
    if (this.heartbeatPending) return;
    this.heartbeatPending = true;
    const { generation, memberId } = this;
    const { group, groupInstanceId } = this.config;
    this.calls.withCoordinator((coordinator) => {
      this.calls.call(coordinator, (id) => ({ type: 'group-heartbeat', id, group, generation, memberId, groupInstanceId }),
        COORDINATOR_REQUEST_TIMEOUT_US, (resp) => {
          this.heartbeatPending = false;
          if (generation === this.generation && memberId === this.memberId) this.onHeartbeatResponse(resp as GroupHeartbeatResponse | null);
        });
    });
  }

  private onHeartbeatResponse(resp: GroupHeartbeatResponse | null): void {
    if (resp === null) return;
    const error = resp.error;
    if (error === 'NOT_COORDINATOR' || error === 'COORDINATOR_NOT_AVAILABLE') return this.calls.markCoordinatorUnknown(error);
    if (error === 'FENCED_INSTANCE_ID') return this.fenced();
    this.lastHeartbeatOkUs = this.env.now();
    if (error === null || this.state !== 'stable') return;
    if (error === 'REBALANCE_IN_PROGRESS') {
      if (this.rejoinNeeded) return;
      this.rejoinNeeded = true;
      return this.onRejoinNeeded();
    }
    // ILLEGAL_GENERATION or UNKNOWN_MEMBER_ID: this member was dropped from the group.
    this.env.trace('member-fenced', { group: this.config.group, member: this.memberId, error });
    this.reset(error === 'UNKNOWN_MEMBER_ID');
  }
}
