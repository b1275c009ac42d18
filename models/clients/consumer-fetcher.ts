// A consumer's fetcher: one state per assigned partition, as the Java client's SubscriptionState.
// A partition's position starts where the group committed (validated like any position) or, with
// no committed offset, where auto.offset.reset says (ListOffsets to the leader). The position
// remembers the leader epoch of the last record read before it (FetchPosition.offsetEpoch); when
// the metadata names a new leader epoch, the position is validated with OffsetsForLeaderEpoch
// before anything more is fetched (KIP-320), and a log truncated below it moves it back to the
// first offset known to diverge. Fetches go to the leader at the position (below its high
// watermark, long polling) and keep one response buffered until a poll takes it. Every move of a
// position the consumer makes by itself is a 'reset' in the history. A new assignment drops
// everything of the old one (the eager protocol's onJoinPrepare, see consumer.ts).
import type { Env, NodeId } from '../../sim/env.js';
import type { ClusterLayout, ConsumerConfig } from '../config.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES } from '../config.js';
import type { CommittedOffset } from '../groups/group-messages.js';
import type { HistoryRecorder, PolledRecord, ResetReason } from '../history/history.js';
import type { ConsumerFetchResponse, EpochQueryResponse, ListOffsetsResponse, MetadataResponse } from '../messages.js';
import type { AbortedTxn } from '../replication/producer-state.js';
import type { LogRecord } from '../replication/records.js';
import { markerOf } from '../transactions/txn-records.js';
import { firstRequestId } from '../request-ids.js';

/** The consumer settings the fetcher reads (the final drain has no group, so it gives only these). */
export type FetcherConfig = Pick<ConsumerConfig, 'autoOffsetReset' | 'validatePositions' | 'fetchWaitMaxUs' | 'maxPollRecords' | 'isolationLevel'>;

const METADATA_RETRY_US = 500_000;
/** retry.backoff.ms */
const FETCH_BACKOFF_US = 100_000;

/**
 * SubscriptionState's fetch states: waiting for the committed offset (initializing), for a
 * ListOffsets answer (await-reset), for an OffsetsForLeaderEpoch answer (await-validation), reading
 * (fetching), or failed with an exception every poll throws (auto.offset.reset=none).
 */
export type FetchState = 'initializing' | 'await-reset' | 'await-validation' | 'fetching' | 'failed';

/** One assigned partition as an observer sees it: its state and position (null until known). */
export interface FetchPosition {
  readonly partition: number;
  readonly state: FetchState;
  readonly position: number | null;
}

/** The exceptions a poll throws when auto.offset.reset=none, by the Java client's names. */
export type ConsumerError = 'NoOffsetForPartitionException' | 'OffsetOutOfRangeException' | 'LogTruncationException';

export interface PartitionFailure {
  readonly partition: number;
  readonly error: ConsumerError;
  readonly position: number | null;
  /** LogTruncationException: the first offset known to diverge, if the leader named one. */
  readonly divergentOffset: number | null;
}

interface PartitionState {
  readonly partition: number;
  state: FetchState;
  /** Where the consumer reads next; null until known. */
  position: number | null;
  /** The leader epoch of the record before the position (-1: unknown, then no validation). */
  offsetEpoch: number;
  /** The leader epoch the position was set or validated under (FetchPosition.currentLeader); -1: none yet. */
  leaderEpoch: number;
  /** The one request in flight for the partition (fetch, ListOffsets or OffsetsForLeaderEpoch), or -1. */
  requestId: number;
  /** Its timeout, or the backoff before the next try. */
  timer: number;
  buffer: readonly LogRecord[];
  /**
   * The buffered response skipped records (control records, aborted transactions): its records are
   * not contiguous, and once they are taken the position moves to `bufferEnd`.
   */
  gapped: boolean;
  bufferEnd: number;
  bufferEndEpoch: number;
  /** The reason an awaited reset will be recorded with. */
  resetReason: ResetReason;
  failure: PartitionFailure | null;
}

