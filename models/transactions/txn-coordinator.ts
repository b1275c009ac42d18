// The transaction coordinator of one broker (Kafka's TransactionCoordinator, TransactionStateManager,
// TransactionMetadata and TransactionMarkerChannelManager). Like the group coordinator it serves
// while this broker leads the internal `__transaction_state` partition: on becoming its leader it
// rebuilds every transactional.id from that partition's log, and every state change is appended to
// the partition like an acks=all produce and takes effect only once committed, so the coordinator's
// state faces the same faults as data and fails over with the partition's leadership.
//
// The state machine is TransactionMetadata's: Empty → Ongoing (AddPartitionsToTxn) → PrepareCommit or
// PrepareAbort (EndTxn, or the coordinator's own abort of a transaction open longer than its
// transaction.timeout.ms, which first fences the producer with an epoch bump: PrepareEpochFence) →
// markers to every partition of the transaction (WriteTxnMarkers to each partition's leader) →
// CompleteCommit or CompleteAbort. The producer's EndTxn is answered once the Prepare state is
// committed, before the markers, as Kafka does.
//
// KIP-890 part 2 (`transactionEpochBump`, transaction.version 2): EndTxn bumps the producer epoch, so
// the next transaction runs under a new epoch and a delayed EndTxn of an earlier one is fenced (or
// recognised as a retry of the one just ended). Without it (transaction.version 1) a producer's
// transactions share one epoch, and an EndTxn is valid whenever its epoch is the current one: a
// delayed EndTxn ends whatever transaction is open when it arrives (KAFKA-17754).
import type { Env, Message, NodeId } from '../../sim/env.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES } from '../config.js';
import type { ErrorCode, PartitionMeta } from '../messages.js';
import type { PartitionReplica } from '../replication/partition.js';
import { payloadOf } from '../replication/records.js';
import type {
  AddOffsetsToTxn, AddPartitionsToTxn, EndTxn, TxnCoordinatorRequest, TxnInitProducerId, TxnResponse, WriteTxnMarkers, WriteTxnMarkersResponse,
} from './txn-messages.js';
import type { TxnLogPayload, TxnState } from './txn-records.js';

/** How long a write to the transaction log waits for its HW (Kafka: request.timeout.ms of the append). */
export const TXN_LOG_APPEND_TIMEOUT_US = 5_000_000;
/** transaction.abort.timed.out.transaction.cleanup.interval.ms */
export const ABORT_TIMED_OUT_CHECK_US = 10_000_000;
/** Producer ids the transaction coordinators hand out start here, apart from the controller's idempotent ones. */
export const FIRST_TRANSACTIONAL_PRODUCER_ID = 1_000_000;
/** How often a change of the log's leadership is noticed when no request comes. */
const TICK_US = 100_000;
/** The marker channel's retry backoff. */
const MARKER_RETRY_US = 100_000;

/** TransactionMetadata: one transactional.id as its coordinator holds it. */
interface TxnMetadata {
  readonly transactionalId: string;
  producerId: number;
  producerEpoch: number;
  lastProducerEpoch: number;
  timeoutUs: number;
  state: TxnState;
  partitions: readonly number[];
  startUs: number;
  /** A state being written (pendingState): requests meanwhile get CONCURRENT_TRANSACTIONS. */
  pending: TxnState | null;
}

type TxnMap = Map<string, TxnMetadata>;

/** What the coordinator needs of the broker that hosts it. */
export interface TxnCoordinatorHost {
  readonly env: Env;
  /** This broker's replica of `__transaction_state`, if it hosts one. */
  readonly replica: Pick<PartitionReplica, 'core' | 'appendInternal'> | undefined;
  /** The newest metadata this broker has for a partition (the log's leader, the markers' leaders). */
  meta(partition: number): PartitionMeta | undefined;
  readonly transactionPartition: number;
  /** KIP-890 part 2. */
  readonly epochBump: boolean;
  /** The `__consumer_offsets` partition AddOffsetsToTxn adds to a transaction; null (or absent) when the run has none. */
  readonly offsetsPartition?: number | null;
}

export class TxnCoordinator {
  private txns: TxnMap | null = null;
  private loadedSession = -1;
  /** The leader epoch of `__transaction_state` the state was loaded in: the markers' coordinatorEpoch. */
  private coordinatorEpoch = -1;
  private nextRequestId = 1;
  /** WriteTxnMarkers in flight, by request id: what to do with the answer. */
  private readonly markerCalls = new Map<number, (resp: WriteTxnMarkersResponse | null) => void>();

