// A producer client p1…: sends unique values at a steady rate, batched per partition (linger.ms,
// batch.size), with acks, retries and backoff, request.timeout.ms and delivery.timeout.ms,
// max.in.flight.requests.per.connection, metadata refresh on errors, and the idempotent producer's
// sequence numbers. Every value's fate goes to the history: ok with its offset, fail when it
// definitely was not written, info when nobody can know.
import type { Actor, Env, Message, NodeId } from '../sim/env.js';
import type { ClusterLayout, ProducerConfig } from './config.js';
import { HEADER_BYTES, RECORD_BYTES } from './config.js';
import type { HistoryRecorder, Value } from './history.js';
import { VALUE_STRIDE } from './history.js';
import { Arrivals } from './arrivals.js';
import type { Deadline } from './deadlines.js';
import { Deadlines } from './deadlines.js';
import type { ErrorCode, InitProducerIdResponse, MetadataResponse, ProduceResponse } from './messages.js';
import { firstRequestId } from './request-ids.js';
import { ReadyQueue } from './ready-queue.js';

/** Errors after which the batch definitely was not appended. */
const NOT_APPENDED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'NOT_ENOUGH_REPLICAS', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'INVALID_PRODUCER_EPOCH', 'UNKNOWN_PRODUCER_ID',
]);
const METADATA_RETRY_US = 500_000;

interface Batch {
  readonly partition: number;
  /** Grows while the batch is open; replaced by an exact-size copy when it closes (see closeBatch). */
  values: Value[];
  readonly createdUs: number;
  /** Sequence of the first record once assigned (idempotence), else -1. */
  baseSequence: number;
  producerEpoch: number;
  attempts: number;
  /** Some attempt may have been appended: a final failure is then only "unknown". */
  maybeWritten: boolean;
  /** Id of the request in flight, or -1, and the broker it went to. */
  inFlight: number;
  sentTo: NodeId | null;
  timeout: Deadline<number> | null;
  /** The last error a broker (or a timeout) gave this batch: the cause when it finally expires. */
  lastError: string | null;
  /** Sent under a producer epoch since abandoned: its answer is final, never retried. */
  abandoned: boolean;
  /** A retried batch waits in the queue until this time (retry.backoff.ms); 0 for a fresh one. */
  retryAtUs: number;
}

interface PartitionQueue {
  open: Batch | null;
  readonly ready: ReadyQueue<Batch>;
  inFlight: number;
  nextSequence: number;
  /** Drains the queue when a retry at its head has backed off long enough. */
  retryTimer: number;
}

export class Producer implements Actor {
  private readonly queues: PartitionQueue[];
  private readonly leaders = new Map<number, { leader: NodeId | null; epoch: number }>();
  private readonly inFlightById = new Map<number, Batch>();
  private nextRequestId: number;
  /** Index of the next value to arrive (see arrivals.ts). */
  private counter = 0;
  private arrivals: Arrivals | null = null;
  private wakeTimer = -1;
  private readonly wakeFn = (): void => this.wake();
  private readonly requestTimeouts: Deadlines<number>;
  private producerId = -1;
  private producerEpoch = 0;
  private metadataPending = false;
  /** The metadata request waited for: only its answer (or its timeout) may send the next one. */
  private metadataRequestId = -1;
  private metadataTarget = 0;

  constructor(
    private readonly env: Env,
    private readonly layout: ClusterLayout,
    private readonly config: ProducerConfig,
    private readonly history: HistoryRecorder,
  ) {
    this.nextRequestId = firstRequestId(env);
    // Data partitions only: the offsets partition after them is the group coordinator's.
    this.queues = Array.from({ length: layout.dataPartitions }, () => ({ open: null, ready: new ReadyQueue<Batch>(), inFlight: 0, nextSequence: 0, retryTimer: -1 }));
    this.requestTimeouts = new Deadlines(env, (id) => this.onResult(id, 'REQUEST_TIMED_OUT', -1));
  }

  start(): void {
    this.refreshMetadata();
    if (this.config.enableIdempotence) this.initProducerId();
    const intervalUs = Math.max(1, Math.round(1_000_000 / this.config.messagesPerSec));
    // The first value arrives one interval after start, as the application's first send() does.
    const now = this.env.now();
    this.arrivals = new Arrivals(now + intervalUs, intervalUs, this.config.stopAtUs, this.queues.length, this.config.batchSize, RECORD_BYTES);
    this.wake();
  }