export class ConsumerFetcher {
  private assigned: PartitionState[] = [];
  private readonly leaders = new Map<number, { leader: NodeId | null; epoch: number }>();
  private nextRequestId: number;
  private metadataTarget = 0;
  private metadataPending = false;
  /** The metadata request waited for: only its answer (or its timeout) may send the next one. */
  private metadataRequestId = -1;
  /** Rotates which partition a poll drains first, so no partition starves. */
  private nextFirst = 0;
  /** Told when a response with records was buffered. */
  onData: () => void = () => undefined;
  /** Told when a partition failed: a waiting poll throws at once. */
  onFailure: () => void = () => undefined;

  constructor(private readonly env: Env, private readonly layout: ClusterLayout, private readonly config: FetcherConfig, private readonly history: HistoryRecorder) {
    this.nextRequestId = firstRequestId(env);
  }

  start(): void {
    this.refreshMetadata();
  }

  /** A new assignment: nothing of the old one survives (late responses are ignored by id). */
  assign(partitions: readonly number[]): void {
    for (const f of this.assigned) this.env.cancelTimer(f.timer);
    this.assigned = partitions.map((partition) => ({
      partition, state: 'initializing', position: null, offsetEpoch: -1, leaderEpoch: -1, requestId: -1, timer: -1, buffer: [],
      gapped: false, bufferEnd: -1, bufferEndEpoch: -1, resetReason: 'no-offset', failure: null,
    }));
  }

  /**
   * The group's committed offsets (ConsumerUtils.refreshCommittedOffsets): a committed position is
   * taken unvalidated and validated like any other; none (offset -1) means auto.offset.reset.
   */
  seekCommitted(offsets: readonly CommittedOffset[]): void {
    for (const { partition, offset, leaderEpoch } of offsets) {
      const f = this.assigned.find((a) => a.partition === partition);
      if (f === undefined || f.state !== 'initializing') continue;
      if (offset < 0) this.requestReset(f, 'no-offset');
      else this.seekUnvalidated(f, offset, leaderEpoch);
    }
  }

  /** The valid positions (SubscriptionState.allConsumed: fetching partitions only): what a commit writes. */
  positions(): CommittedOffset[] {
    const out: CommittedOffset[] = [];
    for (const f of this.assigned) {
      if (f.state === 'fetching' && f.position !== null) out.push({ partition: f.partition, offset: f.position, leaderEpoch: f.offsetEpoch });
    }
    return out;
  }

  hasData(): boolean {
    return this.assigned.some((f) => f.buffer.length > 0);
  }

  /** A failed partition's exception, which every poll throws until the partition is reassigned; or null. */
  failure(): PartitionFailure | null {
    for (const f of this.assigned) if (f.failure !== null) return f.failure;
    return null;
  }

  /** Each assigned partition's state and position (for observers: what a stuck consumer waits for). */
  states(): FetchPosition[] {
    return this.assigned.map(({ partition, state, position }) => ({ partition, state, position }));
  }

  /** Up to `max` buffered records, moving the positions past them (Java's poll returning records). */
  take(max: number): PolledRecord[] {
    const out: PolledRecord[] = [];
    const n = this.assigned.length;
    for (let k = 0; k < n && out.length < max; k++) {
      const f = this.assigned[(this.nextFirst + k) % n]!;
      if (f.buffer.length === 0) continue;
      const taken = f.buffer.slice(0, max - out.length);
      f.buffer = f.buffer.slice(taken.length);
      const position = f.position!;
      for (let i = 0; i < taken.length; i++) {
        const r = taken[i]!;
        // A poll hands out each partition's records contiguously from the position. (Per record:
        // the message is built only when the check fails.) The log's immutable record itself is
        // the polled record: no copy per record, which the history keeps for the whole run.
        if ((f.gapped ? r.offset < position + i : r.offset !== position + i) || r.partition !== f.partition) {
          this.env.assert(false, `p${f.partition}: polled p${r.partition} offset ${r.offset}, not position ${position} + ${i}`);
        }
        out.push(r);
      }
      const last = taken[taken.length - 1]!;
      f.position = last.offset + 1;
      // The position remembers the epoch its last record was written in (KIP-320).
      f.offsetEpoch = last.batch.epoch;
      if (f.gapped && f.buffer.length === 0) {
        // Skipped records after the last one returned: the position passes them too.
        f.position = f.bufferEnd;
        f.offsetEpoch = f.bufferEndEpoch;
      }
      if (f.buffer.length === 0) this.advance(f);
    }
    this.nextFirst = n === 0 ? 0 : (this.nextFirst + 1) % n;
    return out;
  }

