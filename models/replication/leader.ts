// The leader role of a partition replica (KAFKA.md "The write path"): appends produce requests,
// keeps acks=all requests in a purgatory until the high watermark passes them, serves follower
// fetches (long poll), tracks each follower's log end and last caught-up time, advances the high
// watermark over the ISR, and asks the controller to shrink or expand the ISR.
import type { Env, NodeId } from '../../sim/env.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES, REPLICA_FETCH_MAX_BYTES } from '../config.js';
import type { Acks } from '../config.js';
import type {
  AlterPartitionResponse, ConsumerFetch, EpochQuery, ErrorCode, FetchRequest, PartitionMeta, ProduceBatch,
} from '../messages.js';
import { INTERNAL_VALUE } from '../groups/group-records.js';
import type { InternalPayload, MarkerPayload } from '../transactions/txn-records.js';
import type { LogRecord, RecordBatch } from './records.js';
import { INTERNAL_VALUE_BYTES, batchBytes, bytesOf, expandInto, sliceFrom } from './records.js';
import type { Deadline } from '../deadlines.js';
import { Deadlines } from '../deadlines.js';
import type { ReplicaCore } from './replica.js';

/** What an append needs of a batch: a client's (one partition's part of a produce request), or the group coordinator's write. */
type AppendBatch = Omit<ProduceBatch, 'partition'>;

/** How an append is answered: a client's produce response, or the group coordinator's callback. */
export type AppendDone = (error: ErrorCode | null, baseOffset: number) => void;

/**
 * Raft's rules in place of the ISR's (models/raft/leader-quorum.ts): commit by majority, no ISR,
 * fetches validated against the leader's log (KIP-595's diverging epoch). Null for an ISR leader.
 */
export interface LeaderQuorum {
  /** The diverging epoch a fetch at this position gets (KafkaRaftClient's validateOffsetAndEpoch); null when it is consistent. */
  diverging(fetchOffset: number, lastFetchedEpoch: number): { readonly epoch: number; readonly endOffset: number } | null;
  /** A voter fetched (check-quorum counts it). */
  fetched(from: NodeId): void;
  /** The commit index the voters' fetch offsets (their log ends, -1 if not yet known) allow. */
  commitIndex(followerEnds: readonly number[]): number;
  /** The leader appended to its log (the quorum fsyncs it when it must, then asks for a new commit index). */
  appended(): void;
}

interface FollowerState {
  /** -1 until the follower's first fetch in this leadership. */
  logEndOffset: number;
  /** -Infinity: never caught up in this leadership. */
  lastCaughtUpUs: number;
  lastFetchUs: number;
  /** The leader's log end at this follower's previous fetch (Kafka's lastFetchLeaderLogEndOffset). */
  leaderEndAtLastFetch: number;
  brokerEpoch: number;
  /** The controller refused to add it to the ISR (INELIGIBLE_REPLICA: fenced, or a stale incarnation) at its last try. */
  refused: boolean;
}

interface ProduceWaiter {
  readonly respond: AppendDone;
  readonly baseOffset: number;
  readonly requiredOffset: number;
  timeout: Deadline<ProduceWaiter> | null;
  done: boolean;
}

/** The answered entries leave a leader's parked list when it reaches this length (or twice its live entries). */
const PARKED_COMPACT_MIN = 64;

interface ParkedFetch {
  readonly respond: () => void;
  readonly consumer: boolean;
  timeout: Deadline<ParkedFetch> | null;
  done: boolean;
}

export class LeaderRole {
  isr: NodeId[];
  partitionEpoch: number;
  private pendingIsr: NodeId[] | null = null;
  private alterTimer = -1;
  private readonly followers = new Map<NodeId, FollowerState>();
  private purgatory: ProduceWaiter[] = [];
  private parked: ParkedFetch[] = [];
  /** park() drops the answered entries from `parked` once it is this long (see park). */
  private parkedCompactAt = PARKED_COMPACT_MIN;
  /** Request timeouts and long-poll waits, each on one kernel timer (see deadlines.ts). */
  private readonly produceTimeouts: Deadlines<ProduceWaiter>;
  private readonly pollTimeouts: Deadlines<ParkedFetch>;
  private nextOffset: number;
  private lastTracedLso = -1;