  receive(_from: NodeId, msg: Message): void {
    const m = msg as ProduceResponse | MetadataResponse | InitProducerIdResponse;
    if (m.type === 'produce-resp') this.onProduceResponse(m);
    else if (m.type === 'metadata-resp') this.onMetadata(m);
    else this.onProducerId(m);
  }

  // ---------------------------------------------------------------- load

  /** Takes in the values that arrived, closes the batches that are due, sleeps until the next one is. */
  private wake(): void {
    this.wakeTimer = -1;
    const arrivals = this.arrivals!;
    const now = this.env.now();
    while (arrivals.arrives(this.counter) && arrivals.timeOf(this.counter) <= now) this.produceValue(arrivals.timeOf(this.counter));
    const lingerUs = this.config.lingerUs;
    let next = Infinity;
    for (let partition = 0; partition < this.queues.length; partition++) {
      const queue = this.queues[partition]!;
      if (queue.open !== null && queue.open.createdUs + lingerUs <= now) this.closeBatch(partition);
      const open = queue.open;
      const closeAt = open === null
        ? arrivals.closeTime(partition, this.counter, 0, 0, lingerUs)
        : arrivals.closeTime(partition, this.counter, open.createdUs, open.values.length, lingerUs);
      if (closeAt < next) next = closeAt;
    }
    if (next < Infinity) this.wakeTimer = this.env.setTimer(Math.max(0, next - now), this.wakeFn);
  }

  private produceValue(t: number): void {
    const k = this.counter++;
    const value = this.config.index * VALUE_STRIDE + this.config.firstValue + k;
    const partition = this.arrivals!.partitionOf(k);
    this.history.sendInvoke(t, this.env.node, value, partition);
    const queue = this.queues[partition]!;
    if (queue.open === null) {
      queue.open = { partition, values: [], createdUs: t, baseSequence: -1, producerEpoch: -1, attempts: 0, maybeWritten: false, inFlight: -1, sentTo: null, timeout: null, lastError: null, abandoned: false, retryAtUs: 0 };
    }
    queue.open.values.push(value);
    if (queue.open.values.length >= this.arrivals!.batchLimit) this.closeBatch(partition);
  }

  private closeBatch(partition: number): void {
    const queue = this.queues[partition]!;
    const batch = queue.open;
    if (batch === null) return;
    // Pushing grew the array to 17 slots or more; a closed batch may wait a long time (a partition
    // without a leader keeps thousands), and its values travel on in produce requests: keep only
    // what it holds.
    batch.values = batch.values.slice();
    queue.ready.push(batch);
    queue.open = null;
    this.drain(partition);
  }

  // ---------------------------------------------------------------- sending

  /** Sends ready batches while the in-flight limit allows and the leader is known. */
  private drain(partition: number): void {
    const queue = this.queues[partition]!;
    const leader = this.leaders.get(partition)?.leader ?? null;
    if (leader === null) return this.refreshMetadata();
    if (this.config.enableIdempotence && this.producerId < 0) return;
    while (queue.inFlight < this.config.maxInFlight && queue.ready.length > 0) {
      // As Java's accumulator, only the head is looked at: a retry backing off holds back the batches behind it.
      const head = queue.ready.at(0)!;
      if (head.retryAtUs > this.env.now()) return this.drainAt(partition, head.retryAtUs);
      const batch = queue.ready.shift()!;
      if (this.expired(batch)) { this.finish(batch, batch.lastError ?? 'DELIVERY_TIMEOUT'); continue; }
      // Sequenced under an epoch since abandoned (it may sit in a retry backoff during the bump).
      if (batch.baseSequence >= 0 && batch.producerEpoch !== this.producerEpoch) { this.finish(batch, 'PRODUCER_EPOCH_BUMPED'); continue; }
      this.send(batch, leader, queue);
    }
  }

