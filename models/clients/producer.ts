// A producer client p1…: the application's send() calls at a steady rate (arrivals.ts) into Kafka's
// record accumulator (accumulator.ts), and the Sender that drains it (Kafka's Sender and
// NetworkClient): one produce request per broker with the first batch of each partition it leads,
// at most max.in.flight.requests.per.connection requests in flight per broker connection, acks,
// retries with backoff, request.timeout.ms (which closes the connection, failing every request on
// it), delivery.timeout.ms for queued and in-flight batches, metadata refresh on errors, and the
// idempotent producer's sequence numbers (idempotence.ts). Every value's fate goes to the history:
// ok with its offset, fail when it definitely was not written, info when nobody can know.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { ClusterLayout, ProducerConfig } from '../config.js';
import { HEADER_BYTES } from '../config.js';
import type { HistoryRecorder } from '../history/history.js';
import { VALUE_STRIDE } from '../history/history.js';
import { Arrivals } from './arrivals.js';
import type { ProducerBatch } from './accumulator.js';
import { RecordAccumulator } from './accumulator.js';
import type { Deadline } from '../deadlines.js';
import { Deadlines } from '../deadlines.js';
import { IdempotenceState, RETRIABLE } from '../replication/idempotence.js';
import type { ErrorCode, InitProducerIdResponse, MetadataResponse, NotController, ProduceBatch, ProduceResponse } from '../messages.js';
import { ControllerLocator } from '../controller/controller-locator.js';
import { batchBytes } from '../replication/records.js';
import { firstRequestId } from '../request-ids.js';

/** Errors after which the batch definitely was not appended. */
const NOT_APPENDED: ReadonlySet<string> = new Set<ErrorCode>([
  'NOT_ENOUGH_REPLICAS', 'OUT_OF_ORDER_SEQUENCE_NUMBER', 'INVALID_PRODUCER_EPOCH', 'UNKNOWN_PRODUCER_ID',
]);
/** Errors after which the producer asks for metadata again (InvalidMetadataException, and a broken connection). */
const REFRESH_METADATA: ReadonlySet<string> = new Set<ErrorCode>([
  'NOT_LEADER_OR_FOLLOWER', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'REQUEST_TIMED_OUT', 'NETWORK_EXCEPTION',
]);
const METADATA_RETRY_US = 500_000;
/** Requests one Sender turn may send at most: a bound on the loop, far above any real turn. */
const MAX_REQUESTS_PER_TURN = 100_000;

/** A produce request in flight on a broker connection (NetworkClient's InFlightRequest). */
interface InFlightRequest {
  readonly id: number;
  readonly node: NodeId;
  readonly batches: readonly ProducerBatch[];
  timeout: Deadline<InFlightRequest> | null;
}

export class Producer implements Actor {
  private readonly accumulator: RecordAccumulator;
  private readonly idempotence: IdempotenceState | null;
  private readonly leaders = new Map<number, { leader: NodeId | null; epoch: number }>();
  /** InFlightRequests: per broker connection, oldest first. */
  private readonly inFlight = new Map<NodeId, InFlightRequest[]>();
  private readonly requests = new Map<number, InFlightRequest>();
  /** Sender.inFlightBatches: per partition, in drain order (delivery.timeout.ms applies to them too). */
  private readonly inFlightBatches: ProducerBatch[][];
  /** With max.in.flight 1, a partition with a batch in flight sends no other (Sender.guaranteeMessageOrder). */
  /** Where each broker's next drain starts (RecordAccumulator.nodesDrainIndex). */
  private readonly drainIndex = new Map<NodeId, number>();
  private nextRequestId: number;
  /** Index of the next value to arrive (see arrivals.ts). */
  private counter = 0;
  private arrivals: Arrivals | null = null;
  private wakeTimer = -1;
  private wakeAtUs = Infinity;
  private readonly wakeFn = (): void => {
    this.wakeTimer = -1;
    this.wakeAtUs = Infinity;
    this.runSender();
  };
  private readonly requestTimeouts: Deadlines<InFlightRequest>;
  private metadataPending = false;
  /** The metadata request waited for: only its answer (or its timeout) may send the next one. */
  private metadataRequestId = -1;
  private metadataTarget = 0;

  /** Where InitProducerId goes: the active controller, as far as this producer knows. */
  private readonly controllers: ControllerLocator;
  private controllerRefusals = 0;