  receive(m: ConsumerFetchResponse | ListOffsetsResponse | EpochQueryResponse): void {
    const id = m.type === 'epoch-query-resp' ? m.session : m.id;
    const f = this.assigned.find((a) => a.partition === m.partition);
    if (f === undefined || f.requestId !== id) return;
    this.cancelRequest(f);
    if (m.type === 'consumer-fetch-resp') return this.onFetchResponse(f, m);
    if (m.type === 'list-offsets-resp') return this.onListOffsets(f, m);
    this.onValidation(f, m);
  }

  /** The connection to `peer` broke: requests waiting on it go again (after a metadata refresh). */
  disconnected(peer: NodeId): void {
    for (const f of this.assigned) {
      if (f.requestId < 0 || this.leaders.get(f.partition)?.leader !== peer) continue;
      this.retryLater(f);
    }
  }

  // ---------------------------------------------------------------- positions

  /** SubscriptionState.seekUnvalidated: a position from outside (a commit, a reset) is validated when its epoch is known. */
  private seekUnvalidated(f: PartitionState, offset: number, offsetEpoch: number): void {
    this.env.assert(offset >= 0, `seek p${f.partition} to negative offset ${offset}`);
    f.position = offset;
    f.offsetEpoch = offsetEpoch;
    f.leaderEpoch = this.leaders.get(f.partition)?.epoch ?? -1;
    this.enter(f, this.config.validatePositions && offsetEpoch >= 0 ? 'await-validation' : 'fetching');
  }

  /**
   * SubscriptionState.maybeValidatePositionForCurrentLeader: the metadata names a leader epoch the
   * position was not validated under. With an epoch to ask about, the position waits for
   * OffsetsForLeaderEpoch; without one (or before KIP-320) it simply moves to the new leader.
   */
  private maybeValidate(f: PartitionState, leaderEpoch: number): void {
    if (f.position === null || f.leaderEpoch === leaderEpoch) return;
    if (f.state !== 'fetching' && f.state !== 'await-validation') return;
    f.leaderEpoch = leaderEpoch;
    if (this.config.validatePositions && f.offsetEpoch >= 0) this.setState(f, 'await-validation');
  }

  /** auto.offset.reset, for a partition with no committed offset, an offset out of range, or an unknown divergence. */
  private requestReset(f: PartitionState, reason: ResetReason): void {
    if (this.config.autoOffsetReset === 'none') {
      const error: ConsumerError = reason === 'no-offset' ? 'NoOffsetForPartitionException' : reason === 'out-of-range' ? 'OffsetOutOfRangeException' : 'LogTruncationException';
      return this.fail(f, error, null);
    }
    f.resetReason = reason;
    this.enter(f, 'await-reset');
  }

  /** The consumer moves its position by itself: the history records it. */
  private recordReset(f: PartitionState, to: number, reason: ResetReason): void {
    const from = f.position;
    this.env.trace('reset', { partition: f.partition, from: from ?? -1, to, reason, policy: this.config.autoOffsetReset });
    this.history.record({ kind: 'reset', t: this.env.now(), process: this.env.node, partition: f.partition, from, to, reason });
  }

  /** auto.offset.reset=none: the poll throws this from now on (see consumer.ts); the partition reads nothing more. */
  private fail(f: PartitionState, error: ConsumerError, divergentOffset: number | null): void {
    f.failure = { partition: f.partition, error, position: f.position, divergentOffset };
    this.env.trace('consumer-error', { partition: f.partition, error, position: f.position ?? -1, divergentOffset: divergentOffset ?? -1 });
    this.setState(f, 'failed');
    this.onFailure();
  }

  private setState(f: PartitionState, state: FetchState): void {
    this.cancelRequest(f);
    f.state = state;
    // Records fetched under the old state are not returned (FetchCollector: "no longer fetchable").
    if (state !== 'fetching') f.buffer = [];
  }

  private enter(f: PartitionState, state: FetchState): void {
    this.setState(f, state);
    this.advance(f);
  }

  // ---------------------------------------------------------------- requests

