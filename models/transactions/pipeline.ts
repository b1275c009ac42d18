// A consume-transform-produce pipeline instance t1…: a consumer in a group reading the input topic
// and a transactional producer writing the output topic, in one process, as one Kafka Streams
// stream thread with processing.guarantee=exactly_once_v2 (KIP-447: one producer per thread, its
// transactional.id fixed per instance, fenced through the group's generation). Each poll's records
// (at most recordsPerTransaction) become one transaction: one output record per input record, then
// the group's positions after them sent to the transaction (TransactionManager's
// sendOffsetsToTransaction with the consumer's ConsumerGroupMetadata), then the commit. Committed,
// the next poll reads on. Aborted or of unknown outcome (the producer was fenced), the instance goes
// back to the group's committed offsets, fetched with require_stable (KIP-447: an offset commit still
// pending in an undecided transaction is waited for), as Streams revives a corrupted task.
//
// processing.guarantee=at_least_once commits the offsets outside the transaction instead: an
// OffsetCommit once the transaction that wrote the outputs committed (as Streams' at_least_once
// commits after flushing its producer), so a crash or a rebalance between the two writes the same
// outputs again. It exists to show what the pipeline-duplicate checker catches.
//
// Between transactions, and only then, the instance polls: a rebalance waits for the transaction
// in flight (the eager protocol's revocation happens at the next poll). History: a 'transform' op
// per transaction (its inputs, its outputs, the offsets it commits), the outputs' sends as a
// transactional producer records them, and a 'process' op per input record once its transaction
// committed.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { ClusterLayout, ConsumerConfig, ProducerConfig, TransactionalConfig } from '../config.js';
import { ConsumerFetcher } from '../clients/consumer-fetcher.js';
import type { ConsumerProgress } from '../clients/consumer.js';
import { GroupCalls } from '../groups/group-calls.js';
import type { Assignment } from '../groups/group-member.js';
import { GroupMember } from '../groups/group-member.js';
import { GroupOffsets } from '../groups/group-offsets.js';
import type { CommittedOffset } from '../groups/group-messages.js';
import type { HistoryRecorder, PolledRecord } from '../history/history.js';
import { TxnProducer, type TxnDriver, type TxnOutcome } from './txn-producer.js';

/** The application's poll(Duration): an empty poll returns after this and the loop polls again. */
const POLL_TIMEOUT_US = 1_000_000;

/** Kafka Streams' processing.guarantee values ksim models. */
export type ProcessingGuarantee = 'exactly_once_v2' | 'at_least_once';

export interface PipelineConfig {
  /** The consumer side: group, session and poll settings, isolation.level, the input topic's partitions. */
  readonly consumer: ConsumerConfig;
  /** The producer side: the output topic's partitions in `partitions`. */
  readonly producer: ProducerConfig;
  readonly transactional: TransactionalConfig;
  readonly guarantee: ProcessingGuarantee;
}

type AppState = 'polling' | 'processing' | 'committing' | 'closed';

/** One poll's records in their transaction. */
interface Work {
  readonly records: readonly PolledRecord[];
  readonly assignment: Assignment;
  readonly offsets: readonly CommittedOffset[];
}

export class Pipeline implements Actor, TxnDriver {
  private readonly calls: GroupCalls;
  private readonly member: GroupMember;
  private readonly offsets: GroupOffsets;
  private readonly fetcher: ConsumerFetcher;
  private readonly producer: TxnProducer;
  private app: AppState = 'polling';
  private pollId = 0;
  private collecting = -1;
  private pollTimer = -1;
  private maxPollTimer = -1;
  private assignment: Assignment | null = null;
  /** The producer can begin a transaction. */
  private producerReady = false;
  /** The transaction in flight (from its records' processing to its end and, at_least_once, the offset commit after it). */
  private work: Work | null = null;
  /** Bumped at every seek to the committed offsets: the answer of an older OffsetFetch is ignored. */
  private seekEpoch = 0;

