// A consumer k1…: the Java client's poll loop in a consumer group. Each poll first makes sure the
// member is Stable in its group (joining at a poll, never in the middle of processing), then
// returns buffered records; the application processes them one by one (processingMs each) and
// commits as its strategy says: `auto` commits the positions of the previous poll at the next poll
// after auto.commit.interval.ms (and before rejoining), `before-process` commits a poll's end
// offsets and only then processes (at most once), `after-process` processes, then commits (at
// least once). A crash loses whatever was being processed; the restarted consumer starts from the
// group's committed offsets, or where auto.offset.reset says when there are none.
//
// The group protocol is eager (Kafka's default assignors, [RangeAssignor, CooperativeStickyAssignor],
// agree only on EAGER): every rejoin gives up every partition (ConsumerCoordinator.onJoinPrepare:
// assignFromSubscribed(empty)), so positions never survive a rebalance, even for partitions the
// member gets again: each new assignment starts from the committed offsets.
//
// With auto.offset.reset=none a partition can fail (no committed offset, an offset out of range, a
// truncation below the position): as the Java client's poll() then throws on every call, the
// application here logs the exception (a 'poll-error' trace event) and polls again after the poll
// timeout; it stays in its group, holds its partitions and reads nothing until they are reassigned.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { ClusterLayout, ConsumerConfig } from '../config.js';
import { ConsumerFetcher, type FetchPosition } from './consumer-fetcher.js';
import { GroupCalls } from '../groups/group-calls.js';
import type { CommittedOffset, GroupResponse } from '../groups/group-messages.js';
import type { Assignment } from '../groups/group-member.js';
import { GroupMember } from '../groups/group-member.js';
import { GroupOffsets } from '../groups/group-offsets.js';
import type { HistoryRecorder, PolledRecord } from '../history/history.js';
import type { ConsumerFetchResponse, EpochQueryResponse, ListOffsetsResponse, MetadataResponse } from '../messages.js';

/** The application's poll(Duration): an empty poll returns after this and the loop polls again. */
const POLL_TIMEOUT_US = 1_000_000;

/** `closed`: a fatal error (FENCED_INSTANCE_ID) ended the application's use of the consumer. */
export type AppState = 'polling' | 'processing' | 'committing' | 'closed';

/** What one poll returned, with the membership it was returned under (its commit carries that). */
interface Batch {
  readonly records: readonly PolledRecord[];
  readonly generation: number;
  readonly memberId: string;
  /** The positions right after the poll: a commit of the poll's end offsets. */
  readonly offsets: readonly CommittedOffset[];
}

export class Consumer implements Actor {
  private readonly calls: GroupCalls;
  private readonly member: GroupMember;
  private readonly offsets: GroupOffsets;
  private readonly fetcher: ConsumerFetcher;
  private app: AppState = 'polling';
  /** Bumped at every poll: callbacks of an abandoned poll are ignored. */
  private pollId = 0;
  /** The poll that waits for records now, or -1 (joining, processing, committing). */
  private collecting = -1;
  private pollTimer = -1;
  private maxPollTimer = -1;
  private nextAutoCommitUs: number;
  private assignment: Assignment | null = null;
  /** The batch being processed, how many of its records are done, and what runs after the last. */
  private processing: Batch | null = null;
  private processed = 0;
  private afterProcessing: (() => void) | null = null;

  constructor(private readonly env: Env, layout: ClusterLayout, private readonly config: ConsumerConfig, private readonly history: HistoryRecorder) {
    this.calls = new GroupCalls(env, layout.brokers, config.group);
    this.member = new GroupMember(env, config, this.calls, history, layout.dataPartitions, config.partitions);
    this.offsets = new GroupOffsets(env, this.calls, history, config.group, config.groupInstanceId);
    this.fetcher = new ConsumerFetcher(env, layout, config, history);
    this.nextAutoCommitUs = env.now() + config.autoCommitIntervalUs;
  }