  /** Sends what the partition's state waits for, to the leader the metadata names. */
  private advance(f: PartitionState): void {
    this.cancelRequest(f);
    if (!this.assigned.includes(f) || f.state === 'initializing' || f.state === 'failed') return;
    const leader = this.leaders.get(f.partition);
    if (leader === undefined || leader.leader === null) return this.refreshMetadata();
    if (f.position !== null) this.maybeValidate(f, leader.epoch);
    const epoch = this.config.validatePositions ? leader.epoch : -1;
    const id = this.nextRequestId++;
    const to = leader.leader;
    const { partition } = f;
    switch (f.state) {
      case 'await-reset':
        this.env.send(to, {
          type: 'list-offsets', id, partition, currentLeaderEpoch: epoch, timestamp: this.config.autoOffsetReset === 'earliest' ? 'earliest' : 'latest',
          // The Java client's ListOffsets carries the consumer's isolation level (OffsetFetcher).
          ...(this.config.isolationLevel === 'read_committed' ? { readCommitted: true } : {}),
        }, HEADER_BYTES);
        break;
      case 'await-validation':
        this.env.send(to, { type: 'epoch-query', partition, currentLeaderEpoch: epoch, leaderEpoch: f.offsetEpoch, session: id }, HEADER_BYTES);
        break;
      case 'fetching':
        if (f.buffer.length > 0) return;
        this.env.send(to, {
          type: 'consumer-fetch', id, partition, offset: f.position!, currentLeaderEpoch: epoch,
          maxWaitUs: this.config.fetchWaitMaxUs, maxRecords: this.config.maxPollRecords,
          ...(this.config.isolationLevel === 'read_committed' ? { readCommitted: true } : {}),
        }, HEADER_BYTES);
        break;
      default:
        return;
    }
    f.requestId = id;
    const waitUs = f.state === 'fetching' ? this.config.fetchWaitMaxUs : 0;
    f.timer = this.env.setTimer(waitUs + BROKER_REQUEST_TIMEOUT_US, () => {
      if (f.requestId !== id) return;
      this.refreshMetadata();
      this.advance(f);
    });
  }

  private cancelRequest(f: PartitionState): void {
    this.env.cancelTimer(f.timer);
    f.timer = -1;
    f.requestId = -1;
  }

  /** A retriable error: learn the metadata again and try after the backoff. */
  private retryLater(f: PartitionState): void {
    this.cancelRequest(f);
    this.refreshMetadata();
    f.timer = this.env.setTimer(FETCH_BACKOFF_US, () => this.advance(f));
  }

  private onFetchResponse(f: PartitionState, m: ConsumerFetchResponse): void {
    // The request was for the position: no record was taken while it was out (the buffer was empty).
    if (m.error === 'OFFSET_OUT_OF_RANGE') return this.requestReset(f, 'out-of-range');
    if (m.error !== null) return this.retryLater(f);
    const position = f.position!;
    const records = m.records.filter((r) => r.offset >= position);
    if (records.length === 0 || records[0]!.offset !== position) return this.advance(f);
    const visible = visibleRecords(records, m.abortedTransactions);
    const last = records[records.length - 1]!;
    f.gapped = visible.length !== records.length;
    f.bufferEnd = last.offset + 1;
    f.bufferEndEpoch = last.batch.epoch;
    if (visible.length === 0) {
      // Only control records or aborted ones: the position moves past them, and the fetch goes on.
      f.position = f.bufferEnd;
      f.offsetEpoch = f.bufferEndEpoch;
      return this.advance(f);
    }
    f.buffer = visible;
    this.onData();
  }

  /** ListOffsets answered: the reset happens (and is recorded), then the new position is validated like any other. */
  private onListOffsets(f: PartitionState, m: ListOffsetsResponse): void {
    if (m.error !== null || f.state !== 'await-reset') return this.retryLater(f);
    this.recordReset(f, m.offset, f.resetReason);
    this.seekUnvalidated(f, m.offset, m.leaderEpoch);
  }