  constructor(
    private readonly env: Env,
    private readonly layout: ClusterLayout,
    private readonly config: ProducerConfig,
    private readonly history: HistoryRecorder,
  ) {
    this.nextRequestId = firstRequestId(env);
    this.controllers = new ControllerLocator(layout);
    // Data partitions only: the offsets partition after them is the group coordinator's. With a
    // list of topics the producer writes the first, whose partitions come first (0…n-1).
    const partitions = config.partitions?.length ?? layout.dataPartitions;
    env.assert(config.partitions?.every((p, i) => p === i) ?? true, 'a plain producer writes the first topic, whose partitions start at 0');
    this.accumulator = new RecordAccumulator({
      partitions, batchSize: config.batchSize, valueBytes: config.valueBytes, bufferMemory: config.bufferMemory,
      lingerUs: config.lingerUs, retryBackoffUs: config.retryBackoffUs,
    });
    this.idempotence = config.enableIdempotence ? new IdempotenceState(partitions) : null;
    this.inFlightBatches = Array.from({ length: partitions }, () => []);
    this.requestTimeouts = new Deadlines(env, (request) => this.onRequestTimeout(request));
  }

  start(): void {
    this.refreshMetadata();
    if (this.idempotence !== null) this.initProducerId();
    const intervalUs = Math.max(1, Math.round(1_000_000 / this.config.messagesPerSec));
    // The first value arrives one interval after start, as the application's first send() does.
    const now = this.env.now();
    this.arrivals = new Arrivals(now + intervalUs, intervalUs, this.config.stopAtUs, this.inFlightBatches.length, this.accumulator.batchLimit);
    this.runSender();
  }

  receive(_from: NodeId, msg: Message): void {
    const m = msg as ProduceResponse | MetadataResponse | InitProducerIdResponse | NotController;
    if (m.type === 'produce-resp') this.onProduceResponse(m);
    else if (m.type === 'not-controller') {
      this.controllerRefusals++;
      this.controllers.notController(_from, m.leader);
    }
    else if (m.type === 'metadata-resp') this.onMetadata(m);
    else this.onProducerId(m);
  }

  // ---------------------------------------------------------------- the Sender's turn

  /** One turn of Kafka's Sender loop (Sender.runOnce, sendProducerData) over everything that happened by now. */
  private runSender(): void {
    const arrivals = this.arrivals;
    if (arrivals === null) return;
    const now = this.env.now();
    this.takeArrivals(arrivals, now);
    this.expire(now);
    const idempotence = this.idempotence;
    if (idempotence !== null) {
      const epoch = idempotence.epoch;
      idempotence.maybeResolveAndBump();
      if (idempotence.epoch !== epoch) this.env.trace('epoch-bump', { producerEpoch: idempotence.epoch });
    }
    // Kafka polls again at once while some broker had data to take: a backlog leaves in as many
    // requests as the in-flight limits allow.
    for (let turn = 0; turn < MAX_REQUESTS_PER_TURN && this.sendReady(now); turn++);
    this.scheduleWake(arrivals, now);
  }

  /** KafkaProducer.send for every value that arrived by now, each at its own arrival time. */
  private takeArrivals(arrivals: Arrivals, now: number): void {
    const base = this.config.index * VALUE_STRIDE + this.config.firstValue;
    while (arrivals.arrives(this.counter) && arrivals.timeOf(this.counter) <= now) {
      const k = this.counter++;
      const t = arrivals.timeOf(k);
      const partition = arrivals.partitionOf(k);
      this.history.sendInvoke(t, this.env.node, base + k, partition);
      this.accumulator.append(partition, base + k, t);
    }
  }

  /** Sends blocked past max.block.ms fail; batches past delivery.timeout.ms expire, queued or in flight. */
  private expire(now: number): void {
    const maxBlockUs = this.config.maxBlockUs;
    this.accumulator.expireBlocked(now, maxBlockUs, (send) => {
      this.history.sendEnd('send-fail', send.sinceUs + maxBlockUs, this.env.node, send.value, send.partition, 'BUFFER_EXHAUSTED');
    });
    const deliveryUs = this.config.deliveryTimeoutUs;
    const deques = this.accumulator.deques;
    for (let p = 0; p < deques.length; p++) {
      // RecordAccumulator.expiredBatches and Sender.getExpiredInflightBatches: oldest first, to the first that has time left.
      const deque = deques[p]!;
      for (let head = deque.at(0); head !== undefined && head.createdUs + deliveryUs <= now; head = deque.at(0)) {
        deque.shift();
        this.expireBatch(head);
      }
      const flying = this.inFlightBatches[p]!;
      while (flying.length > 0 && flying[0]!.createdUs + deliveryUs <= now) {
        const batch = flying.shift()!;
        batch.maybeWritten = true; // its request is still out there
        this.expireBatch(batch);
      }
    }
  }

