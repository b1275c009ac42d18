// One partition's replica on one broker: its log and high watermark, and whichever role the
// controller's metadata gives it. The leader and follower protocols live in leader.ts and
// follower.ts; this file owns the state both share and the disk ordering they rely on.
import type { Env, NodeId } from '../../sim/env.js';
import type { BrokerConfig } from '../config.js';
import type { HistoryRecorder } from '../history/history.js';
import type { EpochEntry } from './log.js';
import { ReplicaLog } from './log.js';
import type { PartitionMeta } from '../messages.js';
import { ProducerStateTable } from './producer-state.js';
import { ProducerSnapshots } from './producer-snapshots.js';
import type { RecordBatch } from './records.js';
import { bytesOf, countOf } from './records.js';

/** What a replica needs from the broker that hosts it. */
export interface BrokerContext {
  readonly env: Env;
  readonly id: NodeId;
  readonly controller: NodeId;
  readonly config: BrokerConfig;
  readonly history: HistoryRecorder;
  brokerEpoch(): number;
  /** The newest metadata this broker has for a partition. */
  meta(partition: number): PartitionMeta | undefined;
  /** The broker epoch of a broker this broker's metadata holds unfenced; undefined if fenced or unknown. */
  aliveBrokerEpoch(broker: NodeId): number | undefined;
  /** The min.insync.replicas of a partition (config.ts minInsyncReplicasOf); absent: the broker's. */
  minInsyncReplicas?(partition: number): number;
}

export type Role = 'none' | 'leader' | 'follower';

export function logFile(partition: number): string {
  return `log-${partition}`;
}
export function epochFile(partition: number): string {
  return `epochs-${partition}`;
}

export class ReplicaCore {
  readonly log: ReplicaLog;
  readonly producers = new ProducerStateTable();
  highWatermark = 0;
  role: Role = 'none';
  /** The leader epoch this replica acts in (as leader or follower); -1 before any metadata. */
  leaderEpoch = -1;
  leader: NodeId | null = null;
  /** Bumped on every role change: callbacks and responses from an older session are ignored. */
  session = 0;
  private pendingDiskOps = 0;
  private idleWaiters: (() => void)[] = [];
  private unflushedRecords = 0;
  private flushTimer = -1;
  private readonly snapshots: ProducerSnapshots;
  /** Bytes appended since the log last rolled a segment (log.segment.bytes); counted from 0 on each start. */
  private segmentBytes = 0;
  /** This partition's min.insync.replicas (the broker's, or transaction.state.log.min.isr on `__transaction_state`). */
  readonly minInsyncReplicas: number;

  constructor(readonly ctx: BrokerContext, readonly partition: number) {
    this.minInsyncReplicas = ctx.minInsyncReplicas?.(partition) ?? ctx.config.minInsyncReplicas;
    this.log = new ReplicaLog(ctx.env, partition, ctx.config.truncation === 'high-watermark');
    this.snapshots = new ProducerSnapshots(ctx.env, partition);
  }

  get env(): Env {
    return this.ctx.env;
  }

  /** Rebuilds the replica from what the disk kept (page cache after a crash, durable data after power loss). */
  recover(checkpointedHw: number): void {
    const batches = this.env.disk.read(logFile(this.partition)) as readonly RecordBatch[];
    this.log.load(batches, this.env.disk.read(epochFile(this.partition)) as readonly EpochEntry[]);
    this.reloadProducerState();
    this.highWatermark = Math.min(checkpointedHw, this.log.logEndOffset);
  }

  /**
   * UnifiedLog.rebuildProducerState, after recovery and after a truncation: snapshots above the log
   * end go, the latest left is loaded and only the batches after it are replayed
   * (ProducerStateManager.truncateAndReload), then a snapshot at the log end is written and synced,
   * so the next restart replays only what comes after. Deleting a snapshot file is not synced in
   * Kafka; syncing the new one makes it durable here, as the journal commit that a new file's fsync
   * forces on ext4 or XFS does.
   */
  private reloadProducerState(): void {
    const log = this.log;
    this.snapshots.dropAbove(log.logEndOffset);
    const snapshot = this.snapshots.latest();
    this.producers.load(snapshot);
    const from = snapshot === null ? 0 : log.batchesBelow(snapshot.offset);
    this.producers.observe(log.batches, from);
    this.env.trace('producer-state-load', { partition: this.partition, snapshot: snapshot?.offset ?? -1, replayed: log.batches.length - from });
    this.snapshots.take(this.producers.snapshot(log.logEndOffset));
  }

  /** producer.id.expiration.ms, checked every producer.id.expiration.check.interval.ms by the broker. */
  expireProducers(): void {
    const removed = this.producers.removeExpired(this.env.now(), this.ctx.config.producerIdExpirationUs);
    if (removed > 0) this.env.trace('producer-expire', { partition: this.partition, producers: removed });
  }