  constructor(private readonly core: ReplicaCore, meta: PartitionMeta, private readonly quorum: LeaderQuorum | null = null) {
    const now = core.env.now();
    this.isr = [...meta.isr];
    this.partitionEpoch = meta.partitionEpoch;
    this.nextOffset = core.log.logEndOffset;
    this.produceTimeouts = new Deadlines(core.env, (waiter) => {
      if (waiter.done) return;
      waiter.done = true;
      waiter.respond('REQUEST_TIMED_OUT', -1);
    });
    this.pollTimeouts = new Deadlines(core.env, (parked) => {
      if (parked.done) return;
      parked.done = true;
      parked.respond();
    });
    for (const replica of meta.replicas) {
      if (replica === core.ctx.id) continue;
      // As Kafka's Replica.resetReplicaState for a new leader: an ISR member counts as caught up
      // "now", so the new leader does not shrink it at once; any other as never caught up, so it
      // holds back no high watermark before it has fetched.
      const lastCaughtUpUs = this.isr.includes(replica) ? now : -Infinity;
      this.followers.set(replica, { logEndOffset: -1, lastCaughtUpUs, lastFetchUs: -Infinity, leaderEndAtLastFetch: -1, brokerEpoch: -1, refused: false });
    }
    core.env.assert(this.isr.includes(core.ctx.id), `p${core.partition}: leader ${core.ctx.id} not in its ISR ${this.isr.join(',')}`);
  }

  private get env(): Env {
    return this.core.env;
  }

  // ---------------------------------------------------------------- produce

  /** A client's batch, one partition's part of a produce request (the broker gathers the answers). */
  appendClient(batch: ProduceBatch, acks: Acks, timeoutUs: number, respond: AppendDone): void {
    this.append(batch, acks, timeoutUs, null, respond);
  }

  /**
   * The group coordinator's own writes to the offsets partition: appended like an acks=all produce
   * (min ISR, purgatory, timeout), so offset commits face the same faults as data.
   */
  appendInternal(payloads: readonly InternalPayload[], timeoutUs: number, done: AppendDone): void {
    const values = new Array<number>(payloads.length).fill(INTERNAL_VALUE);
    const sizeBytes = batchBytes(values.length, INTERNAL_VALUE_BYTES);
    this.append({ values, sizeBytes, producerId: -1, producerEpoch: -1, baseSequence: -1 }, 'all', timeoutUs, payloads, done);
  }

  /**
   * WriteTxnMarkers for this partition: a control batch appended like the coordinator's own writes
   * (acks=all). A marker of an older producer epoch than the partition knows is refused
   * (ProducerAppendInfo.checkProducerEpoch for a marker).
   */
  appendMarker(marker: MarkerPayload, timeoutUs: number, done: AppendDone): void {
    const known = this.core.producers.epochOf(marker.producerId);
    if (known !== undefined && marker.producerEpoch < known) return done('INVALID_PRODUCER_EPOCH', -1);
    this.appendInternal([marker], timeoutUs, done);
  }