  constructor(private readonly host: TxnCoordinatorHost) {}

  private get env(): Env {
    return this.host.env;
  }

  start(): void {
    if (this.host.replica === undefined) return;
    this.env.setTimer(TICK_US, () => this.tick());
    this.env.setTimer(ABORT_TIMED_OUT_CHECK_US, () => this.abortTimedOut());
  }

  receive(from: NodeId, m: TxnCoordinatorRequest): void {
    if (m.type === 'find-txn-coordinator') {
      const coordinator = this.host.meta(this.host.transactionPartition)?.leader ?? null;
      return this.send(from, { type: 'find-txn-coordinator-resp', id: m.id, error: coordinator === null ? 'COORDINATOR_NOT_AVAILABLE' : null, coordinator });
    }
    const txns = this.ensureLoaded();
    if (txns === null) return this.send(from, errorResponse(m, 'NOT_COORDINATOR'));
    switch (m.type) {
      case 'txn-init-producer-id': return this.initProducerId(from, txns, m);
      case 'add-partitions-to-txn': return this.addPartitions(from, txns, m);
      case 'add-offsets-to-txn': return this.addOffsets(from, txns, m);
      case 'end-txn': return this.endTxnFromClient(from, txns, m);
    }
  }

  onMarkersResponse(m: WriteTxnMarkersResponse): void {
    const call = this.markerCalls.get(m.id);
    if (call === undefined) return;
    this.markerCalls.delete(m.id);
    call(m);
  }

  // ---------------------------------------------------------------- requests

  /** handleInitProducerId: a new producer id, or the id's next epoch (which fences every older instance). */
  private initProducerId(from: NodeId, txns: TxnMap, m: TxnInitProducerId): void {
    const reply = (error: ErrorCode | null, meta?: TxnMetadata): void =>
      this.send(from, { type: 'txn-init-producer-id-resp', id: m.id, error, producerId: meta?.producerId ?? -1, producerEpoch: meta?.producerEpoch ?? -1 });
    let meta = txns.get(m.transactionalId);
    if (meta === undefined) {
      meta = {
        transactionalId: m.transactionalId, producerId: this.newProducerId(txns), producerEpoch: -1, lastProducerEpoch: -1,
        timeoutUs: m.timeoutUs, state: 'Empty', partitions: [], startUs: -1, pending: null,
      };
      txns.set(m.transactionalId, meta);
    }
    if (meta.pending !== null) return reply('CONCURRENT_TRANSACTIONS');
    if (m.producerId >= 0) {
      // KIP-360: a producer asking to bump its own epoch must still hold the current one.
      if (m.producerId !== meta.producerId) return reply('INVALID_PRODUCER_ID_MAPPING');
      if (m.producerEpoch !== meta.producerEpoch && m.producerEpoch !== meta.lastProducerEpoch) return reply('PRODUCER_FENCED');
    }
    switch (meta.state) {
      case 'Ongoing':
        // An open transaction of an older instance: fence it and abort it; the client retries.
        this.fenceAndAbort(txns, meta);
        return reply('CONCURRENT_TRANSACTIONS');
      case 'PrepareCommit': case 'PrepareAbort': case 'PrepareEpochFence':
        return reply('CONCURRENT_TRANSACTIONS');
      default: {
        const target = meta;
        this.write(txns, meta, { producerEpoch: meta.producerEpoch + 1, lastProducerEpoch: meta.producerEpoch, state: 'Empty', partitions: [], timeoutUs: m.timeoutUs, startUs: -1 },
          (error) => reply(error, error === null ? target : undefined));
      }
    }
  }

  /** handleAddPartitionsToTransaction */
  private addPartitions(from: NodeId, txns: TxnMap, m: AddPartitionsToTxn): void {
    const reply = (error: ErrorCode | null): void => this.send(from, { type: 'add-partitions-to-txn-resp', id: m.id, error });
    this.addToTransaction(txns, m, m.partitions, reply);
  }

  /**
   * AddOffsetsToTxn (KafkaApis.handleAddOffsetsToTxnRequest): the group's `__consumer_offsets`
   * partition joins the transaction like a data partition, so the markers reach the group
   * coordinator. ksim has one offsets partition for every group (Kafka: partitionFor(groupId)).
   */
  private addOffsets(from: NodeId, txns: TxnMap, m: AddOffsetsToTxn): void {
    const reply = (error: ErrorCode | null): void => this.send(from, { type: 'add-offsets-to-txn-resp', id: m.id, error });
    const offsets = this.host.offsetsPartition ?? null;
    this.env.assert(offsets !== null, `AddOffsetsToTxn for group ${m.group} in a run without an offsets partition`);
    this.addToTransaction(txns, m, [offsets!], reply);
  }