  constructor(private readonly env: Env, layout: ClusterLayout, private readonly config: PipelineConfig, private readonly history: HistoryRecorder) {
    const consumer = config.consumer;
    this.calls = new GroupCalls(env, layout.brokers, consumer.group);
    this.member = new GroupMember(env, consumer, this.calls, history, layout.dataPartitions, consumer.partitions);
    this.offsets = new GroupOffsets(env, this.calls, history, consumer.group, consumer.groupInstanceId);
    this.fetcher = new ConsumerFetcher(env, layout, consumer, history);
    this.producer = new TxnProducer(env, layout, config.producer, config.transactional, history, this);
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
    this.producer.start();
  }

  disconnected(peer: NodeId): void {
    this.fetcher.disconnected(peer);
    this.calls.disconnected(peer);
    this.producer.disconnected(peer);
  }

  /** Responses go to the part that asked: the producer's by type, the consumer's and the group's to them. */
  receive(from: NodeId, msg: Message): void {
    const m = msg as { readonly type: string };
    switch (m.type) {
      case 'consumer-fetch-resp': case 'list-offsets-resp': case 'epoch-query-resp':
        return this.fetcher.receive(msg as Parameters<ConsumerFetcher['receive']>[0]);
      case 'metadata-resp':
        this.fetcher.onMetadata(msg as Parameters<ConsumerFetcher['onMetadata']>[0]);
        return this.producer.receive(from, msg);
      case 'produce-resp': case 'find-txn-coordinator-resp': case 'txn-init-producer-id-resp': case 'add-partitions-to-txn-resp':
      case 'add-offsets-to-txn-resp': case 'end-txn-resp': case 'txn-offset-commit-resp':
        return this.producer.receive(from, msg);
      case 'find-coordinator-resp':
        // Both sides look the group coordinator up; each knows only its own request ids.
        this.producer.receive(from, msg);
        return this.calls.receive(msg as Parameters<GroupCalls['receive']>[0]);
      default:
        return this.calls.receive(msg as Parameters<GroupCalls['receive']>[0]);
    }
  }

  private close(): void {
    this.app = 'closed';
    this.pollId++;
    this.collecting = -1;
    this.env.cancelTimer(this.pollTimer);
    this.env.cancelTimer(this.maxPollTimer);
    this.fetcher.assign([]);
  }

  // ---------------------------------------------------------------- TxnDriver

  ready(): void {
    this.producerReady = true;
    if (this.work === null && this.app === 'polling' && this.collecting !== this.pollId) this.poll();
  }

  ended(outcome: TxnOutcome): void {
    const work = this.work;
    this.env.assert(work !== null, 'a pipeline transaction ended with none in flight');
    this.env.trace('pipeline-txn', { group: this.config.consumer.group, outcome, records: work!.records.length });
    if (outcome !== 'committed') return this.rewind(work!);
    const t = this.env.now();
    for (const r of work!.records) this.history.processed(t, this.env.node, r.partition, r.offset, r.value);
    if (this.config.guarantee === 'exactly_once_v2') return this.done();
    const { generation, memberId } = work!.assignment;
    this.offsets.commit({ generation, memberId, offsets: work!.offsets, sync: true }, () => this.done());
  }

  /** The transaction is over: the next poll once the producer can begin another. */
  private done(): void {
    this.work = null;
    this.env.cancelTimer(this.maxPollTimer);
    this.app = 'polling';
    if (this.producerReady) this.poll();
  }

  /**
   * Aborted or unknown: what this instance read since its group's last commit is read again from
   * the committed offsets (a new fetch state for every assigned partition, as a new assignment).
   */
  private rewind(work: Work): void {
    const assignment = this.assignment;
    if (assignment === work.assignment && assignment.partitions.length > 0) this.seekToCommitted(assignment);
    this.done();
  }

  // ---------------------------------------------------------------- poll

  private poll(): void {
    if (this.app === 'closed' || !this.producerReady || this.work !== null) return;
    const pollId = ++this.pollId;
    this.app = 'polling';
    this.collecting = -1;
    this.env.cancelTimer(this.pollTimer);
    this.member.ensureActive((assigned) => {
      if (pollId !== this.pollId) return;
      if (assigned !== null) this.onAssigned(assigned);
      this.collect(pollId);
    });
  }

