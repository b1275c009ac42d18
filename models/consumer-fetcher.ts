// A consumer's fetcher: for each assigned partition, fetches from the leader (below its high
// watermark, long polling) at the consumer's position and keeps one response buffered until a poll
// takes it. Positions start where the group committed; a new assignment drops everything in flight.
import type { Env, NodeId } from '../sim/env.js';
import type { ClusterLayout, ConsumerConfig } from './config.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES } from './config.js';
import type { PartitionOffset } from './group-messages.js';
import type { PolledRecord } from './history.js';
import type { ConsumerFetchResponse, MetadataResponse } from './messages.js';
import type { LogRecord } from './records.js';
import { firstRequestId } from './request-ids.js';

const METADATA_RETRY_US = 500_000;
const FETCH_BACKOFF_US = 100_000;

interface Fetched {
  readonly partition: number;
  /** Where the consumer reads next; null until the committed offset is known. */
  position: number | null;
  requestId: number;
  timer: number;
  buffer: readonly LogRecord[];
}

/** What the fetcher reads of a consumer's settings (the final drain, models/drain-reader.ts, has only these). */
export type FetcherConfig = Pick<ConsumerConfig, 'fetchWaitMaxUs' | 'maxPollRecords'>;

export class ConsumerFetcher {
  private assigned: Fetched[] = [];
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

  constructor(private readonly env: Env, private readonly layout: ClusterLayout, private readonly config: FetcherConfig) {
    this.nextRequestId = firstRequestId(env);
  }

  start(): void {
    this.refreshMetadata();
  }

  /** A new assignment: nothing of the old one survives (late responses are ignored by id). */
  assign(partitions: readonly number[]): void {
    for (const f of this.assigned) this.env.cancelTimer(f.timer);
    this.assigned = partitions.map((partition) => ({ partition, position: null, requestId: -1, timer: -1, buffer: [] }));
  }

  seek(offsets: readonly PartitionOffset[]): void {
    for (const { partition, offset } of offsets) {
      const f = this.assigned.find((a) => a.partition === partition);
      if (f === undefined) continue;
      this.env.assert(offset >= 0, `seek p${partition} to negative offset ${offset}`);
      f.position = offset;
      this.fetch(f);
    }
  }

  /** The positions known: what a commit of everything consumed so far writes. */
  positions(): PartitionOffset[] {
    const out: PartitionOffset[] = [];
    for (const f of this.assigned) if (f.position !== null) out.push({ partition: f.partition, offset: f.position });
    return out;
  }

  hasData(): boolean {
    return this.assigned.some((f) => f.buffer.length > 0);
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
        if (r.offset !== position + i || r.partition !== f.partition) {
          this.env.assert(false, `p${f.partition}: polled p${r.partition} offset ${r.offset}, not position ${position} + ${i}`);
        }
        out.push(r);
      }
      f.position = taken[taken.length - 1]!.offset + 1;
      if (f.buffer.length === 0) this.fetch(f);
    }
    this.nextFirst = n === 0 ? 0 : (this.nextFirst + 1) % n;
    return out;
  }

  receive(m: ConsumerFetchResponse): void {
    const f = this.assigned.find((a) => a.partition === m.partition);
    if (f === undefined || f.requestId !== m.id || f.position === null) return;
    this.env.cancelTimer(f.timer);
    f.requestId = -1;
    if (m.error === 'OFFSET_OUT_OF_RANGE' && m.highWatermark >= 0 && m.highWatermark < f.position) {
      // The log was cut below our position (an unclean election): auto.offset.reset=latest.
      this.env.trace('offset-reset', { partition: f.partition, from: f.position, to: m.highWatermark });
      f.position = m.highWatermark;
    }
    if (m.error !== null) {
      this.refreshMetadata();
      f.timer = this.env.setTimer(FETCH_BACKOFF_US, () => this.fetch(f));
      return;
    }
    const position = f.position;
    const records = m.records.filter((r) => r.offset >= position);
    if (records.length === 0 || records[0]!.offset !== position) return this.fetch(f);
    f.buffer = records;
    this.onData();
  }

  /** The connection to `peer` broke: fetches waiting on it go again (after a metadata refresh). */
  disconnected(peer: NodeId): void {
    for (const f of this.assigned) {
      if (f.requestId < 0 || this.leaders.get(f.partition)?.leader !== peer) continue;
      this.refreshMetadata();
      this.env.cancelTimer(f.timer);
      f.requestId = -1;
      f.timer = this.env.setTimer(FETCH_BACKOFF_US, () => this.fetch(f));
    }
  }

  private fetch(f: Fetched): void {
    this.env.cancelTimer(f.timer);
    f.requestId = -1;
    if (f.position === null || f.buffer.length > 0 || !this.assigned.includes(f)) return;
    const leader = this.leaders.get(f.partition);
    if (leader === undefined || leader.leader === null) return this.refreshMetadata();
    const id = this.nextRequestId++;
    f.requestId = id;
    this.env.send(leader.leader, {
      type: 'consumer-fetch', id, partition: f.partition, offset: f.position, currentLeaderEpoch: leader.epoch,
      maxWaitUs: this.config.fetchWaitMaxUs, maxRecords: this.config.maxPollRecords,
    }, HEADER_BYTES);
    f.timer = this.env.setTimer(this.config.fetchWaitMaxUs + BROKER_REQUEST_TIMEOUT_US, () => {
      if (f.requestId !== id) return;
      this.refreshMetadata();
      this.fetch(f);
    });
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
      if (f !== undefined && (changed || f.requestId < 0)) this.fetch(f);
    }
    if (current && this.assigned.some((f) => (this.leaders.get(f.partition)?.leader ?? null) === null)) {
      this.env.setTimer(METADATA_RETRY_US, () => this.refreshMetadata());
    }
  }
}