  /**
   * Appends batches to the disk; the in-memory log changes when the page cache has them, so it
   * never claims more than a crash would keep. `done` runs once they are as durable as the flush
   * policy asks (after an fsync when flush.messages or flush.ms demands one). A follower learns the
   * producer state from what it appends; a leader has already recorded it when it accepted the batch.
   */
  appendToDisk(batches: readonly RecordBatch[], observeProducers: boolean, done: () => void): void {
    const file = logFile(this.partition);
    this.pendingDiskOps++;
    const bytes = bytesOf(batches);
    this.env.disk.append(file, batches, bytes, () => {
      this.log.append(batches);
      if (observeProducers) this.producers.observe(batches);
      this.maybeRoll(bytes);
      this.unflushedRecords += countOf(batches);
      const flushMessages = this.ctx.config.flushMessages;
      if (flushMessages !== null && this.unflushedRecords >= flushMessages) {
        this.unflushedRecords = 0;
        this.env.disk.fsync(file, () => this.diskOpDone(done));
        return;
      }
      this.scheduleTimedFlush();
      this.diskOpDone(done);
    });
  }

  /** A segment rolls every log.segment.bytes: UnifiedLog.roll snapshots the producer state at the new segment's start. */
  private maybeRoll(bytes: number): void {
    this.segmentBytes += bytes;
    if (this.segmentBytes < this.ctx.config.logSegmentBytes) return;
    this.segmentBytes = 0;
    this.snapshots.take(this.producers.snapshot(this.log.logEndOffset));
  }

  /**
   * Truncates the log on disk, then in memory, to the batches wholly below `offset`; the high
   * watermark never stays above the log end.
   */
  truncateOnDisk(offset: number, done: () => void): void {
    if (offset >= this.log.logEndOffset) {
      // Nothing to cut, but an empty epoch at the log end must still go (see ReplicaLog.truncateTo).
      const epochs = this.log.epochs.length;
      this.log.truncateTo(offset);
      if (this.log.epochs.length !== epochs) this.persistEpochs();
      done();
      return;
    }
    const from = this.log.logEndOffset;
    this.pendingDiskOps++;
    this.env.disk.truncate(logFile(this.partition), this.log.batchesBelow(offset), () => {
      const end = this.log.truncateTo(offset);
      this.reloadProducerState();
      this.env.trace('truncate', { partition: this.partition, from, to: end });
      this.setHighWatermark(Math.min(this.highWatermark, end));
      this.persistEpochs();
      this.diskOpDone(done);
    });
  }

  /** Runs `fn` once every disk operation issued so far has completed. */
  whenDiskIdle(fn: () => void): void {
    if (this.pendingDiskOps === 0) fn();
    else this.idleWaiters.push(fn);
  }

  private diskOpDone(done: () => void): void {
    this.pendingDiskOps--;
    done();
    if (this.pendingDiskOps === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const fn of waiters) fn();
    }
  }

  /** flush.ms: fsync once the oldest unflushed record is that old (Kafka's log flusher). */
  private scheduleTimedFlush(): void {
    const flushUs = this.ctx.config.flushUs;
    if (flushUs === null || this.flushTimer >= 0) return;
    this.flushTimer = this.env.setTimer(flushUs, () => {
      this.flushTimer = -1;
      this.unflushedRecords = 0;
      this.env.disk.fsync(logFile(this.partition));
    });
  }

  /**
   * A follower's append of fetched batches (ISR or Raft): on disk, then the epoch file if they opened
   * an epoch, then `then`; nothing after the write if the follower stopped meanwhile.
   */
  appendFetched(batches: readonly RecordBatch[], follower: { readonly stopped: boolean }, then: () => void): void {
    const epochsBefore = this.log.epochs.length;
    this.appendToDisk(batches, true, () => {
      if (follower.stopped) return;
      if (this.log.epochs.length !== epochsBefore) this.persistEpochs();
      then();
    });
  }

  persistEpochs(): void {
    const entries = this.log.epochs.slice();
    this.env.disk.replace(epochFile(this.partition), entries, 16 * entries.length + 16);
  }

  setHighWatermark(hw: number): void {
    if (hw === this.highWatermark) return;
    if (hw > this.log.logEndOffset) this.env.assert(false, `p${this.partition}: HW ${hw} above LEO ${this.log.logEndOffset}`);
    if (hw < 0) this.env.assert(false, `p${this.partition}: negative HW ${hw}`);
    this.highWatermark = hw;
    this.env.trace('hw', { partition: this.partition, hw });
  }
}
