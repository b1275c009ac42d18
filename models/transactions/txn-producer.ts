// A transactional producer p1… (transactional.id set): Kafka's KafkaProducer with its
// TransactionManager, driven by an application that writes transactions one after another:
// initTransactions, then for each transaction beginTransaction, send() of recordsPerTransaction
// records (spread round-robin over the data partitions), and commitTransaction — or, with
// abortProbability, abortTransaction on purpose. It follows the Java client's rules where they
// decide safety:
// - AddPartitionsToTxn before the first produce to a partition in a transaction;
// - EndTxn only once every batch of the transaction has its answer (TransactionManager.nextRequest);
// - an EndTxn that times out or meets a coordinator error is retried as is (the client's internal
//   retry: the request that timed out may still arrive later);
// - an abortable error (a batch that failed or timed out) aborts the transaction and then bumps the
//   epoch with InitProducerId(producerId, epoch) (KIP-360), fencing any batch still in flight;
// - a fenced producer (PRODUCER_FENCED, INVALID_PRODUCER_EPOCH) or a fatal EndTxn error ends the
//   instance: the application makes a new one with the same transactional.id (InitProducerId).
// With KIP-890 part 2 the EndTxn answer carries the bumped epoch the next transaction runs under.
//
// Each record's fate goes to the history when its transaction ends: send-ok (with the offset its
// produce was acknowledged at) once the commit is answered, send-fail once the abort is, send-info
// when the outcome is unknown. The EndTxn itself is a `txn-end` operation when first sent.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { ClusterLayout, ProducerConfig, TransactionalConfig } from '../config.js';
import { HEADER_BYTES } from '../config.js';
import type { HistoryRecorder, Value } from '../history/history.js';
import { VALUE_STRIDE } from '../history/history.js';
import { RETRIABLE } from '../replication/idempotence.js';
import type { ErrorCode, MetadataResponse, ProduceBatch, ProduceRequest, ProduceResponse } from '../messages.js';
import { COORDINATOR_REQUEST_TIMEOUT_US } from '../groups/group-calls.js';
import { batchBytes } from '../replication/records.js';
import { firstRequestId } from '../request-ids.js';
import type { CommittedOffset, FindCoordinatorResponse, TxnOffsetCommitResponse } from '../groups/group-messages.js';
import type {
  AddOffsetsToTxnResponse, AddPartitionsToTxnResponse, EndTxnResponse, FindTxnCoordinatorResponse, TxnInitProducerIdResponse, TxnResponse,
} from './txn-messages.js';

const RETRY_BACKOFF_US = 100_000;
/** TransactionManager's ADD_PARTITIONS_RETRY_BACKOFF_MS: the previous transaction's markers are usually done within it. */
const ADD_PARTITIONS_RETRY_BACKOFF_US = 20_000;
const METADATA_RETRY_US = 500_000;
/** Errors that mean this producer instance is fenced by a newer one. */
const FENCED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['PRODUCER_FENCED', 'INVALID_PRODUCER_EPOCH', 'INVALID_PRODUCER_ID_MAPPING']);
/** Coordinator errors after which the client looks the coordinator up again and retries. */
const COORDINATOR_MOVED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE']);

/** The consumer's offsets a pipeline's transaction commits, with its group metadata (ConsumerGroupMetadata). */
export interface TxnGroupOffsets {
  readonly group: string;
  readonly generation: number;
  readonly memberId: string;
  readonly offsets: readonly CommittedOffset[];
}

/** How a transaction ended for its application: committed, aborted, or unknown (the instance was fenced). */
export type TxnOutcome = 'committed' | 'aborted' | 'unknown';

/** The application that begins the transactions itself (a pipeline); absent, the producer writes its own. */
export interface TxnDriver {
  /** The producer can begin a transaction (initialized, no transaction open). */
  ready(): void;
  /** The transaction begun last is over. */
  ended(outcome: TxnOutcome): void;
}

interface Transaction {
  readonly values: readonly Value[];
  /** sendOffsetsToTransaction's offsets (a pipeline's transaction); null: none. */
  readonly groupOffsets: TxnGroupOffsets | null;
  /** The offsets were added to the transaction and committed to the group coordinator. */
  offsetsSent: boolean;
  readonly partitionOf: readonly number[];
  readonly startUs: number;
  /** Per partition: its values in order, its sequence (once assigned), its acknowledged base offset. */
  readonly batches: Map<number, TxnBatch>;
  /** Some batch may be in the log although it failed (a timeout): the abort must bump the epoch. */
  maybeWritten: boolean;
  /** The EndTxn was asked for (and recorded) with this result. */
  endCommit: boolean | null;
  /** After the EndTxn, bump the epoch (an abortable error). */
  bumpAfter: boolean;
}