  private append(req: AppendBatch, acks: Acks, timeoutUs: number, payloads: readonly InternalPayload[] | null, respond: AppendDone): void {
    if (acks === 'all' && this.quorum === null && this.isr.length < this.core.minInsyncReplicas) return respond('NOT_ENOUGH_REPLICAS', -1);
    const count = req.values.length;
    if (req.producerId >= 0) {
      const check = this.core.producers.check(req.producerId, req.producerEpoch, req.baseSequence, count);
      if (check.kind === 'error') return respond(check.error, -1);
      if (check.kind === 'duplicate') return this.afterAppend(acks, timeoutUs, check.baseOffset, count, respond);
    }
    const baseOffset = this.nextOffset;
    this.nextOffset += count;
    const batch = newBatch(baseOffset, this.core.leaderEpoch, req, count, this.env.now(), payloads);
    // The producer state moves when the leader accepts a batch (under Kafka's log lock), not when
    // the disk has it: a pipelined next batch is checked against this one.
    this.core.producers.observeBatch(batch);
    const session = this.core.session;
    this.core.appendToDisk([batch], false, () => {
      if (this.core.session !== session) {
        // Leadership moved while the write was under way: the batch is in the log, but whether
        // they survive is for the truncation protocol to decide. Outcome unknown to the client.
        return respond('NOT_LEADER_OR_FOLLOWER', -1);
      }
      this.wakeParked(false);
      this.quorum?.appended();
      this.afterAppend(acks, timeoutUs, baseOffset, count, respond);
      this.maybeAdvanceHighWatermark();
    });
  }

  private afterAppend(acks: Acks, timeoutUs: number, baseOffset: number, count: number, respond: AppendDone): void {
    if (acks === '0') return;
    if (acks === '1') return respond(null, baseOffset);
    const waiter: ProduceWaiter = { respond, baseOffset, requiredOffset: baseOffset + count, timeout: null, done: false };
    if (this.core.highWatermark >= waiter.requiredOffset) return this.completeWaiter(waiter);
    waiter.timeout = this.produceTimeouts.add(timeoutUs, waiter);
    this.purgatory.push(waiter);
  }

