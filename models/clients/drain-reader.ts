// The final drain (node `drain`): a reader outside every group, as Jepsen's Kafka test ends with its
// final polls (a fresh client assigned every key, seeking to the beginning, polling until caught up).
// It is idle from boot until the harness calls begin() after the settle phase; it then reads every
// data partition from offset 0 (ksim keeps every record: the log start is 0) through the ordinary
// fetch path — metadata, the leader, long-polled consumer fetches below the high watermark — and
// records each poll in the history under its own process name. It never processes or commits, so
// what it reads counts for "readable" (`unseen`) and never for a group's processing.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { ClusterLayout } from '../config.js';
import { MAX_FETCH_RECORDS } from '../config.js';
import { ConsumerFetcher, type FetchPosition, type FetcherConfig } from './consumer-fetcher.js';
import type { HistoryRecorder } from '../history/history.js';
import type { ConsumerFetchResponse, EpochQueryResponse, ListOffsetsResponse, MetadataResponse } from '../messages.js';

/** The drain's node name: the `process` of its polls in the history. */
export const DRAIN_NODE = 'drain';

/**
 * A consumer's fetch.max.wait.ms (500 ms) and max.poll.records; it reads from offset 0
 * (auto.offset.reset=earliest, no group, so no commits), and validates its position after leader
 * changes like any KIP-320 consumer.
 */
const DRAIN_FETCH: FetcherConfig = { autoOffsetReset: 'earliest', validatePositions: true, fetchWaitMaxUs: 500_000, maxPollRecords: MAX_FETCH_RECORDS };

export class DrainReader implements Actor {
  private readonly fetcher: ConsumerFetcher;
  private reading = false;
  private recordsPolled = 0;

  constructor(private readonly env: Env, private readonly layout: ClusterLayout, private readonly history: HistoryRecorder) {
    // With transactions the drain reads as read_committed does: the final log is the committed one.
    const transactional = (layout.transactionPartition ?? null) !== null;
    this.fetcher = new ConsumerFetcher(env, layout, transactional ? { ...DRAIN_FETCH, isolationLevel: 'read_committed' } : DRAIN_FETCH, history);
  }

  /** Idle: nothing is sent until the harness calls begin(). */
  start(): void {}

  /** Assigns every data partition at offset 0 and reads on; a second call does nothing. */
  begin(): void {
    if (this.reading) return;
    this.reading = true;
    const partitions = Array.from({ length: this.layout.dataPartitions }, (_, p) => p);
    this.env.trace('drain-start', { partitions: partitions.length });
    this.fetcher.onData = () => this.poll();
    this.fetcher.assign(partitions);
    this.fetcher.start();
    this.fetcher.seekCommitted(partitions.map((partition) => ({ partition, offset: 0, leaderEpoch: -1 })));
  }

  /** The next offset to read of each data partition (empty before begin()): the harness compares them with the HWs. */
  states(): FetchPosition[] {
    return this.fetcher.states();
  }

  /** Records polled so far. */
  recordsRead(): number {
    return this.recordsPolled;
  }

  /** As Consumer.receive: fetches, and the epoch queries and offset lookups of position validation and reset. */
  receive(_from: NodeId, msg: Message): void {
    const m = msg as ConsumerFetchResponse | ListOffsetsResponse | EpochQueryResponse | MetadataResponse;
    if (m.type === 'metadata-resp') this.fetcher.onMetadata(m);
    else this.fetcher.receive(m);
  }

  disconnected(peer: NodeId): void {
    this.fetcher.disconnected(peer);
  }

  /** Takes everything buffered, one history poll per take, as a consumer's poll loop would. */
  private poll(): void {
    for (;;) {
      const records = this.fetcher.take(MAX_FETCH_RECORDS);
      if (records.length === 0) return;
      this.recordsPolled += records.length;
      this.history.poll(this.env.now(), this.env.node, records);
    }
  }
}