type CoordinatorCall = (id: number) => Message;

/** One partition's records of a transaction: a single batch, its sequence kept through retries. */
interface TxnBatch {
  readonly values: Value[];
  baseSequence: number;
  /** Acknowledged at this offset; -1 until then. */
  baseOffset: number;
  sentUs: number;
  inFlight: boolean;
}

export class TxnProducer implements Actor {
  private producerId = -1;
  private epoch = -1;
  private coordinator: NodeId | null = null;
  /** The group coordinator, for TxnOffsetCommit. */
  private groupCoordinator: NodeId | null = null;
  private readonly leaders = new Map<number, NodeId | null>();
  private readonly nextSequence: number[];
  private txn: Transaction | null = null;
  private counter = 0;
  private nextRequestId: number;
  private readonly calls = new Map<number, { to: NodeId; done: (resp: Message | null) => void; timer: number }>();
  private brokerTurn = 0;
  /**
   * FindCoordinator goes round the brokers on a turn of its own: shared with the metadata refreshes,
   * whose timer ticks in step with the lookup's retries, the turn could land on the same dead broker
   * every time (Kafka's client asks its least-loaded node, never one whose connection is down).
   */
  private coordinatorLookupTurn = 0;
  private lastStartUs = -Infinity;
  private metadataPending = false;
  private readonly random;

  constructor(
    private readonly env: Env,
    private readonly layout: ClusterLayout,
    private readonly config: ProducerConfig,
    private readonly txnConfig: TransactionalConfig,
    private readonly history: HistoryRecorder,
    private readonly driver: TxnDriver | null = null,
  ) {
    this.nextRequestId = firstRequestId(env);
    this.nextSequence = Array.from({ length: layout.dataPartitions }, () => 0);
    this.random = env.random.fork('txn-abort');
  }

  start(): void {
    this.refreshMetadata();
    this.initTransactions(false);
  }

  receive(_from: NodeId, msg: Message): void {
    const m = msg as TxnResponse | ProduceResponse | MetadataResponse | FindCoordinatorResponse | TxnOffsetCommitResponse;
    if (m.type === 'metadata-resp') return this.onMetadata(m);
    const call = this.calls.get(m.id);
    if (call === undefined) return;
    this.calls.delete(m.id);
    this.env.cancelTimer(call.timer);
    call.done(m);
  }

  /** Records of the open transaction whose fate is not yet known (the settle check waits for them). */
  pendingSends(): number {
    return this.txn?.values.length ?? 0;
  }

  // ---------------------------------------------------------------- requests

  /**
   * One request and its answer, or null on its timeout: request.timeout.ms for a produce, and as the
   * group protocol's calls do (group-calls.ts) COORDINATOR_REQUEST_TIMEOUT_US for the others, since
   * a cut drops a request without telling the sender.
   */
  private call(to: NodeId, build: CoordinatorCall, done: (resp: Message | null) => void, bytes = HEADER_BYTES, timeoutUs = COORDINATOR_REQUEST_TIMEOUT_US): void {
    const id = this.nextRequestId++;
    const timer = this.env.setTimer(timeoutUs, () => {
      if (!this.calls.delete(id)) return;
      // NetworkClient.handleTimedOutRequests closes the connection of a request that timed out; the
      // retry goes on a new one (what was sent on the old one may still arrive: network.ts).
      this.env.closeConnection(to);
      done(null);
    });
    this.calls.set(id, { to, done, timer });
    this.env.send(to, build(id), bytes);
  }

  /** The broker's process died: its requests in flight fail now (NetworkClient's disconnect), not at their timeout. */
  disconnected(peer: NodeId): void {
    for (const [id, call] of [...this.calls]) {
      if (call.to !== peer || !this.calls.delete(id)) continue;
      this.env.cancelTimer(call.timer);
      call.done(null);
    }
  }

  /** A request to the transaction coordinator, looked up first when unknown. */
  private callCoordinator(build: CoordinatorCall, done: (resp: TxnResponse | null) => void): void {
    if (this.coordinator === null) return this.findCoordinator(() => this.callCoordinator(build, done));
    this.call(this.coordinator, build, (resp) => {
      const error = resp === null ? null : (resp as TxnResponse).error;
      if (resp === null || (error !== null && COORDINATOR_MOVED.has(error))) this.coordinator = null;
      done(resp as TxnResponse | null);
    });
  }