  private send(batch: Batch, leader: NodeId, queue: PartitionQueue): void {
    if (this.config.enableIdempotence && batch.baseSequence < 0) {
      batch.baseSequence = queue.nextSequence;
      batch.producerEpoch = this.producerEpoch;
      queue.nextSequence += batch.values.length;
    }
    const id = this.nextRequestId++;
    batch.inFlight = id;
    batch.sentTo = leader;
    batch.attempts++;
    queue.inFlight++;
    this.inFlightById.set(id, batch);
    this.env.send(leader, {
      type: 'produce', id, partition: batch.partition, acks: this.config.acks, timeoutUs: this.config.requestTimeoutUs,
      values: batch.values,
      producerId: this.config.enableIdempotence ? this.producerId : -1, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence,
    }, HEADER_BYTES + batch.values.length * RECORD_BYTES);
    if (this.config.acks === '0') {
      // No answer will come: the producer forgets the batch at once; nobody knows its fate.
      this.inFlightById.delete(id);
      queue.inFlight--;
      batch.maybeWritten = true;
      this.finish(batch, 'ACKS_0');
      return;
    }
    batch.timeout = this.requestTimeouts.add(this.config.requestTimeoutUs, id);
  }

  /** The broker's process died with requests in flight: they fail now, not at request.timeout.ms. */
  disconnected(peer: NodeId): void {
    const lost: number[] = [];
    for (const [id, batch] of this.inFlightById) if (batch.sentTo === peer) lost.push(id);
    for (const id of lost) this.onResult(id, 'NETWORK_EXCEPTION', -1);
  }

  private onProduceResponse(m: ProduceResponse): void {
    this.onResult(m.id, m.error, m.baseOffset);
  }

  private onResult(id: number, error: ErrorCode | null, baseOffset: number): void {
    const batch = this.inFlightById.get(id);
    if (batch === undefined || batch.inFlight !== id) return;
    this.inFlightById.delete(id);
    if (batch.timeout !== null) this.requestTimeouts.cancel(batch.timeout);
    batch.timeout = null;
    batch.inFlight = -1;
    const queue = this.queues[batch.partition]!;
    queue.inFlight--;
    if (error === null) {
      this.finishOk(batch, baseOffset);
    } else {
      if (!NOT_APPENDED.has(error)) batch.maybeWritten = true;
      batch.lastError = error;
      this.retryOrFinish(batch, error);
    }
    this.drain(batch.partition);
  }

  private retryOrFinish(batch: Batch, error: ErrorCode): void {
    const fatal = error === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || error === 'INVALID_PRODUCER_EPOCH' || error === 'UNKNOWN_PRODUCER_ID';
    if (batch.abandoned || (fatal && !this.hasEarlierUnresolved(batch))) {
      this.finish(batch, error);
      if (fatal && !batch.abandoned) this.bumpEpoch();
      return;
    }
    if (batch.attempts > this.config.retries || this.expired(batch)) return this.finish(batch, error);
    if (error === 'NOT_LEADER_OR_FOLLOWER' || error === 'REQUEST_TIMED_OUT' || error === 'NETWORK_EXCEPTION') this.refreshMetadata();
    batch.retryAtUs = this.env.now() + this.config.retryBackoffUs;
    this.requeue(batch);
  }

  private drainAt(partition: number, atUs: number): void {
    const queue = this.queues[partition]!;
    this.env.cancelTimer(queue.retryTimer);
    queue.retryTimer = this.env.setTimer(atUs - this.env.now(), () => {
      queue.retryTimer = -1;
      this.drain(partition);
    });
  }

  /**
   * KIP-360: after a sequence error the producer starts a new epoch, so every partition's
   * sequences restart at 0. A batch already sent under the old epoch is never renumbered and
   * retried (it may be in the log: that is how duplicates happen); it ends with what is known.
   */
  private bumpEpoch(): void {
    this.producerEpoch++;
    for (const queue of this.queues) queue.nextSequence = 0;
    for (const batch of this.inFlightById.values()) batch.abandoned = true;
  }

  /** A retried batch goes back in sequence order (idempotence) or to the front of the queue. */
  private requeue(batch: Batch): void {
    const queue = this.queues[batch.partition]!;
    let index = 0;
    if (this.config.enableIdempotence) {
      while (index < queue.ready.length && queue.ready.at(index)!.baseSequence >= 0 && queue.ready.at(index)!.baseSequence < batch.baseSequence) index++;
    }
    queue.ready.insert(index, batch);
    this.drain(batch.partition);
  }

