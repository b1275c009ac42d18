// A broker b1…bN: registers with the controller and heartbeats to it, keeps the newest metadata it
// has heard, hosts its partitions' replicas, answers clients, and checkpoints high watermarks.
// Built fresh on every (re)start: all it knows then is what its disk kept.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { BrokerConfig, ClusterLayout } from '../config.js';
import { BROKER_HEARTBEAT_INTERVAL_US, BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES, minInsyncReplicasOf } from '../config.js';
import { ControllerLocator } from '../controller/controller-locator.js';
import type { HistoryRecorder, ReplicaState } from '../history/history.js';
import { GroupCoordinator, type GroupSnapshot } from '../groups/group-coordinator.js';
import type {
  AliveBroker, BrokerInbound, ErrorCode, HeartbeatResponse, PartitionMeta, ProducePartitionResponse, ProduceRequest, RegisterResponse,
} from '../messages.js';
import { PartitionReplica } from '../replication/partition.js';
import type { RaftInbound } from '../raft/messages.js';
import { RaftReplica } from '../raft/replica.js';
import type { BrokerContext, Role } from '../replication/replica.js';
import { TxnCoordinator } from '../transactions/txn-coordinator.js';
import type { WriteTxnMarkers, WriteTxnMarkersResponse } from '../transactions/txn-messages.js';

const HW_CHECKPOINT_FILE = 'hw-checkpoint';
const REGISTER_RETRY_US = 1_000_000;

interface HwCheckpointEntry {
  readonly partition: number;
  readonly hw: number;
}

export class Broker implements Actor {
  private readonly replicas = new Map<number, PartitionReplica | RaftReplica>();
  private readonly metas = new Map<number, PartitionMeta>();
  private brokerEpoch = -1;
  private registered = false;
  private metadataVersion = 0;
  /** The unfenced brokers and their broker epochs, from the newest metadata version heard. */
  private aliveBrokers = new Map<NodeId, number>();
  private aliveVersion = -1;
  private readonly ctx: BrokerContext;
  private readonly groups: GroupCoordinator;
  /** The transaction coordinator, when the run has a `__transaction_state` partition. */
  private readonly txnCoordinator: TxnCoordinator | null;
  /** Which controller this broker talks to (the active one of a quorum, as far as it knows). */
  private readonly locator: ControllerLocator;
  /** When the controller talked to last answered (controllers > 1: a long silence moves on to another). */
  private lastControllerAnswerUs = 0;

  constructor(
    private readonly env: Env,
    private readonly layout: ClusterLayout,
    private readonly config: BrokerConfig,
    history: HistoryRecorder,
    private readonly incarnation: number,
  ) {
    const locator = new ControllerLocator(layout);
    this.locator = locator;
    this.ctx = {
      env, id: env.node, get controller() { return locator.current(); }, config, history,
      brokerEpoch: () => this.brokerEpoch,
      meta: (partition) => this.metas.get(partition),
      aliveBrokerEpoch: (broker) => this.aliveBrokers.get(broker),
      minInsyncReplicas: (partition) => minInsyncReplicasOf(config, layout, partition),
    };
    const checkpoint = new Map<number, number>();
    for (const entry of env.disk.read(HW_CHECKPOINT_FILE) as readonly HwCheckpointEntry[]) checkpoint.set(entry.partition, entry.hw);
    layout.replicas.forEach((replicas, partition) => {
      if (!replicas.includes(env.node)) return;
      // protocol.replication raft: the replica is a Raft voter; its commit index is learnt anew from the leader.
      const raft = config.raft;
      const replica = raft === undefined ? new PartitionReplica(this.ctx, partition) : new RaftReplica(this.ctx, partition, raft, replicas);
      replica.core.recover(raft === undefined ? checkpoint.get(partition) ?? 0 : 0);
      this.replicas.set(partition, replica);
    });
    const offsets = layout.offsetsPartition;
    this.groups = new GroupCoordinator(env, offsets === null ? undefined : this.replicas.get(offsets), () => offsets === null ? null : this.metas.get(offsets)?.leader ?? null);
    const txnLog = layout.transactionPartition ?? null;
    this.txnCoordinator = txnLog === null ? null : new TxnCoordinator({
      env, replica: this.replicas.get(txnLog), meta: (partition) => this.metas.get(partition), transactionPartition: txnLog,
      epochBump: config.transactionEpochBump ?? true, offsetsPartition: offsets,
    });
  }