  private findCoordinator(then: () => void): void {
    const brokers = this.layout.brokers;
    const to = brokers[this.coordinatorLookupTurn++ % brokers.length]!;
    const transactionalId = this.txnConfig.transactionalId;
    this.call(to, (id) => ({ type: 'find-txn-coordinator', id, transactionalId }), (resp) => {
      const answer = resp as FindTxnCoordinatorResponse | null;
      if (answer !== null && answer.error === null && answer.coordinator !== null) {
        this.coordinator = answer.coordinator;
        return then();
      }
      this.env.setTimer(RETRY_BACKOFF_US, () => this.findCoordinator(then));
    });
  }

  // ---------------------------------------------------------------- initTransactions

  /** InitProducerId: `bump` asks for the next epoch of the current id (KIP-360); otherwise a new instance's. */
  private initTransactions(bump: boolean): void {
    const transactionalId = this.txnConfig.transactionalId;
    const producerId = bump ? this.producerId : -1;
    const producerEpoch = bump ? this.epoch : -1;
    this.callCoordinator((id) => ({ type: 'txn-init-producer-id', id, transactionalId, timeoutUs: this.txnConfig.transactionTimeoutUs, producerId, producerEpoch }), (resp) => {
      const answer = resp as TxnInitProducerIdResponse | null;
      if (answer !== null && answer.error === null) {
        this.setEpoch(answer.producerId, answer.producerEpoch);
        this.env.trace('txn-init', { producerId: this.producerId, producerEpoch: this.epoch });
        return this.scheduleNext();
      }
      // A bump refused (fenced meanwhile): start over as a new instance.
      const again = bump && answer !== null && FENCED.has(answer.error!) ? false : bump;
      this.env.setTimer(RETRY_BACKOFF_US, () => this.initTransactions(again));
    });
  }

  private setEpoch(producerId: number, epoch: number): void {
    if (producerId === this.producerId && epoch === this.epoch) return;
    this.producerId = producerId;
    this.epoch = epoch;
    this.nextSequence.fill(0);
  }

  // ---------------------------------------------------------------- one transaction

  private scheduleNext(): void {
    if (this.driver !== null) return this.driver.ready();
    const intervalUs = Math.round((1_000_000 * this.txnConfig.recordsPerTransaction) / Math.max(this.config.messagesPerSec, 1e-9));
    const at = Math.max(this.env.now(), this.lastStartUs + intervalUs);
    if (at >= this.config.stopAtUs) return;
    this.env.setTimer(at - this.env.now(), () => this.beginTransaction());
  }

  /**
   * A pipeline's transaction: `count` records (the outputs of the records it read) and the group's
   * offsets after them; returns the records' values in order.
   */
  beginDriven(count: number, groupOffsets: TxnGroupOffsets | null): readonly Value[] {
    this.env.assert(this.driver !== null && this.txn === null, 'a driven transaction begun while another is open');
    this.beginTransaction(count, groupOffsets);
    return this.txn!.values;
  }

  /** beginTransaction and the application's send() of each record. */
  private beginTransaction(count = this.txnConfig.recordsPerTransaction, groupOffsets: TxnGroupOffsets | null = null): void {
    const now = this.env.now();
    this.lastStartUs = now;
    const values: Value[] = [];
    const partitionOf: number[] = [];
    const batches: Transaction['batches'] = new Map();
    const base = this.config.index * VALUE_STRIDE + this.config.firstValue;
    const topic = this.config.partitions;
    for (let i = 0; i < count; i++) {
      const k = this.counter++;
      const value = base + k;
      const partition = topic === undefined ? k % this.layout.dataPartitions : topic[k % topic.length]!;
      values.push(value);
      partitionOf.push(partition);
      this.history.sendInvoke(now, this.env.node, value, partition);
      let batch = batches.get(partition);
      if (batch === undefined) {
        batch = { values: [], baseSequence: -1, baseOffset: -1, sentUs: -1, inFlight: false };
        batches.set(partition, batch);
      }
      batch.values.push(value);
    }
    this.txn = { values, groupOffsets, offsetsSent: false, partitionOf, startUs: now, batches, maybeWritten: false, endCommit: null, bumpAfter: false };
    this.addPartitions(this.txn);
  }