  start(): void {
    this.fetcher.onData = () => {
      if (this.collecting === this.pollId) this.deliver();
    };
    this.fetcher.onFailure = () => {
      if (this.collecting === this.pollId) this.poll();
    };
    this.member.onRejoinNeeded = () => {
      if (this.collecting === this.pollId) this.poll();
    };
    this.member.onFatal = () => this.close();
    this.member.start();
    this.fetcher.start();
    this.poll();
  }

  /** A broker's connection broke (its process died, or a partition healed): what waits on it goes again. */
  disconnected(peer: NodeId): void {
    this.fetcher.disconnected(peer);
    this.calls.disconnected(peer);
  }

  receive(_from: NodeId, msg: Message): void {
    const m = msg as ConsumerFetchResponse | ListOffsetsResponse | EpochQueryResponse | MetadataResponse | GroupResponse;
    if (m.type === 'consumer-fetch-resp' || m.type === 'list-offsets-resp' || m.type === 'epoch-query-resp') this.fetcher.receive(m);
    else if (m.type === 'metadata-resp') this.fetcher.onMetadata(m);
    else this.calls.receive(m);
  }

  /** FencedInstanceIdException is fatal: the application stops using the consumer (no poll, no commit). */
  private close(): void {
    this.app = 'closed';
    this.pollId++;
    this.collecting = -1;
    this.env.cancelTimer(this.pollTimer);
    this.env.cancelTimer(this.maxPollTimer);
    this.fetcher.assign([]);
    this.env.trace('consumer-closed', { group: this.config.group, reason: 'FencedInstanceIdException' });
  }

  // ---------------------------------------------------------------- poll

  private poll(): void {
    if (this.app === 'closed') return;
    const pollId = ++this.pollId;
    this.app = 'polling';
    this.collecting = -1;
    this.env.cancelTimer(this.pollTimer);
    this.env.cancelTimer(this.maxPollTimer);
    const positions = this.fetcher.positions();
    if (this.config.commit === 'auto' && this.member.state === 'stable' && this.member.needsRejoin() && this.assignment !== null && positions.length > 0) {
      // Java's onJoinPrepare: an auto-committing consumer commits what it consumed before it rejoins.
      const { generation, memberId } = this.assignment;
      this.assignment = null;
      return this.offsets.commit({ generation, memberId, offsets: positions, sync: true }, () => {
        if (pollId === this.pollId) this.joinThenCollect(pollId);
      });
    }
    this.joinThenCollect(pollId);
  }

  private joinThenCollect(pollId: number): void {
    this.member.ensureActive((assigned) => {
      if (pollId !== this.pollId) return;
      if (assigned !== null) this.onAssigned(assigned);
      this.collect(pollId);
    });
  }

  /** A new generation: positions come from the group's committed offsets (none: auto.offset.reset). */
  private onAssigned(assigned: Assignment): void {
    this.assignment = assigned;
    this.fetcher.assign(assigned.partitions);
    if (assigned.partitions.length === 0) return;
    this.offsets.fetchCommitted(assigned.partitions, () => this.assignment === assigned, (committed) => this.fetcher.seekCommitted(committed));
  }

  private collect(pollId: number): void {
    if (this.config.commit === 'auto') this.maybeAutoCommit();
    // Java's poll() validates and resets positions before it returns records: a failed one throws.
    const failure = this.fetcher.failure();
    if (failure !== null) {
      this.env.trace('poll-error', { group: this.config.group, partition: failure.partition, error: failure.error });
      this.pollTimer = this.env.setTimer(POLL_TIMEOUT_US, () => {
        if (this.pollId === pollId) this.poll();
      });
      return;
    }
    this.collecting = pollId;
    if (this.fetcher.hasData()) return this.deliver();
    this.pollTimer = this.env.setTimer(POLL_TIMEOUT_US, () => {
      if (this.collecting === pollId) this.poll();
    });
  }