  private expireBatch(batch: ProducerBatch): void {
    // Sender.sendProducerData fails an expired batch with a TimeoutException, whatever its last attempt
    // was answered: TransactionManager.handleFailedBatch must not take the batch's last
    // OUT_OF_ORDER_SEQUENCE_NUMBER for a gap and bump the epoch, which would renumber the batches
    // behind it and rewrite one the log already holds. The history still names the last answer.
    this.failBatch(batch, 'DELIVERY_TIMEOUT', false, batch.lastError ?? 'DELIVERY_TIMEOUT');
    // Sent once and retried since: nothing new goes to the partition until its sequences are settled.
    if (batch.attempts > 0 && batch.baseSequence >= 0) this.idempotence?.markUnresolved(batch);
  }

  /** RecordAccumulator.ready, then drain: one produce request to each broker with sendable data and room. */
  private sendReady(now: number): boolean {
    const ready: NodeId[] = [];
    let unknownLeader = false;
    const deques = this.accumulator.deques;
    for (let p = 0; p < deques.length; p++) {
      if (deques[p]!.length === 0) continue;
      const leader = this.leaderOf(p);
      if (leader === null) { unknownLeader = true; continue; }
      if (this.isMuted(p) || !this.canSendMore(leader) || ready.includes(leader)) continue;
      if (this.accumulator.sendableAt(p, this.arrivals!, this.counter) <= now) ready.push(leader);
    }
    if (unknownLeader) this.refreshMetadata();
    let sent = false;
    for (const node of ready) {
      const batches = this.drainNode(node, now);
      if (batches.length === 0) continue;
      this.sendRequest(node, batches);
      sent = true;
    }
    return sent;
  }

  /**
   * RecordAccumulator.drainBatchesForOneNode: the first batch of each partition the broker leads,
   * round-robin from where its last drain stood, up to max.request.size (at least one batch).
   */
  private drainNode(node: NodeId, now: number): ProducerBatch[] {
    const parts = this.partitionsLedBy(node);
    const drained: ProducerBatch[] = [];
    if (parts.length === 0) return drained;
    let size = 0;
    let index = (this.drainIndex.get(node) ?? 0) % parts.length;
    const start = index;
    do {
      const p = parts[index]!;
      this.drainIndex.set(node, index);
      index = (index + 1) % parts.length;
      const deque = this.accumulator.deques[p]!;
      const first = deque.at(0);
      if (this.isMuted(p) || first === undefined || this.accumulator.backingOff(first, now)) continue;
      const bytes = batchBytes(first.values.length, this.config.valueBytes);
      if (size + bytes > this.config.maxRequestSize && drained.length > 0) break;
      if (this.idempotence !== null && !this.idempotence.mayDrain(first)) break;
      deque.shift();
      this.idempotence?.assign(first);
      this.accumulator.close(first);
      size += bytes;
      drained.push(first);
    } while (index !== start);
    return drained;
  }

  private sendRequest(node: NodeId, batches: ProducerBatch[]): void {
    const id = this.nextRequestId++;
    const produce: ProduceBatch[] = [];
    let bytes = HEADER_BYTES;
    const producerId = this.idempotence?.producerId ?? -1;
    for (const batch of batches) {
      batch.requestId = id;
      const sizeBytes = batchBytes(batch.values.length, this.config.valueBytes);
      bytes += sizeBytes;
      produce.push({ partition: batch.partition, values: batch.values, sizeBytes, producerId, producerEpoch: batch.producerEpoch, baseSequence: batch.baseSequence });
      this.inFlightBatches[batch.partition]!.push(batch);
    }
    const acks = this.config.acks;
    this.env.send(node, { type: 'produce', id, acks, timeoutUs: this.config.requestTimeoutUs, batches: produce }, bytes);
    if (acks === '0') {
      // No answer will come: the request is done once sent, and nobody knows the batches' fate.
      for (const batch of batches) {
        batch.maybeWritten = true;
        this.leaveFlight(batch);
        this.failBatch(batch, 'ACKS_0', false);
      }
      return;
    }
    const request: InFlightRequest = { id, node, batches, timeout: null };
    request.timeout = this.requestTimeouts.add(this.config.requestTimeoutUs, request);
    this.requests.set(id, request);
    const list = this.inFlight.get(node);
    if (list === undefined) this.inFlight.set(node, [request]);
    else list.push(request);
  }