  start(): void {
    for (const replica of this.replicas.values()) if (replica instanceof RaftReplica) replica.start();
    this.register();
    this.groups.start();
    this.txnCoordinator?.start();
    this.env.setTimer(this.config.hwCheckpointIntervalUs, () => this.checkpointHighWatermarks());
    this.env.setTimer(this.config.replicaLagTimeMaxUs / 2, () => this.shrinkCheck());
    this.env.setTimer(this.config.producerIdExpirationCheckIntervalUs, () => this.expireProducers());
  }

  receive(from: NodeId, msg: Message): void {
    const m = msg as BrokerInbound;
    switch (m.type) {
      case 'register-ok': return this.onRegistered(m);
      case 'heartbeat-ok': return this.onHeartbeatResponse(m);
      case 'not-controller':
        this.lastControllerAnswerUs = this.env.now();
        return this.locator.notController(from, m.leader);
      // Before registering, a restarted broker ignores pushes: the registration answer carries the
      // state after the controller fenced its previous incarnation.
      case 'metadata-update': return this.registered ? this.applyMetadata(m.version, m.partitions, m.aliveBrokers) : undefined;
      case 'alter-partition-resp': return this.replicas.get(m.partition)?.onAlterPartitionResponse(m);
      case 'fetch': return this.replica(m.partition)?.onFetch(from, m);
      case 'fetch-resp': return this.replicas.get(m.partition)?.onFetchResponse(m);
      case 'epoch-query': return this.replica(m.partition)?.onEpochQuery(from, m);
      case 'epoch-query-resp': return this.replicas.get(m.partition)?.onEpochQueryResponse(m);
      case 'produce': return this.onProduce(from, m);
      case 'consumer-fetch': return this.onConsumerFetch(from, m);
      case 'list-offsets': return this.onListOffsets(from, m);
      case 'metadata': return this.env.send(from, { type: 'metadata-resp', id: m.id, partitions: this.clientMetadata() }, HEADER_BYTES + 96 * this.metas.size);
      case 'raft-vote': case 'raft-vote-resp': case 'raft-begin-epoch': case 'raft-leader-ok':
        return this.onRaft(from, m);
      case 'find-coordinator': case 'join-group': case 'sync-group': case 'group-heartbeat':
      case 'leave-group': case 'offset-commit': case 'offset-fetch': case 'txn-offset-commit':
        return this.groups.receive(from, m);
      case 'find-txn-coordinator': case 'txn-init-producer-id': case 'add-partitions-to-txn': case 'add-offsets-to-txn': case 'end-txn':
        return this.txnCoordinator?.receive(from, m);
      case 'write-txn-markers': return this.onWriteTxnMarkers(from, m);
      case 'write-txn-markers-resp': return this.txnCoordinator?.onMarkersResponse(m);
    }
  }

  /**
   * WriteTxnMarkers (KafkaApis.handleWriteTxnMarkersRequest): a control batch in each named partition
   * this broker leads, appended with acks=all; one answer once every partition has its outcome.
   */
  private onWriteTxnMarkers(from: NodeId, m: WriteTxnMarkers): void {
    const results: { partition: number; error: ErrorCode | null }[] = [];
    let pending = m.partitions.length;
    const answer = (partition: number) => (error: ErrorCode | null): void => {
      results.push({ partition, error });
      if (--pending > 0) return;
      const resp: WriteTxnMarkersResponse = { type: 'write-txn-markers-resp', id: m.id, results };
      this.env.send(from, resp, HEADER_BYTES + 8 * results.length);
    };
    for (const partition of m.partitions) {
      const answered = answer(partition);
      // KafkaApis.maybeSendResponseCallback: once the marker is in the offsets partition, the group
      // coordinator materializes or drops the producer's pending transactional offset commits.
      const done = partition !== this.layout.offsetsPartition ? answered : (error: ErrorCode | null): void => {
        if (error === null) this.groups.onTransactionCompleted(m.producerId, m.producerEpoch, m.commit);
        answered(error);
      };
      const replica = this.replicas.get(partition);
      const marker = { kind: 'marker', commit: m.commit, producerId: m.producerId, producerEpoch: m.producerEpoch, coordinatorEpoch: m.coordinatorEpoch } as const;
      if (replica === undefined) done('NOT_LEADER_OR_FOLLOWER');
      else replica.appendMarker(marker, BROKER_REQUEST_TIMEOUT_US, done);
    }
  }