  /** Commits the positions of the previous poll (commitAsync), at most once per interval. */
  private maybeAutoCommit(): void {
    const now = this.env.now();
    if (now < this.nextAutoCommitUs || this.member.state !== 'stable' || this.assignment === null) return;
    this.nextAutoCommitUs = now + this.config.autoCommitIntervalUs;
    const offsets = this.fetcher.positions();
    if (offsets.length === 0) return;
    const { generation, memberId } = this.assignment;
    this.offsets.commit({ generation, memberId, offsets, sync: false }, () => undefined);
  }

  // ---------------------------------------------------------------- process and commit

  private deliver(): void {
    const assignment = this.assignment;
    const records = this.fetcher.take(this.config.maxPollRecords);
    if (records.length === 0 || assignment === null) return;
    this.collecting = -1;
    this.env.cancelTimer(this.pollTimer);
    this.history.poll(this.env.now(), this.env.node, records);
    const batch: Batch = { records, generation: assignment.generation, memberId: assignment.memberId, offsets: this.fetcher.positions() };
    this.app = 'processing';
    this.maxPollTimer = this.env.setTimer(this.config.maxPollIntervalUs, () => this.onMaxPollIntervalExceeded());
    const next = () => this.poll();
    switch (this.config.commit) {
      case 'before-process': return this.commit(batch, (ok) => (ok ? this.process(batch, next) : next()));
      case 'after-process': return this.process(batch, () => this.commit(batch, next));
      case 'auto': return this.process(batch, next);
    }
  }

  /**
   * The application's work: one record after another, each done after processingMs. One batch at a
   * time (the application thread is busy with it), so its progress lives in fields and every
   * record's timer runs the same callback: no closure per record.
   */
  private process(batch: Batch, then: () => void): void {
    this.app = 'processing';
    this.env.assert(this.processing === null, 'process() while another batch is being processed');
    this.processing = batch;
    this.processed = 0;
    this.afterProcessing = then;
    this.processNext();
  }

  private processNext(): void {
    const batch = this.processing!;
    if (this.processed < batch.records.length) {
      this.env.setTimer(this.config.processingUs, this.processOne);
      return;
    }
    const then = this.afterProcessing!;
    this.processing = null;
    this.afterProcessing = null;
    then();
  }

  private readonly processOne = (): void => {
    const record = this.processing!.records[this.processed++]!;
    this.history.processed(this.env.now(), this.env.node, record.partition, record.offset, record.value);
    this.processNext();
  };

  /** commitSync of the poll's end offsets; `then(true)` only when the coordinator confirmed it. */
  private commit(batch: Batch, then: (ok: boolean) => void): void {
    this.app = 'committing';
    this.offsets.commit({ generation: batch.generation, memberId: batch.memberId, offsets: batch.offsets, sync: true }, (outcome) => then(outcome === 'ok'));
  }

  /** KIP-62: the heartbeat thread sees the application stuck between polls and leaves the group. */
  private onMaxPollIntervalExceeded(): void {
    if (this.app === 'polling') return;
    this.env.trace('poll-timeout', { group: this.config.group, state: this.app });
    this.member.leaveGroup('max.poll.interval.ms');
  }

  // ---------------------------------------------------------------- observation (read only)

  /**
   * Where this member stands, for the harness's settle check (scenario/quiescence.ts): its group
   * membership, what the application is doing, and its position on each assigned partition.
   */
  groupProgress(): ConsumerProgress {
    return {
      group: this.config.group, memberId: this.member.memberId, generation: this.member.generation,
      stable: !this.member.needsRejoin(), app: this.app,
      assigned: this.assignment?.partitions ?? [], fetching: this.fetcher.states(),
    };
  }
}

/** Consumer.groupProgress: one member's state as the application and its group client see it. */
export interface ConsumerProgress {
  readonly group: string;
  /** '' before the coordinator handed one out. */
  readonly memberId: string;
  /** -1 outside a generation. */
  readonly generation: number;
  /** Stable in its generation, with no rejoin pending. */
  readonly stable: boolean;
  /** polling (waiting for records), processing a poll's records, or committing. */
  readonly app: AppState;
  readonly assigned: readonly number[];
  /** Each assigned partition's fetch state and the next offset to read (null until known). */
  readonly fetching: readonly FetchPosition[];
}