  /** Sleeps until something could next be sent with no other event: a linger, a fill, a backoff, an expiry. */
  private scheduleWake(arrivals: Arrivals, now: number): void {
    let next = Math.min(this.nextExpiryUs(), this.accumulator.nextBlockedDeadline(this.config.maxBlockUs));
    if (this.idempotence === null || this.idempotence.producerId >= 0) {
      for (let p = 0; p < this.inFlightBatches.length; p++) {
        const leader = this.leaderOf(p);
        if (leader === null || this.isMuted(p) || !this.canSendMore(leader)) continue;
        const t = this.accumulator.sendableAt(p, arrivals, this.counter);
        // Sendable already but not sent: only an answer or new metadata can change that.
        if (t > now && t < next) next = t;
      }
    }
    if (next === this.wakeAtUs) return;
    this.env.cancelTimer(this.wakeTimer);
    this.wakeAtUs = next;
    this.wakeTimer = next === Infinity ? -1 : this.env.setTimer(next - now, this.wakeFn);
  }

  /** RecordAccumulator.nextExpiryTimeMs: the oldest queued or in-flight batch's delivery deadline. */
  private nextExpiryUs(): number {
    let next = Infinity;
    const deques = this.accumulator.deques;
    for (let p = 0; p < deques.length; p++) {
      const head = deques[p]!.at(0);
      if (head !== undefined && head.createdUs < next) next = head.createdUs;
      const flying = this.inFlightBatches[p]![0];
      if (flying !== undefined && flying.createdUs < next) next = flying.createdUs;
    }
    return next + this.config.deliveryTimeoutUs;
  }

  /** InFlightRequests.canSendMore: below max.in.flight.requests.per.connection on that broker's connection. */
  private canSendMore(node: NodeId): boolean {
    return (this.inFlight.get(node)?.length ?? 0) < this.config.maxInFlight;
  }

  private leaderOf(partition: number): NodeId | null {
    return this.leaders.get(partition)?.leader ?? null;
  }

  private partitionsLedBy(node: NodeId): number[] {
    const parts: number[] = [];
    for (let p = 0; p < this.inFlightBatches.length; p++) if (this.leaderOf(p) === node) parts.push(p);
    return parts;
  }

  // ---------------------------------------------------------------- answers

  private onProduceResponse(m: ProduceResponse): void {
    const request = this.requests.get(m.id);
    if (request === undefined) return; // its connection was closed meanwhile
    this.takeArrivals(this.arrivals!, this.env.now());
    this.forgetRequest(request);
    for (const r of m.responses) {
      const batch = request.batches.find((b) => b.partition === r.partition);
      if (batch !== undefined) this.onBatchResult(batch, r.error, r.baseOffset);
    }
    this.runSender();
  }

  /** NetworkClient.handleTimedOutRequests: the connection closes, and every request on it times out. */
  private onRequestTimeout(request: InFlightRequest): void {
    if (!this.requests.has(request.id)) return;
    this.takeArrivals(this.arrivals!, this.env.now());
    this.env.closeConnection(request.node);
    this.failConnection(request.node, 'REQUEST_TIMED_OUT');
    this.runSender();
  }

  /** The broker's process died with requests in flight: they fail now, not at request.timeout.ms. */
  disconnected(peer: NodeId): void {
    if (this.arrivals === null || (this.inFlight.get(peer)?.length ?? 0) === 0) return;
    this.takeArrivals(this.arrivals, this.env.now());
    this.failConnection(peer, 'NETWORK_EXCEPTION');
    this.runSender();
  }

  private failConnection(node: NodeId, error: ErrorCode): void {
    const list = this.inFlight.get(node);
    if (list === undefined) return;
    for (const request of [...list]) {
      this.forgetRequest(request);
      for (const batch of request.batches) this.onBatchResult(batch, error, -1);
    }
  }

  private forgetRequest(request: InFlightRequest): void {
    this.requests.delete(request.id);
    if (request.timeout !== null) this.requestTimeouts.cancel(request.timeout);
    request.timeout = null;
    const list = this.inFlight.get(request.node)!;
    list.splice(list.indexOf(request), 1);
  }

  /** Sender.completeBatch for one partition's answer: done, retried, or failed. */
  private onBatchResult(batch: ProducerBatch, error: ErrorCode | null, baseOffset: number): void {
    if (batch.done || batch.requestId < 0) return; // expired while its request was out
    this.leaveFlight(batch);
    if (error === null) return this.completeBatch(batch, baseOffset);
    if (!NOT_APPENDED.has(error)) batch.maybeWritten = true;
    batch.lastError = error;
    const now = this.env.now();
    if (this.canRetry(batch, error, now)) this.accumulator.reenqueue(batch, now, this.idempotence !== null);
    // Only a batch with retries left may have its sequence given up (if it ran out, it may be in the log).
    else this.failBatch(batch, error, batch.attempts < this.config.retries);
    if (REFRESH_METADATA.has(error)) this.refreshMetadata();
  }