  private onRaft(from: NodeId, m: RaftInbound): void {
    const replica = this.replicas.get(m.partition);
    if (replica instanceof RaftReplica) replica.onRaft(from, m);
  }

  /** The metadata clients get: the controller's, where a Raft replica here knows of a newer leader, its own. */
  private clientMetadata(): PartitionMeta[] {
    const metas = [...this.metas.values()];
    if (this.config.raft === undefined) return metas;
    for (const replica of this.replicas.values()) {
      const own = replica instanceof RaftReplica ? replica.leaderMeta() : null;
      if (own === null) continue;
      const i = metas.findIndex((meta) => meta.partition === own.partition);
      if (i < 0) metas.push(own);
      else if (own.leaderEpoch > metas[i]!.leaderEpoch) metas[i] = { ...own, partitionEpoch: metas[i]!.partitionEpoch };
    }
    return metas;
  }

  /** Another node's connection broke: followers fetching from it retry instead of waiting out a timeout. */
  disconnected(peer: NodeId): void {
    if (this.locator.quorum && peer === this.locator.current()) this.locator.next();
    for (const replica of this.replicas.values()) replica.disconnected(peer);
  }

  /** Final state of this broker's replicas (the run reads it after the settle phase). */
  replicaStates(): ReplicaState[] {
    return [...this.replicas.values()].map((replica) => replica.state(true));
  }

  private replica(partition: number): PartitionReplica | RaftReplica | undefined {
    return this.replicas.get(partition);
  }

  /**
   * A produce request carries one batch per partition; each goes to its replica, and one answer goes
   * back once every partition has its outcome (ReplicaManager.appendRecords with its DelayedProduce).
   * acks=0 is never answered.
   */
  private onProduce(from: NodeId, m: ProduceRequest): void {
    const responses: ProducePartitionResponse[] = [];
    let pending = m.batches.length;
    const answer = (partition: number) => (error: ErrorCode | null, baseOffset: number): void => {
      responses.push({ partition, error, baseOffset });
      if (--pending === 0 && m.acks !== '0') this.env.send(from, { type: 'produce-resp', id: m.id, responses }, HEADER_BYTES + 16 * responses.length);
    };
    for (const batch of m.batches) {
      const done = answer(batch.partition);
      const replica = this.replicas.get(batch.partition);
      if (replica === undefined) done('NOT_LEADER_OR_FOLLOWER', -1);
      else replica.appendClient(batch, m.acks, m.timeoutUs, done);
    }
  }

  private onConsumerFetch(from: NodeId, m: Extract<BrokerInbound, { type: 'consumer-fetch' }>): void {
    const replica = this.replicas.get(m.partition);
    if (replica === undefined) {
      return this.env.send(from, { type: 'consumer-fetch-resp', id: m.id, partition: m.partition, error: 'NOT_LEADER_OR_FOLLOWER', records: [], highWatermark: -1 }, HEADER_BYTES);
    }
    replica.onConsumerFetch(from, m);
  }

  private onListOffsets(from: NodeId, m: Extract<BrokerInbound, { type: 'list-offsets' }>): void {
    const replica = this.replicas.get(m.partition);
    if (replica === undefined) {
      return this.env.send(from, { type: 'list-offsets-resp', id: m.id, partition: m.partition, error: 'NOT_LEADER_OR_FOLLOWER', offset: -1, leaderEpoch: -1 }, HEADER_BYTES);
    }
    replica.onListOffsets(from, m);
  }

  // ---------------------------------------------------------------- controller session

  private register(): void {
    if (this.registered) return;
    this.env.send(this.locator.current(), { type: 'register', broker: this.env.node, incarnation: this.incarnation }, HEADER_BYTES);
    const sentUs = this.env.now();
    this.env.setTimer(REGISTER_RETRY_US, () => {
      // controllers > 1: an unanswered registration tries the next controller (a refusal already moved on).
      if (!this.registered && this.locator.quorum && this.lastControllerAnswerUs < sentUs) this.locator.next();
      this.register();
    });
  }

  private onRegistered(m: RegisterResponse): void {
    if (this.registered && m.brokerEpoch === this.brokerEpoch) return;
    const first = !this.registered;
    this.registered = true;
    this.lastControllerAnswerUs = this.env.now();
    this.brokerEpoch = m.brokerEpoch;
    this.env.trace('registered', { brokerEpoch: m.brokerEpoch });
    this.applyMetadata(m.version, m.partitions, m.aliveBrokers);
    if (first) this.heartbeat();
  }