  /**
   * OffsetsForLeaderEpoch answered (SubscriptionState.maybeCompleteValidation): an end offset below
   * the position means the log was truncated under it. With a reset policy the position moves back
   * to that end offset, "the first offset known to diverge", with the epoch the leader named; with
   * no end offset at all (the leader has no epoch as old as ours) the policy's own reset runs; with
   * auto.offset.reset=none the poll throws LogTruncationException.
   */
  private onValidation(f: PartitionState, m: EpochQueryResponse): void {
    if (f.state !== 'await-validation') return;
    if (m.error !== null) return this.retryLater(f);
    const position = f.position!;
    const unknown = m.endOffset < 0 || m.epoch < 0;
    if (!unknown && m.endOffset >= position) return this.enter(f, 'fetching');
    this.env.trace('truncation-detected', { partition: f.partition, position, offsetEpoch: f.offsetEpoch, endOffset: m.endOffset, epoch: m.epoch });
    if (this.config.autoOffsetReset === 'none') return this.fail(f, 'LogTruncationException', unknown ? null : m.endOffset);
    if (unknown) return this.requestReset(f, 'truncation');
    this.recordReset(f, m.endOffset, 'truncation');
    f.position = m.endOffset;
    f.offsetEpoch = m.epoch;
    this.enter(f, 'fetching');
  }

  // ---------------------------------------------------------------- metadata

  private refreshMetadata(): void {
    if (this.metadataPending) return;
    this.metadataPending = true;
    const brokers = this.layout.brokers;
    const id = this.nextRequestId++;
    this.metadataRequestId = id;
    this.env.send(brokers[this.metadataTarget++ % brokers.length]!, { type: 'metadata', id }, HEADER_BYTES);
    this.env.setTimer(METADATA_RETRY_US, () => {
      if (!this.metadataPending || this.metadataRequestId !== id) return;
      this.metadataPending = false;
      this.refreshMetadata();
    });
  }

  /** A late answer to an abandoned request still teaches leaders but never sends another request. */
  onMetadata(m: MetadataResponse): void {
    const current = m.id === this.metadataRequestId;
    if (current) this.metadataPending = false;
    for (const meta of m.partitions) {
      if (meta.partition >= this.layout.dataPartitions) continue;
      const known = this.leaders.get(meta.partition);
      if (known !== undefined && meta.leaderEpoch < known.epoch) continue;
      const changed = known === undefined || known.leader !== meta.leader || known.epoch !== meta.leaderEpoch;
      this.leaders.set(meta.partition, { leader: meta.leader, epoch: meta.leaderEpoch });
      const f = this.assigned.find((a) => a.partition === meta.partition);
      // A changed leader gets what waits on it at once; an idle partition (backing off) goes again too.
      if (f !== undefined && (changed || f.requestId < 0)) this.advance(f);
    }
    if (current && this.assigned.some((f) => (this.leaders.get(f.partition)?.leader ?? null) === null)) {
      this.env.setTimer(METADATA_RETRY_US, () => this.refreshMetadata());
    }
  }
}

/**
 * What a poll may return of a fetched run of records (the Java client's CompletedFetch): never a
 * control record; with read_committed (`aborted` given), no record of an aborted transaction. A
 * producer's records are skipped from its aborted transaction's first offset until its abort marker.
 * Returns the same array when nothing is skipped (every fetch of a run without transactions).
 */
export function visibleRecords(records: readonly LogRecord[], aborted: readonly AbortedTxn[] | undefined): readonly LogRecord[] {
  let skips = aborted !== undefined && aborted.length > 0;
  if (!skips) for (let i = 0; i < records.length && !skips; i++) if (records[i]!.batch.payloads !== null) skips = true;
  if (!skips) return records;
  const pending = aborted === undefined ? [] : [...aborted].sort((a, b) => a.firstOffset - b.firstOffset);
  const abortedProducers = new Set<number>();
  const out: LogRecord[] = [];
  let next = 0;
  for (const r of records) {
    while (next < pending.length && pending[next]!.firstOffset <= r.offset) abortedProducers.add(pending[next++]!.producerId);
    const marker = markerOf(r.batch);
    if (marker !== undefined) {
      if (!marker.commit) abortedProducers.delete(marker.producerId);
      continue;
    }
    if (r.batch.payloads !== null) continue;
    if (r.batch.transactional === true && abortedProducers.has(r.batch.producerId)) continue;
    out.push(r);
  }
  return out;
}