  private completeWaiter(waiter: ProduceWaiter): void {
    waiter.done = true;
    if (waiter.timeout !== null) this.produceTimeouts.cancel(waiter.timeout);
    // The HW passed the batch, but if the ISR shrank below min ISR meanwhile Kafka says so.
    const enough = this.quorum !== null || this.isr.length >= this.core.minInsyncReplicas;
    waiter.respond(enough ? null : 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', enough ? waiter.baseOffset : -1);
  }

  // ---------------------------------------------------------------- replication

  onFetch(from: NodeId, req: FetchRequest): void {
    const error = this.epochError(req.currentLeaderEpoch);
    if (error !== null) return this.respondFetch(from, req, error, []);
    const follower = this.followers.get(from);
    if (follower === undefined) return this.respondFetch(from, req, 'NOT_LEADER_OR_FOLLOWER', []);
    if (this.quorum !== null) {
      this.quorum.fetched(from);
      const diverging = this.quorum.diverging(req.fetchOffset, req.lastFetchedEpoch);
      if (diverging !== null) return this.respondFetch(from, req, null, [], diverging);
    }
    const leo = this.core.log.logEndOffset;
    if (req.fetchOffset > leo) return this.respondFetch(from, req, 'OFFSET_OUT_OF_RANGE', []);
    this.updateFollower(follower, req, leo);
    this.maybeExpandIsr(from, follower);
    this.maybeAdvanceHighWatermark();
    if (req.fetchOffset < leo || req.maxWaitUs <= 0) return this.respondFetch(from, req, null, this.batchesFrom(req.fetchOffset, leo));
    this.park(false, req.maxWaitUs, () => this.respondFetch(from, req, null, this.batchesFrom(req.fetchOffset, this.core.log.logEndOffset)));
  }

  /** KIP-320: requests carry the sender's leader epoch; -1 (the old protocol) skips the check. */
  private epochError(epoch: number): ErrorCode | null {
    if (epoch < 0) return null;
    if (epoch < this.core.leaderEpoch) return 'FENCED_LEADER_EPOCH';
    if (epoch > this.core.leaderEpoch) return 'UNKNOWN_LEADER_EPOCH';
    return null;
  }

  private updateFollower(follower: FollowerState, req: FetchRequest, leo: number): void {
    const now = this.env.now();
    // Caught up now if it asked for the log end; or caught up as of its previous fetch if it asked
    // for at least what the leader had then (Kafka's Replica.updateFetchState).
    if (req.fetchOffset >= leo) follower.lastCaughtUpUs = now;
    else if (req.fetchOffset >= follower.leaderEndAtLastFetch) follower.lastCaughtUpUs = Math.max(follower.lastCaughtUpUs, follower.lastFetchUs);
    follower.logEndOffset = req.fetchOffset;
    follower.lastFetchUs = now;
    follower.leaderEndAtLastFetch = leo;
    follower.brokerEpoch = req.brokerEpoch;
  }

  /**
   * Whole batches from the one holding `offset` up to `end`, at most replica.fetch.max.bytes (at
   * least one batch, as Kafka returns an oversized first batch whole).
   */
  private batchesFrom(offset: number, end: number): readonly RecordBatch[] {
    if (offset >= end) return [];
    const log = this.core.log;
    const batches = log.batches;
    const out: RecordBatch[] = [];
    let bytes = 0;
    for (let i = log.batchIndexOf(offset); i < batches.length; i++) {
      const batch = batches[i]!;
      if (batch.baseOffset >= end || (out.length > 0 && bytes + batch.sizeBytes > REPLICA_FETCH_MAX_BYTES)) break;
      out.push(out.length === 0 ? sliceFrom(batch, offset) : batch);
      bytes += batch.sizeBytes;
    }
    return out;
  }

  private respondFetch(
    to: NodeId, req: FetchRequest, error: ErrorCode | null, batches: readonly RecordBatch[], divergingEpoch?: { readonly epoch: number; readonly endOffset: number },
  ): void {
    const core = this.core;
    this.env.send(to, {
      type: 'fetch-resp', partition: core.partition, session: req.session, error, batches,
      highWatermark: core.highWatermark, leaderLogEnd: core.log.logEndOffset,
      ...(divergingEpoch === undefined ? {} : { divergingEpoch }),
    }, HEADER_BYTES + bytesOf(batches));
  }

  onEpochQuery(from: NodeId, req: EpochQuery): void {
    const error = this.epochError(req.currentLeaderEpoch);
    const answer = error === null ? this.core.log.endOffsetFor(req.leaderEpoch) : { epoch: -1, endOffset: -1 };
    this.env.send(from, { type: 'epoch-query-resp', partition: this.core.partition, session: req.session, error, ...answer }, HEADER_BYTES);
  }

  onConsumerFetch(from: NodeId, req: ConsumerFetch): void {
    const error = this.epochError(req.currentLeaderEpoch);
    if (error !== null) return this.respondConsumer(from, req, error);
    if (req.offset > this.core.log.logEndOffset) return this.respondConsumer(from, req, 'OFFSET_OUT_OF_RANGE');
    if (req.offset < this.readableEnd(req) || req.maxWaitUs <= 0) return this.respondConsumer(from, req, null);
    this.park(true, req.maxWaitUs, () => this.respondConsumer(from, req, null));
  }

  /**
   * Where a consumer's reads stop: the high watermark, or for read_committed the last stable offset
   * (UnifiedLog.lastStableOffset: below the first record of the earliest open transaction).
   */
  private readableEnd(req: ConsumerFetch): number {
    const hw = this.core.highWatermark;
    if (req.readCommitted !== true) return hw;
    const unstable = this.core.producers.firstUnstableOffset();
    return unstable === null ? hw : Math.min(hw, unstable);
  }

  /** A consumer's records are expanded from the batches below the HW (up to max.poll.records), the bytes those batches'. */
  private respondConsumer(to: NodeId, req: ConsumerFetch, error: ErrorCode | null): void {
    const core = this.core;
    const hw = this.readableEnd(req);
    const records: LogRecord[] = [];
    let bytes = HEADER_BYTES;
    if (error === null && req.offset < hw) {
      const log = core.log;
      const max = Math.min(hw - req.offset, req.maxRecords);
      for (let i = log.batchIndexOf(req.offset), n = 0; n < max; i++) {
        const batch = log.batches[i]!;
        n += expandInto(records, core.partition, batch, req.offset + n, max - n);
        bytes += batch.sizeBytes;
      }
    }
    if (req.readCommitted !== true) {
      this.env.send(to, { type: 'consumer-fetch-resp', id: req.id, partition: core.partition, error, records, highWatermark: hw }, bytes);
      return;
    }
    const last = records[records.length - 1];
    const abortedTransactions = last === undefined ? [] : core.producers.abortedTxns(req.offset, last.offset + 1);
    this.env.send(to, {
      type: 'consumer-fetch-resp', id: req.id, partition: core.partition, error, records, highWatermark: core.highWatermark, abortedTransactions,
    }, bytes + 16 * abortedTransactions.length);
  }

  /** Long poll: follower fetches wait for new records, consumer fetches for the HW to move. */
  private park(consumer: boolean, waitUs: number, respond: () => void): void {
    const parked: ParkedFetch = { respond, consumer, timeout: null, done: false };
    parked.timeout = this.pollTimeouts.add(waitUs, parked);
    // A fetch answered at its timeout stays listed until the next wake, and a leader nobody writes
    // to is not woken: its followers' fetches, each with its request and callback, would pile up
    // (thousands a minute). Dropping the answered ones keeps the live ones in their order, so the
    // wakes answer the same fetches in the same order.
    if (this.parked.length >= this.parkedCompactAt) {
      this.parked = this.parked.filter((p) => !p.done);
      this.parkedCompactAt = Math.max(PARKED_COMPACT_MIN, 2 * this.parked.length);
    }
    this.parked.push(parked);
  }

  private wakeParked(consumer: boolean): void {
    if (this.parked.length === 0) return;
    const keep: ParkedFetch[] = [];
    for (const parked of this.parked) {
      if (parked.done) continue;
      if (parked.consumer !== consumer) { keep.push(parked); continue; }
      parked.done = true;
      if (parked.timeout !== null) this.pollTimeouts.cancel(parked.timeout);
      parked.respond();
    }
    this.parked = keep;
  }

  // ---------------------------------------------------------------- high watermark

  /**
   * HW = the smallest log end over the (maximal) ISR and the followers caught up enough to join it
   * (Kafka's Partition.maybeIncrementLeaderHW: a replica about to be added holds the HW back, so it
   * joins with everything below the HW); strict min ISR (with ELR) holds it below min ISR.
   */
  maybeAdvanceHighWatermark(): void {
    const core = this.core;
    const config = core.ctx.config;
    if (this.quorum === null && config.eligibleLeaderReplicasEnable && this.isr.length < core.minInsyncReplicas) return;
    const hw = this.quorum === null ? this.isrHighWatermark() : this.quorum.commitIndex([...this.followers.values()].map((f) => f.logEndOffset));
    if (hw <= core.highWatermark) return;
    const previous = core.highWatermark;
    core.setHighWatermark(hw);
    this.traceLastStableOffset();
    this.recordCommitted(previous, hw);
    this.completePurgatory();
    this.wakeParked(true);
  }

  private isrHighWatermark(): number {
    const leo = this.core.log.logEndOffset;
    const now = this.env.now();
    const isr = this.maximalIsr();
    let hw = leo;
    for (const [member, follower] of this.followers) {
      if (follower.logEndOffset >= hw) continue;
      if (isr.includes(member) || (this.isCaughtUp(follower, leo, now) && this.isrEligible(member, follower))) hw = follower.logEndOffset;
    }
    return hw;
  }

  /** The last stable offset when it moved, for a partition that holds transactions (trace views). */
  private traceLastStableOffset(): void {
    const producers = this.core.producers;
    if (!producers.hasTransactions) return;
    const unstable = producers.firstUnstableOffset();
    const lso = unstable === null ? this.core.highWatermark : Math.min(unstable, this.core.highWatermark);
    if (lso === this.lastTracedLso) return;
    this.lastTracedLso = lso;
    this.env.trace('lso', { partition: this.core.partition, lso });
  }

  /**
   * Kafka's ReplicaState.isCaughtUp: at the leader's log end, or caught up within
   * replica.lag.time.max.ms. A follower at the log end is never out of sync, however long ago it
   * last had to catch up.
   */
  private isCaughtUp(follower: FollowerState, leo: number, now: number): boolean {
    return follower.logEndOffset === leo || now - follower.lastCaughtUpUs <= this.core.ctx.config.replicaLagTimeMaxUs;
  }

  /**
   * Partition.isReplicaIsrEligible: the follower fetched in this leadership, this broker's metadata
   * holds it unfenced, and its fetches carry the broker epoch that metadata has for it (KIP-903's
   * isBrokerEpochIsrEligible). Also not refused by the controller at its last try, which covers the
   * moments the metadata here is behind the controller's.
   */
  private isrEligible(member: NodeId, follower: FollowerState): boolean {
    if (follower.logEndOffset < 0 || follower.refused) return false;
    const aliveEpoch = this.core.ctx.aliveBrokerEpoch(member);
    return aliveEpoch !== undefined && (follower.brokerEpoch === -1 || follower.brokerEpoch === aliveEpoch);
  }

  /** While an ISR change is in flight the HW counts both the old and the proposed members (KIP-497). */
  private maximalIsr(): readonly NodeId[] {
    if (this.pendingIsr === null) return this.isr;
    return [...this.isr, ...this.pendingIsr.filter((b) => !this.isr.includes(b))];
  }

  private recordCommitted(from: number, to: number): void {
    // The history copies offsets and values out of the log: no object or array per advance.
    const log = this.core.log;
    this.core.ctx.history.hwAdvanceBatches(this.env.now(), this.core.ctx.id, this.core.partition, this.core.leaderEpoch, log.batches, log.batchIndexOf(from), from, to);
  }

  private completePurgatory(): void {
    const hw = this.core.highWatermark;
    let i = 0;
    for (; i < this.purgatory.length; i++) {
      const waiter = this.purgatory[i]!;
      if (waiter.done) continue;
      if (waiter.requiredOffset > hw) break;
      this.completeWaiter(waiter);
    }
    if (i > 0) this.purgatory = this.purgatory.slice(i);
  }

  // ---------------------------------------------------------------- ISR

  /** Periodic (every replica.lag.time.max.ms / 2): drop followers that have not caught up for too long. */
  maybeShrinkIsr(): void {
    if (this.pendingIsr !== null || this.quorum !== null) return;
    const now = this.env.now();
    const leo = this.core.log.logEndOffset;
    // Partition.getOutOfSyncReplicas
    const keep = this.isr.filter((member) => {
      if (member === this.core.ctx.id) return true;
      const follower = this.followers.get(member);
      return follower !== undefined && this.isCaughtUp(follower, leo, now);
    });
    if (keep.length < this.isr.length) this.proposeIsr(keep);
  }

  private maybeExpandIsr(member: NodeId, follower: FollowerState): void {
    if (this.pendingIsr !== null || this.quorum !== null || this.isr.includes(member)) return;
    const core = this.core;
    if (follower.logEndOffset < core.highWatermark) return;
    // KAFKA-7128 (Partition.maybeExpandIsr since 2.1): a follower must also reach the start of the
    // leader's current epoch, or a new leader's stale HW admits one without committed records.
    if (core.ctx.config.isrJoinPastEpochStart && follower.logEndOffset < core.log.startOffsetOf(core.leaderEpoch)) return;
    // Partition.canAddReplicaToIsr: only a follower the metadata here holds eligible is proposed.
    follower.refused = false;
    if (!this.isrEligible(member, follower)) return;
    this.proposeIsr([...this.isr, member]);
  }

  private proposeIsr(isr: NodeId[]): void {
    const core = this.core;
    this.pendingIsr = isr;
    const isrBrokerEpochs = isr.map((member) => member === core.ctx.id ? core.ctx.brokerEpoch() : this.followers.get(member)?.brokerEpoch ?? -1);
    this.env.send(core.ctx.controller, {
      type: 'alter-partition', broker: core.ctx.id, brokerEpoch: core.ctx.brokerEpoch(), partition: core.partition,
      leaderEpoch: core.leaderEpoch, partitionEpoch: this.partitionEpoch, isr, isrBrokerEpochs,
    }, HEADER_BYTES + 8 * isr.length);
    const session = core.session;
    this.alterTimer = this.env.setTimer(BROKER_REQUEST_TIMEOUT_US, () => {
      if (core.session === session) this.pendingIsr = null;
    });
  }

  onAlterPartitionResponse(resp: AlterPartitionResponse): void {
    const proposed = this.pendingIsr;
    if (proposed === null) return;
    this.pendingIsr = null;
    this.env.cancelTimer(this.alterTimer);
    if (resp.error === null) return this.applyMeta(resp.meta);
    if (resp.error === 'INELIGIBLE_REPLICA') {
      for (const member of proposed) if (!this.isr.includes(member)) this.followers.get(member)!.refused = true;
    }
    // On an error the controller's newer metadata is on its way; the next check proposes again.
  }

  /** Metadata for the same leader epoch: the ISR the controller recorded (ours, or after a fence). */
  applyMeta(meta: PartitionMeta): void {
    if (meta.partitionEpoch <= this.partitionEpoch || meta.leaderEpoch !== this.core.leaderEpoch) return;
    this.partitionEpoch = meta.partitionEpoch;
    const changed = meta.isr.length !== this.isr.length || meta.isr.some((b) => !this.isr.includes(b));
    this.isr = [...meta.isr];
    if (changed) this.env.trace('isr', { partition: this.core.partition, isr: this.isr, partitionEpoch: this.partitionEpoch });
    this.env.assert(this.isr.includes(this.core.ctx.id), `p${this.core.partition}: leader ${this.core.ctx.id} dropped from its own ISR`);
    this.maybeAdvanceHighWatermark();
  }

  /** A Raft leader's own entry (its no-op on election): appended like an acks=0 write, answered to no one. */
  appendEntry(values: readonly number[], sizeBytes: number): void {
    this.append({ values, sizeBytes, producerId: -1, producerEpoch: -1, baseSequence: -1 }, '0', 0, null, () => undefined);
  }

  /** Leadership ends: every waiting request learns it, nothing waits forever. */
  stop(): void {
    this.produceTimeouts.clear();
    this.pollTimeouts.clear();
    for (const waiter of this.purgatory) {
      if (waiter.done) continue;
      waiter.done = true;
      waiter.respond('NOT_LEADER_OR_FOLLOWER', -1);
    }
    this.purgatory = [];
    for (const parked of this.parked) parked.done = true;
    this.parked = [];
    this.env.cancelTimer(this.alterTimer);
  }
}

/**
 * A log batch, from one object literal. A run keeps nearly every batch it writes, and V8 learns
 * this of a literal's allocation site and then allocates its objects in the old generation, which
 * spares the young-generation collector copying each batch twice. A heuristic of V8's, not a
 * guarantee: results never depend on it, only speed. The values array is the produce request's
 * (the producer never changes a batch it sent).
 */
function newBatch(
  baseOffset: number, epoch: number, req: AppendBatch, count: number, appendTimeUs: number, payloads: readonly InternalPayload[] | null,
): RecordBatch {
  const idempotent = req.producerId >= 0;
  return {
    baseOffset, epoch, producerId: req.producerId, producerEpoch: req.producerEpoch,
    baseSequence: idempotent ? req.baseSequence : -1, lastSequence: idempotent ? req.baseSequence + count - 1 : -1,
    appendTimeUs, values: req.values, payloads, sizeBytes: req.sizeBytes, transactional: req.transactional === true,
  };
}