  private onAssigned(assigned: Assignment): void {
    this.assignment = assigned;
    if (assigned.partitions.length === 0) return this.fetcher.assign([]);
    this.seekToCommitted(assigned);
  }

  /** The group's committed offsets; exactly_once_v2 asks for stable ones only (KIP-447 require_stable). */
  private seekToCommitted(assignment: Assignment): void {
    this.fetcher.assign(assignment.partitions);
    const stable = this.config.guarantee === 'exactly_once_v2';
    const seek = (committed: readonly CommittedOffset[]): void => this.fetcher.seekCommitted(committed);
    const epoch = ++this.seekEpoch;
    this.offsets.fetchCommitted(assignment.partitions, () => this.assignment === assignment && this.seekEpoch === epoch, seek, stable);
  }

  private collect(pollId: number): void {
    const failure = this.fetcher.failure();
    if (failure !== null) {
      this.env.trace('poll-error', { group: this.config.consumer.group, partition: failure.partition, error: failure.error });
      this.pollTimer = this.env.setTimer(POLL_TIMEOUT_US, () => { if (this.pollId === pollId) this.poll(); });
      return;
    }
    this.collecting = pollId;
    if (this.fetcher.hasData()) return this.deliver();
    this.pollTimer = this.env.setTimer(POLL_TIMEOUT_US, () => { if (this.collecting === pollId) this.poll(); });
  }

  /** One poll's records: processed (processingMs each), then written and committed in one transaction. */
  private deliver(): void {
    const assignment = this.assignment;
    if (assignment === null || !this.producerReady) return;
    const records = this.fetcher.take(this.config.transactional.recordsPerTransaction);
    if (records.length === 0) return;
    this.collecting = -1;
    this.env.cancelTimer(this.pollTimer);
    this.app = 'processing';
    const work: Work = { records, assignment, offsets: this.fetcher.positions() };
    this.work = work;
    this.maxPollTimer = this.env.setTimer(this.config.consumer.maxPollIntervalUs, () => this.onMaxPollIntervalExceeded());
    this.env.setTimer(this.config.consumer.processingUs * records.length, () => this.produce(work));
  }

  private produce(work: Work): void {
    this.app = 'committing';
    this.producerReady = false;
    const { group } = this.config.consumer;
    const exactlyOnce = this.config.guarantee === 'exactly_once_v2';
    const groupOffsets = exactlyOnce ? { group, generation: work.assignment.generation, memberId: work.assignment.memberId, offsets: work.offsets } : null;
    const outputs = this.producer.beginDriven(work.records.length, groupOffsets);
    this.history.record({
      kind: 'transform', t: this.env.now(), process: this.env.node, group, transactionalId: this.config.transactional.transactionalId,
      inputs: work.records, outputs, offsets: exactlyOnce ? work.offsets.map(({ partition, offset }) => ({ partition, offset })) : [],
    });
  }

  /** KIP-62: stuck between polls longer than max.poll.interval.ms, the member leaves its group. */
  private onMaxPollIntervalExceeded(): void {
    if (this.app === 'polling') return;
    this.env.trace('poll-timeout', { group: this.config.consumer.group, state: this.app });
    this.member.leaveGroup('max.poll.interval.ms');
  }

  // ---------------------------------------------------------------- observation (read only)

  /** Outputs of the open transaction whose fate is not yet known. */
  pendingSends(): number {
    return this.producer.pendingSends();
  }

  /** As Consumer.groupProgress: the settle check treats an instance as a member of its group. */
  groupProgress(): ConsumerProgress {
    return {
      group: this.config.consumer.group, memberId: this.member.memberId, generation: this.member.generation,
      stable: !this.member.needsRejoin(), app: this.app,
      assigned: this.assignment?.partitions ?? [], fetching: this.fetcher.states(),
    };
  }
}
