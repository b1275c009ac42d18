// A consumer k1…: polls each assigned partition from its leader, below the high watermark, and
// processes what it gets (an application step of processingMs). This is the standalone consumer
// (every partition assigned to it); group membership and offset commits build on it.
import type { Actor, Env, Message, NodeId } from '../sim/env.js';
import type { ClusterLayout, ConsumerConfig } from './config.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES } from './config.js';
import type { HistoryRecorder, PolledRecord } from './history.js';
import type { ConsumerFetchResponse, MetadataResponse, PartitionMeta } from './messages.js';

const METADATA_RETRY_US = 500_000;
const FETCH_BACKOFF_US = 100_000;

interface Assignment {
  readonly partition: number;
  position: number;
  leader: NodeId | null;
  leaderEpoch: number;
  requestId: number;
  timer: number;
}

export class Consumer implements Actor {
  private readonly assignments: Assignment[];
  private nextRequestId = 1;
  private metadataTarget = 0;
  private metadataPending = false;

  constructor(
    private readonly env: Env,
    private readonly layout: ClusterLayout,
    private readonly config: ConsumerConfig,
    private readonly history: HistoryRecorder,
  ) {
    this.assignments = layout.replicas.map((_, partition) => ({ partition, position: 0, leader: null, leaderEpoch: -1, requestId: -1, timer: -1 }));
  }

  start(): void {
    this.history.record({ kind: 'assign', t: this.env.now(), process: this.env.node, group: this.config.group, generation: 0, partitions: this.assignments.map((a) => a.partition) });
    this.refreshMetadata();
  }

  receive(_from: NodeId, msg: Message): void {
    const m = msg as ConsumerFetchResponse | MetadataResponse;
    if (m.type === 'metadata-resp') this.onMetadata(m.partitions);
    else this.onFetchResponse(m);
  }

  private refreshMetadata(): void {
    if (this.metadataPending) return;
    this.metadataPending = true;
    const brokers = this.layout.brokers;
    this.env.send(brokers[this.metadataTarget++ % brokers.length]!, { type: 'metadata', id: this.nextRequestId++ }, HEADER_BYTES);
    this.env.setTimer(METADATA_RETRY_US, () => {
      if (!this.metadataPending) return;
      this.metadataPending = false;
      this.refreshMetadata();
    });
  }

  private onMetadata(partitions: readonly PartitionMeta[]): void {
    this.metadataPending = false;
    for (const meta of partitions) {
      const assignment = this.assignments[meta.partition];
      if (assignment === undefined || meta.leaderEpoch < assignment.leaderEpoch) continue;
      const changed = assignment.leader !== meta.leader || assignment.leaderEpoch !== meta.leaderEpoch;
      assignment.leader = meta.leader;
      assignment.leaderEpoch = meta.leaderEpoch;
      if (changed || assignment.requestId < 0) this.fetch(assignment);
    }
    if (this.assignments.some((a) => a.leader === null)) this.env.setTimer(METADATA_RETRY_US, () => this.refreshMetadata());
  }

  private fetch(assignment: Assignment): void {
    this.env.cancelTimer(assignment.timer);
    if (assignment.leader === null) { assignment.requestId = -1; return; }
    const id = this.nextRequestId++;
    assignment.requestId = id;
    this.env.send(assignment.leader, {
      type: 'consumer-fetch', id, partition: assignment.partition, offset: assignment.position,
      currentLeaderEpoch: assignment.leaderEpoch, maxWaitUs: this.config.fetchWaitMaxUs, maxRecords: this.config.maxPollRecords,
    }, HEADER_BYTES);
    assignment.timer = this.env.setTimer(this.config.fetchWaitMaxUs + BROKER_REQUEST_TIMEOUT_US, () => {
      if (assignment.requestId !== id) return;
      this.refreshMetadata();
      this.fetch(assignment);
    });
  }

  private onFetchResponse(m: ConsumerFetchResponse): void {
    const assignment = this.assignments[m.partition];
    if (assignment === undefined || assignment.requestId !== m.id) return;
    this.env.cancelTimer(assignment.timer);
    assignment.requestId = -2;
    if (m.error !== null) {
      this.refreshMetadata();
      assignment.timer = this.env.setTimer(FETCH_BACKOFF_US, () => this.fetch(assignment));
      return;
    }
    const records: PolledRecord[] = [];
    for (const record of m.records) {
      // Records below the position were already delivered (a log that was cut and refilled).
      if (record.offset < assignment.position) continue;
      records.push({ partition: m.partition, offset: record.offset, value: record.value });
    }
    if (records.length === 0) return this.fetch(assignment);
    const t = this.env.now();
    this.history.record({ kind: 'poll', t, process: this.env.node, records });
    assignment.position = records[records.length - 1]!.offset + 1;
    this.env.setTimer(this.config.processingUs * records.length, () => {
      const done = this.env.now();
      for (const record of records) this.history.record({ kind: 'process', t: done, process: this.env.node, ...record });
      this.fetch(assignment);
    });
  }
}