  private addPartitions(txn: Transaction): void {
    const transactionalId = this.txnConfig.transactionalId;
    const { producerId, epoch } = this;
    const partitions = [...txn.batches.keys()];
    this.callCoordinator((id) => ({ type: 'add-partitions-to-txn', id, transactionalId, producerId, producerEpoch: epoch, partitions }), (resp) => {
      if (this.txn !== txn) return;
      const answer = resp as AddPartitionsToTxnResponse | null;
      if (answer !== null && answer.error === null) return this.produce(txn);
      if (answer !== null && FENCED.has(answer.error!)) return this.fenced(txn, answer.error!);
      if (answer === null || COORDINATOR_MOVED.has(answer.error!) || answer.error === 'CONCURRENT_TRANSACTIONS') {
        const backoff = answer?.error === 'CONCURRENT_TRANSACTIONS' ? ADD_PARTITIONS_RETRY_BACKOFF_US : RETRY_BACKOFF_US;
        this.env.setTimer(backoff, () => { if (this.txn === txn) this.addPartitions(txn); });
        return;
      }
      this.abortable(txn);
    });
  }

  /** The transaction's batches not yet acknowledged, one produce request per leader. */
  private produce(txn: Transaction): void {
    const byLeader = new Map<NodeId, number[]>();
    let unknownLeader = false;
    for (const [partition, batch] of txn.batches) {
      if (batch.baseOffset >= 0 || batch.inFlight) continue;
      const leader = this.leaders.get(partition) ?? null;
      if (leader === null) { unknownLeader = true; continue; }
      const list = byLeader.get(leader);
      if (list === undefined) byLeader.set(leader, [partition]);
      else list.push(partition);
    }
    if (unknownLeader) {
      this.refreshMetadata();
      this.env.setTimer(METADATA_RETRY_US, () => { if (this.txn === txn && txn.endCommit === null) this.produce(txn); });
    }
    for (const [leader, partitions] of byLeader) this.sendProduce(txn, leader, partitions);
  }

  private sendProduce(txn: Transaction, leader: NodeId, partitions: readonly number[]): void {
    const now = this.env.now();
    const produce: ProduceBatch[] = [];
    let bytes = HEADER_BYTES;
    for (const partition of partitions) {
      const batch = txn.batches.get(partition)!;
      batch.inFlight = true;
      if (batch.baseSequence < 0) {
        batch.baseSequence = this.nextSequence[partition]!;
        this.nextSequence[partition] = batch.baseSequence + batch.values.length;
        batch.sentUs = now;
      }
      const sizeBytes = batchBytes(batch.values.length, this.config.valueBytes);
      bytes += sizeBytes;
      produce.push({
        partition, values: batch.values, sizeBytes, producerId: this.producerId, producerEpoch: this.epoch, baseSequence: batch.baseSequence, transactional: true,
      });
    }
    const request = (id: number): ProduceRequest => ({ type: 'produce', id, acks: 'all', timeoutUs: this.config.requestTimeoutUs, batches: produce });
    this.call(leader, request, (resp) => {
      if (this.txn !== txn) return;
      const answer = resp as ProduceResponse | null;
      for (const partition of partitions) {
        const r = answer?.responses.find((x) => x.partition === partition);
        this.onBatchResult(txn, partition, r === undefined ? 'REQUEST_TIMED_OUT' : r.error, r?.baseOffset ?? -1);
        if (this.txn !== txn) return;
      }
      if (txn.endCommit !== null) this.sendEndTxn(txn);
      else this.maybeEnd(txn);
    }, bytes, this.config.requestTimeoutUs);
  }

  private onBatchResult(txn: Transaction, partition: number, error: ErrorCode | null, baseOffset: number): void {
    const batch = txn.batches.get(partition)!;
    batch.inFlight = false;
    if (batch.baseOffset >= 0 || txn.endCommit !== null) return;
    if (error === null) { batch.baseOffset = baseOffset; return; }
    if (FENCED.has(error)) return this.fenced(txn, error);
    if (error !== 'NOT_ENOUGH_REPLICAS') txn.maybeWritten = true;
    const expired = this.env.now() - batch.sentUs >= this.config.deliveryTimeoutUs;
    if (RETRIABLE.has(error) && !expired) {
      this.refreshMetadata();
      this.env.setTimer(this.config.retryBackoffUs, () => {
        if (this.txn === txn && txn.endCommit === null) this.produce(txn);
      });
      return;
    }
    // An abortable error: the transaction is aborted (TransactionManager.maybeTransitionToErrorState).
    this.env.trace('txn-abortable-error', { partition, error });
    this.abortable(txn);
  }