  private heartbeat(): void {
    if (this.registered && this.locator.quorum && this.env.now() - this.lastControllerAnswerUs > BROKER_REQUEST_TIMEOUT_US) {
      // A silent active controller (cut off, paused, or no longer the quorum's leader): try another.
      this.locator.next();
      this.lastControllerAnswerUs = this.env.now();
    }
    if (this.registered) {
      this.env.send(this.locator.current(), { type: 'heartbeat', broker: this.env.node, brokerEpoch: this.brokerEpoch, version: this.metadataVersion }, HEADER_BYTES);
    }
    this.env.setTimer(BROKER_HEARTBEAT_INTERVAL_US, () => this.heartbeat());
  }

  private onHeartbeatResponse(m: HeartbeatResponse): void {
    this.lastControllerAnswerUs = this.env.now();
    if (m.reregister) {
      this.registered = false;
      this.register();
      return;
    }
    if (m.partitions !== null) this.applyMetadata(m.version, m.partitions, m.aliveBrokers ?? []);
  }

  /**
   * Keeps, per partition, only metadata with a newer partition epoch: brokers converge on the newest.
   * Liveness first, so that a leader whose ISR a fence shrank already counts the fenced follower out.
   */
  private applyMetadata(version: number, partitions: readonly PartitionMeta[], aliveBrokers: readonly AliveBroker[]): void {
    if (version >= this.aliveVersion) {
      this.aliveVersion = version;
      this.aliveBrokers = new Map(aliveBrokers.map((b) => [b.broker, b.brokerEpoch]));
    }
    this.metadataVersion = Math.max(this.metadataVersion, version);
    for (const meta of partitions) {
      const known = this.metas.get(meta.partition);
      if (known !== undefined && meta.partitionEpoch <= known.partitionEpoch) continue;
      this.metas.set(meta.partition, meta);
      this.replicas.get(meta.partition)?.applyMeta(meta);
    }
  }

  // ---------------------------------------------------------------- periodic work

  private checkpointHighWatermarks(): void {
    const entries: HwCheckpointEntry[] = [];
    for (const [partition, replica] of this.replicas) entries.push({ partition, hw: replica.core.highWatermark });
    this.env.disk.replace(HW_CHECKPOINT_FILE, entries, 16 + 16 * entries.length);
    this.env.setTimer(this.config.hwCheckpointIntervalUs, () => this.checkpointHighWatermarks());
  }

  /** UnifiedLog's PeriodicProducerExpirationCheck, for every replica. */
  private expireProducers(): void {
    for (const replica of this.replicas.values()) replica.core.expireProducers();
    this.env.setTimer(this.config.producerIdExpirationCheckIntervalUs, () => this.expireProducers());
  }

  private shrinkCheck(): void {
    for (const replica of this.replicas.values()) replica.shrinkCheck();
    this.env.setTimer(this.config.replicaLagTimeMaxUs / 2, () => this.shrinkCheck());
  }

  // ---------------------------------------------------------------- observation (read only)

  /**
   * One hosted replica's role and offsets, for the harness's settle check (scenario/quiescence.ts):
   * counters only, no copy of the log. Null when this broker hosts no replica of the partition.
   */
  replicaProgress(partition: number): ReplicaProgress | null {
    const core = this.replicas.get(partition)?.core;
    if (core === undefined) return null;
    return { role: core.role, leaderEpoch: core.leaderEpoch, highWatermark: core.highWatermark, logEndOffset: core.log.logEndOffset };
  }

  /** The transactions this broker coordinates now; null when it coordinates none. */
  coordinatedTransactions(): ReturnType<TxnCoordinator['transactionStates']> {
    return this.txnCoordinator?.transactionStates() ?? null;
  }

  /** The groups this broker coordinates now (GroupCoordinator.groupSnapshots); null when it coordinates none. */
  coordinatedGroups(): GroupSnapshot[] | null {
    return this.groups.groupSnapshots();
  }
}

/** Broker.replicaProgress: where one replica stands. */
export interface ReplicaProgress {
  readonly role: Role;
  readonly leaderEpoch: number;
  readonly highWatermark: number;
  readonly logEndOffset: number;
}
