// The follower role of a partition replica (KAFKA.md "Truncation on becoming follower"): first
// truncate — to the local high watermark before Kafka 0.11; to the leader's end offset for our
// latest epoch (KIP-101 as 0.11's ReplicaFetcherThread.maybeTruncate shipped it); or walking back to
// the largest common prefix (KIP-279, 2.0's AbstractFetcherThread.getOffsetTruncationState) — then
// fetch in a loop, appending what the leader returns and learning its high watermark.
import type { Env, Message, NodeId } from '../../sim/env.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES, REPLICA_FETCH_BACKOFF_US } from '../config.js';
import type { EpochQueryResponse, FetchResponse } from '../messages.js';
import type { ReplicaCore } from './replica.js';
import type { Deadline } from '../deadlines.js';
import { Deadlines } from '../deadlines.js';
import { firstRequestId } from '../request-ids.js';

/** The one request a follower has in flight: its id, and what to do if it times out. */
interface Pending {
  readonly id: number;
  readonly retry: () => void;
}

export class FollowerRole {
  private requestId: number;
  private pending: Pending | null = null;
  private pendingTimeout: Deadline<Pending> | null = null;
  /** Fetches go out every few milliseconds and almost never time out: their timeouts share one kernel timer. */
  private readonly timeouts: Deadlines<Pending>;
  private backoffTimer = -1;
  /** Set once the role ends: late callbacks (ReplicaCore.appendFetched reads it) do nothing. */
  stopped = false;
  /** The fetch loop's retry, made once: a follower sends a fetch every few milliseconds. */
  private readonly fetchFn = (): void => this.fetch();

  constructor(private readonly core: ReplicaCore, private readonly leader: NodeId) {
    this.requestId = firstRequestId(core.env);
    this.timeouts = new Deadlines(core.env, (pending) => {
      if (this.stopped || pending !== this.pending) return;
      this.pending = null;
      pending.retry();
    });
  }

  private get env(): Env {
    return this.core.env;
  }

  private get epochMode(): boolean {
    return this.core.ctx.config.truncation !== 'high-watermark';
  }

  /** KIP-320: the leader epoch our requests carry; -1 (the protocol before it) tells the leader to skip the check. */
  private get requestEpoch(): number {
    return this.core.ctx.config.epochFencing ? this.core.leaderEpoch : -1;
  }

  /** Called once any disk writes of the previous role have landed. */
  start(): void {
    if (!this.epochMode) {
      // Before KIP-101: the follower trusts its own (possibly stale) high watermark.
      this.core.truncateOnDisk(this.core.highWatermark, () => this.fetch());
      return;
    }
    this.askEpochEnd(this.core.log.lastEpoch());
  }

  stop(): void {
    this.stopped = true;
    this.pending = null;
    this.timeouts.clear();
    this.env.cancelTimer(this.backoffTimer);
  }

  /** Sends a request; if no answer comes in time, `retry` runs (the whole step again). */
  private request<M extends Message>(msg: M, retry: () => void, waitUs = 0): number {
    const id = ++this.requestId;
    this.env.send(this.leader, msg, HEADER_BYTES);
    this.answered();
    this.pending = { id, retry };
    this.pendingTimeout = this.timeouts.add(waitUs + BROKER_REQUEST_TIMEOUT_US, this.pending);
    return id;
  }

  /** The connection to the leader broke with a request in flight: try the step again after the backoff. */
  disconnected(peer: NodeId): void {
    const pending = this.pending;
    if (this.stopped || pending === null || peer !== this.leader) return;
    this.backoff(pending.retry);
  }

  /** The request in flight was answered: its timeout no longer matters. */
  private answered(): void {
    if (this.pendingTimeout !== null) this.timeouts.cancel(this.pendingTimeout);
    this.pendingTimeout = null;
    this.pending = null;
  }

  private backoff(then: () => void): void {
    this.answered();
    this.env.cancelTimer(this.backoffTimer);
    const id = ++this.requestId;
    this.backoffTimer = this.env.setTimer(REPLICA_FETCH_BACKOFF_US, () => {
      if (!this.stopped && this.requestId === id) then();
    });
  }