  /** Every batch acknowledged: the application commits, or aborts on purpose. */
  private maybeEnd(txn: Transaction): void {
    if (this.txn !== txn || txn.endCommit !== null) return;
    for (const batch of txn.batches.values()) if (batch.baseOffset < 0) return;
    if (txn.groupOffsets !== null && !txn.offsetsSent) return this.addOffsets(txn, txn.groupOffsets);
    const abort = this.txnConfig.abortProbability > 0 && this.random.chance(this.txnConfig.abortProbability);
    this.endTransaction(txn, !abort);
  }

  // ---------------------------------------------------------------- sendOffsetsToTransaction

  /** AddOffsetsToTxn (AddOffsetsToTxnHandler): errors handled as AddPartitionsToTxn's. */
  private addOffsets(txn: Transaction, offsets: TxnGroupOffsets): void {
    const transactionalId = this.txnConfig.transactionalId;
    const { producerId, epoch } = this;
    this.callCoordinator((id) => ({ type: 'add-offsets-to-txn', id, transactionalId, producerId, producerEpoch: epoch, group: offsets.group }), (resp) => {
      if (this.txn !== txn || txn.endCommit !== null) return;
      const answer = resp as AddOffsetsToTxnResponse | null;
      if (answer !== null && answer.error === null) {
        this.env.trace('txn-add-offsets', { group: offsets.group, producerId, producerEpoch: epoch });
        return this.txnOffsetCommit(txn, offsets);
      }
      if (answer !== null && FENCED.has(answer.error!)) return this.fenced(txn, answer.error!);
      if (answer === null || COORDINATOR_MOVED.has(answer.error!) || answer.error === 'CONCURRENT_TRANSACTIONS') {
        this.env.setTimer(RETRY_BACKOFF_US, () => { if (this.txn === txn && txn.endCommit === null) this.addOffsets(txn, offsets); });
        return;
      }
      this.abortable(txn);
    });
  }

  /**
   * TxnOffsetCommit to the group coordinator (TxnOffsetCommitHandler): retried on coordinator
   * errors and timeouts; a member or generation the group no longer has (KIP-447's fencing of an
   * instance that lost its partitions) is an abortable error (CommitFailedException); a fenced
   * producer epoch is fatal.
   */
  private txnOffsetCommit(txn: Transaction, offsets: TxnGroupOffsets): void {
    if (this.groupCoordinator === null) return this.findGroupCoordinator(txn, () => this.txnOffsetCommit(txn, offsets));
    const transactionalId = this.txnConfig.transactionalId;
    const { producerId, epoch } = this;
    const { group, generation, memberId } = offsets;
    const to = this.groupCoordinator;
    this.call(to, (id) => ({ type: 'txn-offset-commit', id, transactionalId, group, producerId, producerEpoch: epoch, generation, memberId, offsets: offsets.offsets }), (resp) => {
      if (this.txn !== txn || txn.endCommit !== null) return;
      const answer = resp as TxnOffsetCommitResponse | null;
      if (answer !== null && answer.error === null) {
        txn.offsetsSent = true;
        return this.maybeEnd(txn);
      }
      const error = answer?.error ?? null;
      if (error !== null && FENCED.has(error)) return this.fenced(txn, error);
      if (error === 'ILLEGAL_GENERATION' || error === 'UNKNOWN_MEMBER_ID' || error === 'FENCED_INSTANCE_ID') {
        this.env.trace('txn-abortable-error', { group, error });
        return this.abortable(txn);
      }
      if (error === null || COORDINATOR_MOVED.has(error)) this.groupCoordinator = null;
      this.env.setTimer(RETRY_BACKOFF_US, () => { if (this.txn === txn && txn.endCommit === null) this.txnOffsetCommit(txn, offsets); });
    }, HEADER_BYTES + 16 * offsets.offsets.length);
  }

  private findGroupCoordinator(txn: Transaction, then: () => void): void {
    const brokers = this.layout.brokers;
    const to = brokers[this.coordinatorLookupTurn++ % brokers.length]!;
    const group = txn.groupOffsets!.group;
    this.call(to, (id) => ({ type: 'find-coordinator', id, group }), (resp) => {
      if (this.txn !== txn || txn.endCommit !== null) return;
      const answer = resp as FindCoordinatorResponse | null;
      if (answer !== null && answer.error === null && answer.coordinator !== null) {
        this.groupCoordinator = answer.coordinator;
        return then();
      }
      this.env.setTimer(RETRY_BACKOFF_US, () => { if (this.txn === txn && txn.endCommit === null) this.findGroupCoordinator(txn, then); });
    });
  }

