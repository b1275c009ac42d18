// A Raft follower's fetch loop (KIP-595, Kafka's FollowerState and KafkaRaftClient.handleFetchResponse):
// pull from the leader with the offset and epoch after its last entry; a diverging-epoch answer
// truncates the conflicting suffix (log matching), records are appended and, with raft.fsync, made
// durable before the next fetch, whose offset is what the leader counts toward the quorum. The
// commit index comes with every answer. Every answer from the leader resets the fetch timeout.
import type { Env, NodeId } from '../../sim/env.js';
import type { RaftConfig } from '../config.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES } from '../config.js';
import type { Deadline } from '../deadlines.js';
import { Deadlines } from '../deadlines.js';
import type { FetchResponse } from '../messages.js';
import type { ReplicaCore } from '../replication/replica.js';
import { logFile } from '../replication/replica.js';
import { firstRequestId } from '../request-ids.js';

/** quorum.retry.backoff.ms */
const RETRY_BACKOFF_US = 20_000;

/** The epoch of the log's last entry (Kafka's lastFetchedEpoch), -1 for an empty log; an epoch begun with no entry does not count. */
export function lastEntryEpoch(core: ReplicaCore): number {
  const batches = core.log.batches;
  return batches.length === 0 ? -1 : batches[batches.length - 1]!.epoch;
}

export class RaftFollower {
  private requestId: number;
  private pending: number | null = null;
  private pendingTimeout: Deadline<number> | null = null;
  private readonly timeouts: Deadlines<number>;
  private backoffTimer = -1;
  /** Set once the role ends: late callbacks (ReplicaCore.appendFetched reads it) do nothing. */
  stopped = false;

  constructor(
    private readonly core: ReplicaCore,
    readonly leader: NodeId,
    private readonly config: RaftConfig,
    /** A valid answer came from the leader: the fetch timeout starts again. */
    private readonly onContact: () => void,
  ) {
    this.requestId = firstRequestId(core.env);
    this.timeouts = new Deadlines(core.env, (id) => {
      if (this.stopped || id !== this.pending) return;
      this.pending = null;
      this.fetch();
    });
  }

  private get env(): Env {
    return this.core.env;
  }

  /** Once the previous role's disk writes landed: drop an epoch begun with no entry (it would sit above the leader's entries), then fetch. */
  start(): void {
    this.core.truncateOnDisk(this.core.log.logEndOffset, () => this.fetch());
  }

  stop(): void {
    this.stopped = true;
    this.pending = null;
    this.timeouts.clear();
    this.env.cancelTimer(this.backoffTimer);
  }

  disconnected(peer: NodeId): void {
    if (!this.stopped && this.pending !== null && peer === this.leader) this.backoff();
  }

  private fetch(): void {
    if (this.stopped) return;
    const core = this.core;
    const id = ++this.requestId;
    const waitUs = core.ctx.config.replicaFetchWaitMaxUs;
    this.env.send(this.leader, {
      type: 'fetch', partition: core.partition, replica: core.ctx.id, brokerEpoch: core.ctx.brokerEpoch(),
      fetchOffset: core.log.logEndOffset, lastFetchedEpoch: lastEntryEpoch(core), currentLeaderEpoch: core.leaderEpoch,
      maxWaitUs: waitUs, session: id,
    }, HEADER_BYTES);
    this.answered();
    this.pending = id;
    this.pendingTimeout = this.timeouts.add(waitUs + BROKER_REQUEST_TIMEOUT_US, id);
  }

  private answered(): void {
    if (this.pendingTimeout !== null) this.timeouts.cancel(this.pendingTimeout);
    this.pendingTimeout = null;
    this.pending = null;
  }

  private backoff(): void {
    this.answered();
    this.env.cancelTimer(this.backoffTimer);
    const id = ++this.requestId;
    this.backoffTimer = this.env.setTimer(RETRY_BACKOFF_US, () => {
      if (!this.stopped && this.requestId === id) this.fetch();
    });
  }

  onFetchResponse(resp: FetchResponse): void {
    if (this.stopped || resp.session !== this.pending) return;
    this.requestId++;
    this.answered();
    if (resp.error !== null) return this.backoff();
    this.onContact();
    const core = this.core;
    const diverging = resp.divergingEpoch;
    if (diverging !== undefined) {
      // KafkaMetadataLog.truncateToEndOffset: to the diverging epoch's end, or our own end of the
      // largest epoch we have below it. Kafka refuses to truncate below the high watermark; here a
      // leader that lost committed entries (fsync off, power loss) can ask it, and the follower
      // obeys: the loss shows in the checkers instead of stopping the run.
      const mine = core.log.endOffsetFor(diverging.epoch);
      const to = diverging.epoch < 0 || mine.epoch < 0 ? 0 : mine.epoch === diverging.epoch ? Math.min(mine.endOffset, diverging.endOffset) : mine.endOffset;
      core.truncateOnDisk(to, () => this.fetch());
      return;
    }
    const batches = resp.batches;
    const first = batches[0];
    if (first === undefined) {
      this.learnHighWatermark(resp.highWatermark);
      return this.fetch();
    }
    if (first.baseOffset !== core.log.logEndOffset) return this.fetch();
    core.appendFetched(batches, this, () => {
      const next = (): void => {
        if (this.stopped) return;
        this.learnHighWatermark(resp.highWatermark);
        this.fetch();
      };
      // KafkaRaftClient.appendAsFollower: a voter flushes before its next fetch reports the offset.
      if (this.config.fsync) this.env.disk.fsync(logFile(core.partition), next);
      else next();
    });
  }

  /** KafkaRaftClient.updateFollowerHighWatermark: the leader's, cut to our log end; it only grows (a truncation cuts it). */
  private learnHighWatermark(leaderHw: number): void {
    const hw = Math.min(leaderHw, this.core.log.logEndOffset);
    if (hw > this.core.highWatermark) this.core.setHighWatermark(hw);
  }
}