  // ---------------------------------------------------------------- epoch truncation (KIP-101, KIP-279)

  private askEpochEnd(epoch: number): void {
    // An empty log still drops an empty epoch it began as leader (see ReplicaLog.truncateTo).
    if (this.core.log.logEndOffset === 0) return this.truncateThenFetch(0);
    if (epoch < 0) return this.fetch();
    const core = this.core;
    this.request({
      type: 'epoch-query', partition: core.partition, currentLeaderEpoch: this.requestEpoch,
      leaderEpoch: epoch, session: this.requestId + 1,
    }, () => this.askEpochEnd(epoch));
  }

  onEpochQueryResponse(resp: EpochQueryResponse): void {
    if (this.stopped || resp.session !== this.requestId) return;
    this.requestId++;
    this.answered();
    if (resp.error !== null) return this.backoff(() => this.askEpochEnd(this.core.log.lastEpoch()));
    const log = this.core.log;
    if (this.core.ctx.config.truncation === 'epoch-end-offset') {
      // KIP-101 as 0.11 shipped it: the answer is an offset only. Unknown: our high watermark;
      // otherwise that offset, or our log end if we have less. Whether our records below it are
      // the leader's is never checked (anomaly 6, fixed by KIP-279's walk below).
      return this.truncateThenFetch(resp.epoch < 0 ? this.core.highWatermark : Math.min(resp.endOffset, log.logEndOffset));
    }
    if (resp.epoch < 0) return this.truncateThenFetch(0);
    const mine = log.endOffsetFor(resp.epoch);
    if (mine.epoch === resp.epoch) return this.truncateThenFetch(Math.min(resp.endOffset, mine.endOffset));
    if (mine.epoch < 0) return this.truncateThenFetch(0);
    // The leader named an epoch we never had: ask about our largest epoch below it (KIP-279).
    this.askEpochEnd(mine.epoch);
  }

  private truncateThenFetch(offset: number): void {
    this.core.truncateOnDisk(offset, () => {
      if (!this.stopped) this.fetch();
    });
  }

  // ---------------------------------------------------------------- fetch loop

  private fetch(): void {
    if (this.stopped) return;
    const core = this.core;
    const config = core.ctx.config;
    this.request({
      type: 'fetch', partition: core.partition, replica: core.ctx.id, brokerEpoch: core.ctx.brokerEpoch(),
      fetchOffset: core.log.logEndOffset, lastFetchedEpoch: core.log.lastEpoch(),
      currentLeaderEpoch: this.requestEpoch,
      maxWaitUs: config.replicaFetchWaitMaxUs, session: this.requestId + 1,
    }, this.fetchFn, config.replicaFetchWaitMaxUs);
  }

  onFetchResponse(resp: FetchResponse): void {
    if (this.stopped || resp.session !== this.requestId) return;
    // Answered: a duplicate of this response (a chaos network) must not be appended a second time.
    this.requestId++;
    this.answered();
    if (resp.error === 'OFFSET_OUT_OF_RANGE') return this.onOutOfRange(resp.leaderLogEnd);
    if (resp.error !== null) return this.backoff(this.fetchFn);
    const core = this.core;
    const batches = resp.batches;
    const first = batches[0];
    if (first === undefined) {
      this.learnHighWatermark(resp.highWatermark);
      return this.fetch();
    }
    if (first.baseOffset !== core.log.logEndOffset) return this.fetch();
    core.appendFetched(batches, this, () => {
      this.learnHighWatermark(resp.highWatermark);
      this.fetch();
    });
  }

  /** The follower's HW is the leader's, cut to its own log end. */
  private learnHighWatermark(leaderHw: number): void {
    this.core.setHighWatermark(Math.min(leaderHw, this.core.log.logEndOffset));
  }

  /**
   * Our log runs past the leader's: before KIP-279, cut to its end (ReplicaFetcherThread.handleOffsetOutOfRange
   * in 0.10 and 0.11); with the walk, walk again.
   */
  private onOutOfRange(leaderLogEnd: number): void {
    if (this.core.ctx.config.truncation !== 'leader-epoch') return this.truncateThenFetch(leaderLogEnd);
    this.askEpochEnd(this.core.log.lastEpoch());
  }
}