  /** abortTransaction after an abortable error; the epoch is bumped afterwards (KIP-360). */
  private abortable(txn: Transaction): void {
    if (txn.endCommit !== null) return;
    txn.maybeWritten = true;
    txn.bumpAfter = true;
    this.endTransaction(txn, false);
  }

  /** commitTransaction / abortTransaction: recorded now, sent once no batch of the transaction is in flight. */
  private endTransaction(txn: Transaction, commit: boolean): void {
    this.env.assert(txn.endCommit === null, 'a transaction ended twice');
    txn.endCommit = commit;
    this.history.record({ kind: 'txn-end', t: this.env.now(), process: this.env.node, transactionalId: this.txnConfig.transactionalId, commit, values: txn.values });
    this.env.trace('txn-end', { producerId: this.producerId, producerEpoch: this.epoch, commit, records: txn.values.length });
    this.sendEndTxn(txn);
  }

  /** EndTxn, retried as is until answered (the Java client re-enqueues it on a timeout or a coordinator error). */
  private sendEndTxn(txn: Transaction): void {
    for (const batch of txn.batches.values()) if (batch.inFlight) return;
    const commit = txn.endCommit!;
    const bumpAfter = txn.bumpAfter;
    const transactionalId = this.txnConfig.transactionalId;
    const { producerId, epoch } = this;
    this.callCoordinator((id) => ({ type: 'end-txn', id, transactionalId, producerId, producerEpoch: epoch, commit }), (resp) => {
      if (this.txn !== txn) return;
      const answer = resp as EndTxnResponse | null;
      if (answer !== null && answer.error === null) {
        this.finish(txn, commit ? 'ok' : 'fail', 'TRANSACTION_ABORTED');
        // KIP-890 part 2: the next transaction runs under the epoch the answer names.
        if (answer.producerEpoch > this.epoch) this.setEpoch(answer.producerId, answer.producerEpoch);
        if (bumpAfter) return this.initTransactions(true);
        return this.scheduleNext();
      }
      if (answer === null || COORDINATOR_MOVED.has(answer.error!) || answer.error === 'CONCURRENT_TRANSACTIONS') {
        this.env.setTimer(RETRY_BACKOFF_US, () => { if (this.txn === txn) this.sendEndTxn(txn); });
        return;
      }
      // PRODUCER_FENCED, INVALID_TXN_STATE…: fatal for this instance, and the outcome is unknown.
      this.fenced(txn, answer.error!);
    });
  }

  /** The instance is done (fenced, or a fatal error): its open transaction's outcome is unknown; a new instance starts. */
  private fenced(txn: Transaction, error: ErrorCode): void {
    this.env.trace('txn-fenced', { producerId: this.producerId, producerEpoch: this.epoch, error });
    this.finish(txn, 'info', error);
    this.initTransactions(false);
  }

  private finish(txn: Transaction, outcome: 'ok' | 'fail' | 'info', error: string): void {
    this.env.assert(this.txn === txn, 'a transaction finished twice');
    this.txn = null;
    const t = this.env.now();
    const process = this.env.node;
    const index = new Map<number, number>();
    txn.values.forEach((value, i) => {
      const partition = txn.partitionOf[i]!;
      if (outcome !== 'ok') return this.history.sendEnd(outcome === 'fail' ? 'send-fail' : 'send-info', t, process, value, partition, error);
      const k = index.get(partition) ?? 0;
      index.set(partition, k + 1);
      this.history.sendOk(t, process, value, partition, txn.batches.get(partition)!.baseOffset + k);
    });
    this.driver?.ended(outcome === 'ok' ? 'committed' : outcome === 'fail' ? 'aborted' : 'unknown');
  }

  // ---------------------------------------------------------------- metadata

  private refreshMetadata(): void {
    if (this.metadataPending) return;
    this.metadataPending = true;
    const brokers = this.layout.brokers;
    const to = brokers[this.brokerTurn++ % brokers.length]!;
    const id = this.nextRequestId++;
    this.env.send(to, { type: 'metadata', id }, HEADER_BYTES);
    this.env.setTimer(METADATA_RETRY_US, () => {
      if (!this.metadataPending) return;
      this.metadataPending = false;
      this.refreshMetadata();
    });
  }

  private onMetadata(m: MetadataResponse): void {
    this.metadataPending = false;
    for (const meta of m.partitions) if (meta.partition < this.layout.dataPartitions) this.leaders.set(meta.partition, meta.leader);
  }
}