  private hasEarlierUnresolved(batch: Batch): boolean {
    for (const other of this.inFlightById.values()) {
      if (other.partition === batch.partition && other.baseSequence < batch.baseSequence) return true;
    }
    return this.queues[batch.partition]!.ready.some((other) => other.baseSequence >= 0 && other.baseSequence < batch.baseSequence);
  }

  private expired(batch: Batch): boolean {
    return this.env.now() - batch.createdUs >= this.config.deliveryTimeoutUs;
  }

  private finishOk(batch: Batch, baseOffset: number): void {
    const t = this.env.now();
    const { values, partition } = batch;
    const process = this.env.node;
    for (let i = 0; i < values.length; i++) this.history.sendOk(t, process, values[i]!, partition, baseOffset + i);
    this.env.trace('send-ok', { partition, offset: baseOffset, count: values.length, first: values[0] ?? -1 });
  }

  private finish(batch: Batch, error: string): void {
    const t = this.env.now();
    const kind = batch.maybeWritten ? 'send-info' : 'send-fail';
    for (const value of batch.values) this.history.sendEnd(kind, t, this.env.node, value, batch.partition, error);
    if (error !== 'ACKS_0') this.env.trace(kind, { partition: batch.partition, error, count: batch.values.length, first: batch.values[0] ?? -1 });
  }

  // ---------------------------------------------------------------- metadata

  private refreshMetadata(): void {
    if (this.metadataPending) return;
    this.metadataPending = true;
    // Ask the brokers in turn: any one may be down or cut off.
    const brokers = this.layout.brokers;
    const target = brokers[this.metadataTarget++ % brokers.length]!;
    const id = this.nextRequestId++;
    this.metadataRequestId = id;
    this.env.send(target, { type: 'metadata', id }, HEADER_BYTES);
    this.env.setTimer(METADATA_RETRY_US, () => {
      if (!this.metadataPending || this.metadataRequestId !== id) return;
      this.metadataPending = false;
      this.refreshMetadata();
    });
  }

  private onMetadata(m: MetadataResponse): void {
    // A late answer to an abandoned request still teaches leaders, but must not start another
    // request: every stale answer doing so multiplied the requests in flight without bound.
    const current = m.id === this.metadataRequestId;
    if (current) this.metadataPending = false;
    const partitions = m.partitions;
    let missing = false;
    for (const meta of partitions) {
      if (meta.partition >= this.queues.length) continue;
      const known = this.leaders.get(meta.partition);
      if (known === undefined || meta.leaderEpoch >= known.epoch) this.leaders.set(meta.partition, { leader: meta.leader, epoch: meta.leaderEpoch });
      if (meta.leader === null) missing = true;
    }
    if (partitions.length < this.queues.length) missing = true;
    for (let p = 0; p < this.queues.length; p++) this.drain(p);
    if (missing && current) this.env.setTimer(METADATA_RETRY_US, () => this.refreshMetadata());
  }

  private initProducerId(): void {
    this.env.send(this.layout.controller, { type: 'init-producer-id', id: this.nextRequestId++ }, HEADER_BYTES);
    this.env.setTimer(METADATA_RETRY_US * 2, () => {
      if (this.producerId < 0) this.initProducerId();
    });
  }

  private onProducerId(m: InitProducerIdResponse): void {
    if (this.producerId >= 0) return;
    this.producerId = m.producerId;
    this.producerEpoch = m.producerEpoch;
    for (let p = 0; p < this.queues.length; p++) this.drain(p);
  }

  // ---------------------------------------------------------------- observation (read only)

  /**
   * Values the application handed to send() (or that arrived before the load stopped and are not
   * taken in yet) whose outcome is not known yet: neither acknowledged nor failed nor given up as
   * unknown. The harness's settle check reads it (scenario/quiescence.ts); 0 means nothing of this
   * producer is outstanding. It walks the open, ready and in-flight batches: call it between steps,
   * not per event.
   */
  pendingSends(): number {
    let pending = 0;
    for (const queue of this.queues) {
      pending += queue.open?.values.length ?? 0;
      for (let i = 0; i < queue.ready.length; i++) pending += queue.ready.at(i)!.values.length;
    }
    for (const batch of this.inFlightById.values()) pending += batch.values.length;
    const arrivals = this.arrivals;
    if (arrivals !== null) for (let k = this.counter; arrivals.arrives(k); k++) pending++;
    return pending;
  }
}