  private addToTransaction(txns: TxnMap, m: AddPartitionsToTxn | AddOffsetsToTxn, requested: readonly number[], reply: (error: ErrorCode | null) => void): void {
    const meta = txns.get(m.transactionalId);
    if (meta === undefined || meta.producerId !== m.producerId) return reply('INVALID_PRODUCER_ID_MAPPING');
    if (meta.producerEpoch !== m.producerEpoch) return reply('PRODUCER_FENCED');
    if (meta.pending !== null || meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') return reply('CONCURRENT_TRANSACTIONS');
    const added = requested.filter((p) => !meta.partitions.includes(p));
    if (meta.state === 'Ongoing' && added.length === 0) return reply(null);
    const partitions = [...meta.partitions, ...added].sort((a, b) => a - b);
    const startUs = meta.state === 'Ongoing' ? meta.startUs : this.env.now();
    this.write(txns, meta, { ...fieldsOf(meta), state: 'Ongoing', partitions, startUs }, reply);
  }

  private endTxnFromClient(from: NodeId, txns: TxnMap, m: EndTxn): void {
    const meta = txns.get(m.transactionalId);
    const reply = (error: ErrorCode | null): void => this.send(from, {
      type: 'end-txn-resp', id: m.id, error, producerId: error === null ? meta!.producerId : -1, producerEpoch: error === null ? meta!.producerEpoch : -1,
    });
    if (meta === undefined || meta.producerId !== m.producerId) return reply('INVALID_PRODUCER_ID_MAPPING');
    this.endTransaction(txns, meta, m.producerEpoch, m.commit, true, reply);
  }

  /**
   * TransactionCoordinator.endTransaction. With KIP-890 part 2 the epoch must be the current one for
   * an open transaction, and the previous one for a retry of the transaction just ended; before it,
   * the current one in every state, so an EndTxn cannot tell which transaction it was meant for.
   */
  private endTransaction(txns: TxnMap, meta: TxnMetadata, epoch: number, commit: boolean, fromClient: boolean, reply: (error: ErrorCode | null) => void): void {
    const bump = this.host.epochBump && fromClient;
    const retryOfBump = this.host.epochBump && epoch === meta.lastProducerEpoch && meta.producerEpoch === epoch + 1;
    let valid: boolean;
    if (this.host.epochBump && fromClient) {
      valid = meta.state === 'Ongoing' || meta.state === 'Empty' ? epoch === meta.producerEpoch : retryOfBump;
    } else {
      valid = (!fromClient || epoch === meta.producerEpoch) && epoch >= meta.producerEpoch;
    }
    if (!valid) return reply('PRODUCER_FENCED');
    if (meta.pending !== null) return reply('CONCURRENT_TRANSACTIONS');
    const same = (done: TxnState, pending: TxnState): ErrorCode | null => {
      if (meta.state === done) return null;
      if (meta.state === pending) return 'CONCURRENT_TRANSACTIONS';
      return 'INVALID_TXN_STATE';
    };
    switch (meta.state) {
      case 'Ongoing': {
        const state: TxnState = commit ? 'PrepareCommit' : 'PrepareAbort';
        const fields = bump
          ? { ...fieldsOf(meta), producerEpoch: meta.producerEpoch + 1, lastProducerEpoch: meta.producerEpoch }
          : fieldsOf(meta);
        return this.write(txns, meta, { ...fields, state }, (error) => {
          reply(error);
          if (error === null) this.sendMarkers(txns, meta);
        });
      }
      case 'CompleteCommit': case 'PrepareCommit':
        return reply(commit ? same('CompleteCommit', 'PrepareCommit') : 'INVALID_TXN_STATE');
      case 'CompleteAbort': case 'PrepareAbort':
        return reply(commit ? 'INVALID_TXN_STATE' : same('CompleteAbort', 'PrepareAbort'));
      default:
        return reply('INVALID_TXN_STATE');
    }
  }

  /**
   * prepareFenceProducerEpoch, then an abort not from the client: the epoch goes up first, so the
   * producer that opened the transaction is fenced before its transaction is aborted.
   */
  private fenceAndAbort(txns: TxnMap, meta: TxnMetadata): void {
    this.env.trace('txn-fence', { transactionalId: meta.transactionalId, producerId: meta.producerId, producerEpoch: meta.producerEpoch + 1 });
    this.write(txns, meta, { ...fieldsOf(meta), producerEpoch: meta.producerEpoch + 1, lastProducerEpoch: -1, state: 'PrepareAbort' }, (error) => {
      if (error === null) this.sendMarkers(txns, meta);
    });
  }

  /** abortTimedOutTransactions: transactions open longer than their transaction.timeout.ms. */
  private abortTimedOut(): void {
    const txns = this.ensureLoaded();
    if (txns !== null) {
      const now = this.env.now();
      for (const meta of txns.values()) {
        if (meta.state !== 'Ongoing' || meta.pending !== null || now - meta.startUs <= meta.timeoutUs) continue;
        this.env.trace('txn-timeout', { transactionalId: meta.transactionalId, producerId: meta.producerId, openMs: Math.round((now - meta.startUs) / 1000) });
        this.fenceAndAbort(txns, meta);
      }
    }
    this.env.setTimer(ABORT_TIMED_OUT_CHECK_US, () => this.abortTimedOut());
  }

  // ---------------------------------------------------------------- markers

  /**
   * TransactionMarkerChannelManager: a marker to each partition of the transaction through its
   * leader, retried until every partition has it, then the Complete state. Stops if this broker
   * stops coordinating: the next coordinator resumes from the Prepare state in the log.
   */
  private sendMarkers(txns: TxnMap, meta: TxnMetadata): void {
    const commit = meta.state === 'PrepareCommit';
    this.env.assert(commit || meta.state === 'PrepareAbort', `txn ${meta.transactionalId}: markers in state ${meta.state}`);
    const remaining = new Set(meta.partitions);
    const { producerId, producerEpoch } = meta;
    const coordinatorEpoch = this.coordinatorEpoch;
    this.env.trace('txn-markers', { transactionalId: meta.transactionalId, producerId, producerEpoch, commit, partitions: [...remaining] });
    const round = (): void => {
      if (this.txns !== txns) return;
      if (remaining.size === 0) return this.complete(txns, meta, commit);
      const byLeader = new Map<NodeId, number[]>();
      for (const partition of remaining) {
        const leader = this.host.meta(partition)?.leader ?? null;
        if (leader === null) continue;
        const list = byLeader.get(leader);
        if (list === undefined) byLeader.set(leader, [partition]);
        else list.push(partition);
      }
      let outstanding = byLeader.size;
      if (outstanding === 0) { this.env.setTimer(MARKER_RETRY_US, round); return; }
      for (const [leader, partitions] of byLeader) {
        const id = this.nextRequestId++;
        const timer = this.env.setTimer(BROKER_REQUEST_TIMEOUT_US, () => {
          if (!this.markerCalls.delete(id)) return;
          if (--outstanding === 0) this.env.setTimer(MARKER_RETRY_US, round);
        });
        this.markerCalls.set(id, (resp) => {
          this.env.cancelTimer(timer);
          for (const r of resp?.results ?? []) {
            // INVALID_PRODUCER_EPOCH: the partition already knows a newer epoch; this marker is moot there.
            if (r.error === null || r.error === 'INVALID_PRODUCER_EPOCH') remaining.delete(r.partition);
          }
          if (--outstanding === 0) this.env.setTimer(remaining.size === 0 ? 0 : MARKER_RETRY_US, round);
        });
        const request: WriteTxnMarkers = { type: 'write-txn-markers', id, producerId, producerEpoch, commit, coordinatorEpoch, partitions };
        this.env.send(leader, request, HEADER_BYTES + 8 * partitions.length);
      }
    };
    round();
  }

  private complete(txns: TxnMap, meta: TxnMetadata, commit: boolean): void {
    this.write(txns, meta, { ...fieldsOf(meta), state: commit ? 'CompleteCommit' : 'CompleteAbort', partitions: [] }, (error) => {
      if (error !== null && this.txns === txns) this.env.setTimer(MARKER_RETRY_US, () => { if (this.txns === txns) this.complete(txns, meta, commit); });
    });
  }

  // ---------------------------------------------------------------- the log

  /**
   * appendTransactionToLog: the new state is pending while its record is written and applied only
   * once the record is committed. A write from a coordinatorship this broker no longer holds is
   * dropped (NOT_COORDINATOR): the state is gone with it.
   */
  private write(txns: TxnMap, meta: TxnMetadata, next: Omit<TxnLogPayload, 'kind' | 'transactionalId' | 'producerId'>, done: (error: ErrorCode | null) => void): void {
    const replica = this.host.replica;
    this.env.assert(replica !== undefined, 'transaction coordinator writes without a transaction log replica');
    this.env.assert(meta.pending === null, `txn ${meta.transactionalId}: a write while ${meta.pending} is pending`);
    meta.pending = next.state;
    const payload: TxnLogPayload = { kind: 'txn', transactionalId: meta.transactionalId, producerId: meta.producerId, ...next };
    replica!.appendInternal([payload], TXN_LOG_APPEND_TIMEOUT_US, (error) => {
      if (this.txns !== txns) return done('NOT_COORDINATOR');
      meta.pending = null;
      if (error !== null) return done(error === 'NOT_LEADER_OR_FOLLOWER' ? 'NOT_COORDINATOR' : 'COORDINATOR_NOT_AVAILABLE');
      const from = meta.state;
      Object.assign(meta, next);
      this.env.trace('txn-state', {
        transactionalId: meta.transactionalId, producerId: meta.producerId, producerEpoch: meta.producerEpoch, from, to: meta.state, partitions: [...meta.partitions],
      });
      done(null);
    });
  }

  private newProducerId(txns: TxnMap): number {
    let max = FIRST_TRANSACTIONAL_PRODUCER_ID - 1;
    for (const meta of txns.values()) max = Math.max(max, meta.producerId);
    return max + 1;
  }

  /** The state if this broker coordinates now, (re)loaded from the log when its leadership is new. */
  private ensureLoaded(): TxnMap | null {
    const core = this.host.replica?.core;
    if (core === undefined || core.role !== 'leader') {
      if (this.txns !== null) this.unload();
      return null;
    }
    if (this.txns === null || this.loadedSession !== core.session) this.load(core.session, core.leaderEpoch);
    return this.txns;
  }

  /** TransactionStateManager.loadTransactionsForTxnTopicPartition: the last record of each id wins; Prepare states resume their markers. */
  private load(session: number, leaderEpoch: number): void {
    const txns: TxnMap = new Map();
    for (const record of this.host.replica!.core.log.expandRecords()) {
      const payload = payloadOf(record);
      if (payload === undefined || payload.kind !== 'txn') continue;
      const { kind: _kind, ...fields } = payload;
      txns.set(payload.transactionalId, { ...fields, pending: null });
    }
    this.txns = txns;
    this.loadedSession = session;
    this.coordinatorEpoch = leaderEpoch;
    this.markerCalls.clear();
    this.env.trace('txn-coordinator-load', { transactionalIds: txns.size, coordinatorEpoch: leaderEpoch });
    for (const meta of txns.values()) if (meta.state === 'PrepareCommit' || meta.state === 'PrepareAbort') this.sendMarkers(txns, meta);
  }

  private unload(): void {
    this.txns = null;
    this.markerCalls.clear();
    this.env.trace('txn-coordinator-unload', {});
  }

  private tick(): void {
    this.ensureLoaded();
    this.env.setTimer(TICK_US, () => this.tick());
  }

  private send(to: NodeId, msg: TxnResponse): void {
    this.env.send<Message>(to, msg, HEADER_BYTES);
  }

  // ---------------------------------------------------------------- observation (read only)

  /** The transactional ids and their states, when this broker coordinates (trace views, settle checks). */
  transactionStates(): { transactionalId: string; state: TxnState; producerId: number; producerEpoch: number; pending: TxnState | null }[] | null {
    if (this.txns === null) return null;
    return [...this.txns.values()].map(({ transactionalId, state, producerId, producerEpoch, pending }) => ({ transactionalId, state, producerId, producerEpoch, pending }));
  }
}

function fieldsOf(meta: TxnMetadata): Omit<TxnLogPayload, 'kind' | 'transactionalId' | 'producerId'> {
  const { producerEpoch, lastProducerEpoch, state, partitions, timeoutUs, startUs } = meta;
  return { producerEpoch, lastProducerEpoch, state, partitions, timeoutUs, startUs };
}

function errorResponse(m: Exclude<TxnCoordinatorRequest, { type: 'find-txn-coordinator' }>, error: ErrorCode): TxnResponse {
  switch (m.type) {
    case 'txn-init-producer-id': return { type: 'txn-init-producer-id-resp', id: m.id, error, producerId: -1, producerEpoch: -1 };
    case 'add-partitions-to-txn': return { type: 'add-partitions-to-txn-resp', id: m.id, error };
    case 'add-offsets-to-txn': return { type: 'add-offsets-to-txn-resp', id: m.id, error };
    case 'end-txn': return { type: 'end-txn-resp', id: m.id, error, producerId: -1, producerEpoch: -1 };
  }
}