  /** Sender.canRetry */
  private canRetry(batch: ProducerBatch, error: ErrorCode, now: number): boolean {
    if (now - batch.createdUs >= this.config.deliveryTimeoutUs || batch.attempts >= this.config.retries) return false;
    return this.idempotence === null ? RETRIABLE.has(error) : this.idempotence.canRetry(batch, error);
  }

  /** Sender's muted partitions: with one request in flight per connection, a partition waits for its batch in flight. */
  private isMuted(p: number): boolean {
    return this.config.maxInFlight === 1 && this.inFlightBatches[p]!.length > 0;
  }

  /** The batch is no longer in flight: off its partition's in-flight list (which unmutes it). */
  private leaveFlight(batch: ProducerBatch): void {
    batch.requestId = -1;
    const flying = this.inFlightBatches[batch.partition]!;
    const i = flying.indexOf(batch);
    if (i >= 0) flying.splice(i, 1);
  }

  private completeBatch(batch: ProducerBatch, baseOffset: number): void {
    batch.done = true;
    this.idempotence?.completed(batch);
    const t = this.env.now();
    const { values, partition } = batch;
    const process = this.env.node;
    for (let i = 0; i < values.length; i++) this.history.sendOk(t, process, values[i]!, partition, baseOffset + i);
    this.env.trace('send-ok', { partition, offset: baseOffset, count: values.length, first: values[0] ?? -1 });
    this.accumulator.deallocate(batch, t);
  }

  /**
   * Sender.failBatch: definitely not written, or unknown when some attempt may have been. `exception`
   * is what the TransactionManager is told; `error`, the cause the history records.
   */
  private failBatch(batch: ProducerBatch, exception: string, adjustSequences: boolean, error = exception): void {
    batch.done = true;
    this.idempotence?.failed(batch, exception, adjustSequences);
    const t = this.env.now();
    const kind = batch.maybeWritten ? 'send-info' : 'send-fail';
    for (const value of batch.values) this.history.sendEnd(kind, t, this.env.node, value, batch.partition, error);
    if (error !== 'ACKS_0') this.env.trace(kind, { partition: batch.partition, error, count: batch.values.length, first: batch.values[0] ?? -1 });
    this.accumulator.deallocate(batch, t);
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
      if (meta.partition >= this.inFlightBatches.length) continue;
      const known = this.leaders.get(meta.partition);
      if (known === undefined || meta.leaderEpoch >= known.epoch) this.leaders.set(meta.partition, { leader: meta.leader, epoch: meta.leaderEpoch });
      if (meta.leader === null) missing = true;
    }
    if (partitions.length < this.inFlightBatches.length) missing = true;
    this.runSender();
    if (missing && current) this.env.setTimer(METADATA_RETRY_US, () => this.refreshMetadata());
  }

  private initProducerId(): void {
    this.env.send(this.controllers.current(), { type: 'init-producer-id', id: this.nextRequestId++ }, HEADER_BYTES);
    const refusals = this.controllerRefusals;
    this.env.setTimer(METADATA_RETRY_US * 2, () => {
      if (this.idempotence === null || this.idempotence.producerId >= 0) return;
      // controllers > 1: an unanswered request tries the next controller (a refusal already moved on).
      if (this.controllers.quorum && this.controllerRefusals === refusals) this.controllers.next();
      this.initProducerId();
    });
  }

  private onProducerId(m: InitProducerIdResponse): void {
    const idempotence = this.idempotence;
    if (idempotence === null || idempotence.producerId >= 0) return;
    idempotence.producerId = m.producerId;
    idempotence.epoch = m.producerEpoch;
    this.runSender();
  }

  // ---------------------------------------------------------------- observation

  /** Sends not yet completed: arrived and buffered (or blocked on memory), or in flight. */
  pendingSends(): number {
    const arrivals = this.arrivals;
    if (arrivals === null) return 0;
    let pending = this.accumulator.blockedSends;
    for (const deque of this.accumulator.deques) for (let i = 0; i < deque.length; i++) pending += deque.at(i)!.values.length;
    for (const flying of this.inFlightBatches) for (const batch of flying) pending += batch.values.length;
    // Values that arrived but were not taken in yet (the producer takes them in when it next wakes).
    const now = this.env.now();
    for (let k = this.counter; arrivals.arrives(k) && arrivals.timeOf(k) <= now; k++) pending++;
    return pending;
  }
}
