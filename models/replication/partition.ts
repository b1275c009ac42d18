// A hosted partition: switches between leader, follower and no role as the controller's metadata
// says, and routes the partition's messages to the current role.
import type { NodeId } from '../../sim/env.js';
import { HEADER_BYTES } from '../config.js';
import { FollowerRole } from './follower.js';
import type { ReplicaState } from '../history/history.js';
import { LeaderRole } from './leader.js';
import { LeaderRoutes } from './leader-routes.js';
import { answerListOffsets } from './list-offsets.js';
import type {
  AlterPartitionResponse, ConsumerFetch, EpochQuery, EpochQueryResponse, ErrorCode, FetchRequest, FetchResponse, ListOffsetsRequest,
  PartitionMeta,
} from '../messages.js';
import { finalRecordsOf } from './records.js';
import type { BrokerContext } from './replica.js';
import { ReplicaCore } from './replica.js';
import { txnState } from '../transactions/txn-records.js';

export class PartitionReplica extends LeaderRoutes {
  readonly core: ReplicaCore;
  private followerRole: FollowerRole | null = null;

  constructor(ctx: BrokerContext, partition: number) {
    super();
    this.core = new ReplicaCore(ctx, partition);
  }

  /** Applies newer metadata for this partition (the broker filters out older partition epochs). */
  applyMeta(meta: PartitionMeta): void {
    const core = this.core;
    const me = core.ctx.id;
    const newEpoch = meta.leaderEpoch > core.leaderEpoch;
    if (meta.leader === me) {
      if (core.role === 'leader' && !newEpoch) return this.leaderRole?.applyMeta(meta);
      return this.becomeLeader(meta);
    }
    if (meta.leader === null) {
      if (core.role !== 'none' || newEpoch) this.becomeNone(meta);
      return;
    }
    const sameLeader = core.role === 'follower' && core.leader === meta.leader;
    if (sameLeader && newEpoch && !core.ctx.config.truncateOnEpochChange) return this.keepFollowing(meta);
    if (!sameLeader || newEpoch) this.becomeFollower(meta);
  }

  /**
   * Before KAFKA-7164 (Partition.makeFollower up to 2.0.0): a new epoch whose leader is the one this
   * replica already follows changes only the epoch it acts in. The fetcher goes on from the log end
   * without truncating, although the leader may have truncated its own log in the epochs this
   * replica missed (anomaly 7).
   */
  private keepFollowing(meta: PartitionMeta): void {
    const core = this.core;
    core.env.assert(meta.leaderEpoch > core.leaderEpoch, `p${core.partition}: leader epoch ${meta.leaderEpoch} <= ${core.leaderEpoch}`);
    core.leaderEpoch = meta.leaderEpoch;
    core.env.trace('follower', { partition: core.partition, epoch: meta.leaderEpoch, leader: meta.leader!, truncation: 'skipped' });
  }

  private switchRole(meta: PartitionMeta): number {
    const core = this.core;
    this.leaderRole?.stop();
    this.followerRole?.stop();
    this.leaderRole = null;
    this.followerRole = null;
    core.env.assert(meta.leaderEpoch >= core.leaderEpoch, `p${core.partition}: leader epoch ${meta.leaderEpoch} < ${core.leaderEpoch}`);
    core.leaderEpoch = meta.leaderEpoch;
    core.leader = meta.leader;
    core.role = 'none';
    return ++core.session;
  }

  private becomeLeader(meta: PartitionMeta): void {
    const core = this.core;
    const session = this.switchRole(meta);
    core.whenDiskIdle(() => {
      if (core.session !== session) return;
      core.log.assignEpoch(meta.leaderEpoch, core.log.logEndOffset);
      core.persistEpochs();
      core.role = 'leader';
      this.leaderRole = new LeaderRole(core, meta);
      core.env.trace('leader', { partition: core.partition, epoch: meta.leaderEpoch, isr: [...meta.isr], leo: core.log.logEndOffset, hw: core.highWatermark });
      this.leaderRole.maybeAdvanceHighWatermark();
    });
  }

  private becomeFollower(meta: PartitionMeta): void {
    const core = this.core;
    const session = this.switchRole(meta);
    const leader = meta.leader!;
    core.role = 'follower';
    core.env.trace('follower', { partition: core.partition, epoch: meta.leaderEpoch, leader });
    core.whenDiskIdle(() => {
      if (core.session !== session) return;
      this.followerRole = new FollowerRole(core, leader);
      this.followerRole.start();
    });
  }

  private becomeNone(meta: PartitionMeta): void {
    this.switchRole(meta);
    this.core.env.trace('offline', { partition: this.core.partition, epoch: meta.leaderEpoch });
  }

  // ---------------------------------------------------------------- routing

  onFetch(from: NodeId, req: FetchRequest): void {
    if (this.leaderRole !== null) return this.leaderRole.onFetch(from, req);
    // Not the leader (any more, or not yet): tell the follower so it re-checks its epoch.
    const error: ErrorCode = req.currentLeaderEpoch > this.core.leaderEpoch ? 'UNKNOWN_LEADER_EPOCH' : 'NOT_LEADER_OR_FOLLOWER';
    this.core.env.send(from, {
      type: 'fetch-resp', partition: this.core.partition, session: req.session, error, batches: [],
      highWatermark: -1, leaderLogEnd: -1,
    }, HEADER_BYTES);
  }

  onEpochQuery(from: NodeId, req: EpochQuery): void {
    if (this.leaderRole !== null) return this.leaderRole.onEpochQuery(from, req);
    const error: ErrorCode = req.currentLeaderEpoch > this.core.leaderEpoch ? 'UNKNOWN_LEADER_EPOCH' : 'NOT_LEADER_OR_FOLLOWER';
    this.core.env.send(from, { type: 'epoch-query-resp', partition: this.core.partition, session: req.session, error, epoch: -1, endOffset: -1 }, HEADER_BYTES);
  }

  onConsumerFetch(from: NodeId, req: ConsumerFetch): void {
    if (this.leaderRole !== null) return this.leaderRole.onConsumerFetch(from, req);
    this.core.env.send(from, {
      type: 'consumer-fetch-resp', id: req.id, partition: this.core.partition, error: 'NOT_LEADER_OR_FOLLOWER', records: [], highWatermark: -1,
    }, HEADER_BYTES);
  }

  onListOffsets(from: NodeId, req: ListOffsetsRequest): void {
    this.core.env.send(from, answerListOffsets(this.core, this.leaderRole !== null, req), HEADER_BYTES);
  }

  onFetchResponse(resp: FetchResponse): void {
    this.followerRole?.onFetchResponse(resp);
  }

  onEpochQueryResponse(resp: EpochQueryResponse): void {
    this.followerRole?.onEpochQueryResponse(resp);
  }

  onAlterPartitionResponse(resp: AlterPartitionResponse): void {
    this.leaderRole?.onAlterPartitionResponse(resp);
  }

  disconnected(peer: NodeId): void {
    this.followerRole?.disconnected(peer);
  }

  shrinkCheck(): void {
    this.leaderRole?.maybeShrinkIsr();
  }

  state(up: boolean): ReplicaState {
    const core = this.core;
    return {
      node: core.ctx.id, partition: core.partition, up, isLeader: core.role === 'leader', leaderEpoch: core.leaderEpoch,
      logStartOffset: 0, logEndOffset: core.log.logEndOffset, highWatermark: core.highWatermark,
      records: finalRecordsOf(core.log.batches),
      ...txnState(core.log.batches),
    };
  }
}
