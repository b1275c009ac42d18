// The controller c1 (KRaft-style, one node): broker registration and heartbeats, fencing after
// broker.session.timeout.ms, leader elections (ISR, then ELR, then the last known leader, then
// unclean), ISR changes requested by leaders (AlterPartition, validated by partition epoch, leader
// epoch and broker epochs), and producer ids. Every change is persisted (atomic replace) before
// anyone hears of it.
//
// With `controllers: 3 | 5` the controllers c1…cN form a Raft quorum over a metadata log (Kafka's
// KafkaRaftClient under QuorumController): the log is one more Raft group of ./raft/replica.ts, its
// entries whole images of this controller's state; only the quorum's leader is the active controller,
// and it acts only once a marker it appended is committed (so it has every earlier entry) and it
// rebuilt its state from the last committed image. Each change is answered and spread only once
// the quorum committed it; the others answer NOT_CONTROLLER with the leader they know.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { BrokerConfig, ClusterLayout, RaftConfig } from '../config.js';
import { BROKER_REQUEST_TIMEOUT_US, HEADER_BYTES, minInsyncReplicasOf } from '../config.js';
import type {
  AliveBroker, AlterPartition, BrokerHeartbeat, ControllerInbound, EpochQuery, EpochQueryResponse, ErrorCode, FetchRequest, FetchResponse,
  InitProducerId, PartitionMeta, RegisterBroker,
} from '../messages.js';
import type { HistoryRecorder, PartitionState } from '../history/history.js';
import type { RaftInbound, RaftLeaderNotice } from '../raft/messages.js';
import { RaftReplica } from '../raft/replica.js';
import type { BrokerContext } from '../replication/replica.js';

const SNAPSHOT_FILE = 'metadata';
const SESSION_CHECK_INTERVAL_US = 250_000;

interface BrokerRegistration {
  brokerEpoch: number;
  incarnation: number;
  /** Registered and heartbeating: may lead and join ISRs. */
  unfenced: boolean;
  lastHeartbeatUs: number;
}

interface Snapshot {
  readonly version: number;
  readonly nextBrokerEpoch: number;
  readonly nextProducerId: number;
  readonly partitions: readonly PartitionMeta[];
  /** Each broker's last registered incarnation, as Kafka's RegisterBrokerRecord keeps its incarnation id. */
  readonly incarnations: readonly (readonly [NodeId, number])[];
}

/** One image of the metadata log (controllers > 1): the snapshot, with the broker registrations the log keeps in KRaft. */
interface MetadataImage extends Snapshot {
  readonly registrations: readonly (readonly [NodeId, { readonly brokerEpoch: number; readonly incarnation: number; readonly unfenced: boolean }])[];
}

/** controllers > 1: this controller is one voter of the metadata quorum. */
export interface ControllerQuorum {
  readonly voters: readonly NodeId[];
  /** The raft.* settings (KRaft's quorum.* defaults). */
  readonly raft: RaftConfig;
  readonly history: HistoryRecorder;
  /** The metadata log's partition number: after every data and offsets partition, so internal to the checkers. */
  readonly partition: number;
}

type MetadataLogInbound = FetchRequest | FetchResponse | EpochQuery | EpochQueryResponse | RaftInbound;

type ElectionHow = 'clean' | 'elr' | 'last-known-leader' | 'unclean' | 'none';

export class Controller implements Actor {
  private partitions: PartitionMeta[];
  private version = 0;
  private nextBrokerEpoch = 1;
  private nextProducerId = 1;
  private readonly brokers = new Map<NodeId, BrokerRegistration>();
  /** Survives a controller restart (unlike `brokers`, whose sessions start over). */
  private readonly incarnations = new Map<NodeId, number>();
  /** controllers > 1: this controller's replica of the metadata log; null for the single controller. */
  private readonly metadataLog: RaftReplica | null = null;
  /**
   * controllers > 1: the last committed image, the only state brokers may hear of (the active
   * controller's own state runs ahead of it until the quorum commits). Null for the single
   * controller, which persists before it answers.
   */
  private committed: {
    readonly version: number; readonly partitions: readonly PartitionMeta[]; readonly aliveBrokers: AliveBroker[];
    /** Each registered broker's broker epoch in that image. */
    readonly brokerEpochs: ReadonlyMap<NodeId, number>;
  } | null = null;
  /** Only the active controller acts; the single controller always is. */
  private active: boolean;
  /** Bumped whenever this controller starts or stops being active: commits of an older activation do nothing. */
  private activation = 0;

  constructor(private readonly env: Env, private readonly layout: ClusterLayout, private readonly config: BrokerConfig, quorum: ControllerQuorum | null = null) {
    this.partitions = this.initialPartitions();
    this.active = quorum === null;
    if (quorum !== null) {
      const ctx: BrokerContext = {
        env, id: env.node, controller: env.node, config, history: quorum.history,
        brokerEpoch: () => -1, meta: () => undefined, aliveBrokerEpoch: () => undefined,
      };
      this.metadataLog = new RaftReplica(ctx, quorum.partition, quorum.raft, quorum.voters, {
        onLeader: () => this.activate(),
        onLeave: () => this.deactivate(),
      });
      this.metadataLog.core.recover(0);
      return;
    }
    const saved = env.disk.read(SNAPSHOT_FILE)[0] as Snapshot | undefined;
    if (saved !== undefined) {
      this.partitions = [...saved.partitions];
      this.version = saved.version;
      this.nextBrokerEpoch = saved.nextBrokerEpoch;
      this.nextProducerId = saved.nextProducerId;
      for (const [broker, incarnation] of saved.incarnations) this.incarnations.set(broker, incarnation);
    }
  }

  private initialPartitions(): PartitionMeta[] {
    return this.layout.replicas.map((replicas, partition) => ({
      partition, leader: null, leaderEpoch: 0, partitionEpoch: 0, isr: replicas, elr: [], replicas, lastKnownLeader: null,
    }));
  }

  start(): void {
    this.metadataLog?.start();
    this.env.setTimer(SESSION_CHECK_INTERVAL_US, () => this.checkSessions());
  }

  receive(from: NodeId, msg: Message): void {
    const m = msg as ControllerInbound | MetadataLogInbound;
    if (this.metadataLog !== null) {
      switch (m.type) {
        case 'fetch': return this.metadataLog.onFetch(from, m);
        case 'fetch-resp': return this.metadataLog.onFetchResponse(m);
        case 'epoch-query': return this.metadataLog.onEpochQuery(from, m);
        case 'epoch-query-resp': return;
        case 'raft-vote': case 'raft-vote-resp': case 'raft-begin-epoch': case 'raft-leader-ok':
          return this.metadataLog.onRaft(from, m);
      }
      // Kafka's NOT_CONTROLLER, with the quorum's leader as far as this voter knows.
      if (!this.active) return this.env.send(from, { type: 'not-controller', leader: this.metadataLog.knownLeader() }, HEADER_BYTES);
    }
    switch (m.type) {
      case 'register': return this.onRegister(from, m);
      case 'heartbeat': return this.onHeartbeat(from, m);
      case 'alter-partition': return this.onAlterPartition(from, m);
      case 'init-producer-id': return this.onInitProducerId(from, m);
      case 'metadata': return this.send(from, { type: 'metadata-resp', id: m.id, partitions: this.shownPartitions() });
      case 'raft-leader': return this.onRaftLeader(from, m);
    }
  }

  /** The controller's record of each partition, for the final state. */
  partitionStates(): PartitionState[] {
    return this.shownPartitions().map((p) => ({ partition: p.partition, leader: p.leader, leaderEpoch: p.leaderEpoch, isr: p.isr, replicas: p.replicas }));
  }

  private onRegister(from: NodeId, m: RegisterBroker): void {
    const existing = this.brokers.get(from);
    if (existing !== undefined && existing.incarnation === m.incarnation) {
      // A retried registration of the same process: answer again, but with a quorum only once its
      // record is committed. Answered from uncommitted state, a broker could hold a broker epoch that
      // a deposed controller forgot and the next one hands to another broker.
      const answer = () => this.send(from, {
        type: 'register-ok', brokerEpoch: existing.brokerEpoch, version: this.shownVersion(), partitions: this.shownPartitions(), aliveBrokers: this.shownAlive(),
      });
      const committed = this.committed === null || this.committed.brokerEpochs.get(from) === existing.brokerEpoch;
      return committed ? answer() : this.commit(answer);
    }
    // Every restart here follows a crash or power loss: an unclean shutdown. KRaft fences the old
    // incarnation (leaderships move, KAFKA-18106) and the broker leaves every ELR (KIP-966). The
    // pre-0.11 system (protocol.truncation high-watermark) ran a ZooKeeper-era controller that only
    // noticed a failure when the session expired: a broker back sooner keeps its ISR places.
    const legacy = this.config.truncation === 'high-watermark';
    const keepsSession = legacy && existing !== undefined && existing.unfenced;
    if (existing !== undefined && existing.unfenced && !legacy) this.fence(from, 'reregistered');
    // A process registering again only because this controller restarted and forgot its session
    // shut nothing down: it keeps its ELR places. Kafka tells them apart by the incarnation id the
    // metadata log kept (ClusterControlManager.registerBroker); here the snapshot keeps it.
    const uncleanShutdown = this.incarnations.get(from) !== m.incarnation;
    const registration: BrokerRegistration = { brokerEpoch: this.nextBrokerEpoch++, incarnation: m.incarnation, unfenced: keepsSession, lastHeartbeatUs: this.env.now() };
    this.brokers.set(from, registration);
    this.incarnations.set(from, m.incarnation);
    if (uncleanShutdown) this.removeFromElr(from);
    this.commit(() => this.send(from, {
      type: 'register-ok', brokerEpoch: registration.brokerEpoch, version: this.shownVersion(), partitions: this.shownPartitions(), aliveBrokers: this.shownAlive(),
    }));
  }

  private onHeartbeat(from: NodeId, m: BrokerHeartbeat): void {
    const registration = this.brokers.get(from);
    if (registration === undefined || registration.brokerEpoch !== m.brokerEpoch) {
      return this.send(from, { type: 'heartbeat-ok', fenced: true, reregister: true, version: this.shownVersion(), partitions: null, aliveBrokers: null });
    }
    registration.lastHeartbeatUs = this.env.now();
    if (!registration.unfenced) {
      registration.unfenced = true;
      this.env.trace('unfenced', { broker: from, brokerEpoch: registration.brokerEpoch });
      this.electOffline();
      // Unfencing is a metadata change of its own (Kafka's BrokerRegistrationChangeRecord): leaders
      // learn that the broker may join ISRs again.
      this.commit();
    }
    const behind = m.version < this.shownVersion();
    this.send(from, {
      type: 'heartbeat-ok', fenced: false, reregister: false, version: this.shownVersion(),
      partitions: behind ? this.shownPartitions() : null, aliveBrokers: behind ? this.shownAlive() : null,
    });
  }

  private checkSessions(): void {
    const now = this.env.now();
    for (const [broker, registration] of this.active ? this.brokers : []) {
      if (registration.unfenced && now - registration.lastHeartbeatUs > this.config.brokerSessionTimeoutUs) {
        this.fence(broker, 'session-timeout');
      }
    }
    this.env.setTimer(SESSION_CHECK_INTERVAL_US, () => this.checkSessions());
  }

  /**
   * Fences a broker: it leaves every ISR it can leave and every leadership it holds moves. The
   * fence itself is published even when no partition changes, as Kafka's BrokerRegistrationChangeRecord
   * is: leaders stop waiting for a fenced follower (Partition.isReplicaIsrEligible).
   */
  private fence(broker: NodeId, reason: string): void {
    const registration = this.brokers.get(broker);
    if (registration !== undefined) registration.unfenced = false;
    this.env.trace('fenced', { broker, reason });
    // Raft partitions elect their own leaders: a fence changes only which brokers are alive.
    for (const meta of this.config.raft === undefined ? this.partitions : []) {
      if (!meta.isr.includes(broker) && meta.leader !== broker) continue;
      const next = this.withoutFromIsr(meta, broker);
      this.set(next.leader === broker ? this.elect(next) : next);
    }
    this.commit();
  }

  /** Removes a broker from a partition's ISR as fencing does; the last member stays unless ELR is on. */
  private withoutFromIsr(meta: PartitionMeta, broker: NodeId): PartitionMeta {
    if (!meta.isr.includes(broker)) return meta;
    const isr = meta.isr.filter((b) => b !== broker);
    if (this.config.eligibleLeaderReplicasEnable) {
      return { ...meta, isr, elr: this.elrAfterShrink(meta, isr) };
    }
    // Without ELR, KRaft keeps the last ISR member so that a clean election can still pick it.
    return isr.length === 0 ? meta : { ...meta, isr };
  }

  /** KIP-966: members removed while the ISR is below min ISR stay eligible; at or above it, no ELR. */
  private elrAfterShrink(meta: PartitionMeta, isr: readonly NodeId[]): readonly NodeId[] {
    if (isr.length >= minInsyncReplicasOf(this.config, this.layout, meta.partition)) return [];
    const removed = meta.isr.filter((b) => !isr.includes(b));
    return [...meta.elr.filter((b) => !isr.includes(b)), ...removed.filter((b) => !meta.elr.includes(b))];
  }

  /**
   * An unclean shutdown takes a broker out of every ELR (Kafka's handleBrokerUncleanShutdown). As
   * there, a leaderless partition tries an election at once: an emptied ELR may let its last known
   * leader lead.
   */
  private removeFromElr(broker: NodeId): void {
    for (const meta of this.partitions) {
      if (!meta.elr.includes(broker)) continue;
      const next = { ...meta, elr: meta.elr.filter((b) => b !== broker) };
      this.set(next.leader === null ? this.elect(next) : next);
    }
  }

  private isUnfenced(broker: NodeId): boolean {
    return this.brokers.get(broker)?.unfenced === true;
  }

  /** Elects a leader for a partition whose leader is gone (see chooseLeader) and records the new ISR and ELR. */
  private elect(meta: PartitionMeta): PartitionMeta {
    const { leader, how } = this.chooseLeader(meta);
    const previous = meta.leader ?? meta.lastKnownLeader;
    let next: PartitionMeta = {
      ...meta,
      leader,
      leaderEpoch: meta.leader === leader ? meta.leaderEpoch : meta.leaderEpoch + 1,
      lastKnownLeader: leader ?? previous,
    };
    if (how === 'elr' && leader !== null) next = { ...next, isr: [leader], elr: next.elr.filter((b) => b !== leader) };
    // Kafka counts the last known leader's election as unclean: the ISR is reset to it, the ELR cleared.
    if ((how === 'unclean' || how === 'last-known-leader') && leader !== null) next = { ...next, isr: [leader], elr: [] };
    if (meta.leader !== leader) {
      this.env.trace('election', { partition: meta.partition, leader, epoch: next.leaderEpoch, how, isr: next.isr as string[] });
    }
    return next;
  }

  /**
   * Chooses a leader in the order of Kafka's PartitionChangeBuilder.electAnyLeader: an unfenced ISR
   * member; with ELR, once the ISR is empty, an unfenced ELR member (isValidNewLeader); with ISR and
   * ELR both empty, the last known leader if unfenced (canElectLastKnownLeader, as fixed by
   * KAFKA-19522), whatever unclean.leader.election.enable says; then, only with unclean election
   * on, any unfenced replica.
   */
  private chooseLeader(meta: PartitionMeta): { leader: NodeId | null; how: ElectionHow } {
    // Preferred order: the assignment's order, so the first replica leads when it can.
    const inOrder = (set: readonly NodeId[]) => meta.replicas.filter((b) => set.includes(b) && this.isUnfenced(b));
    const fromIsr = inOrder(meta.isr)[0];
    if (fromIsr !== undefined) return { leader: fromIsr, how: 'clean' };
    if (this.config.eligibleLeaderReplicasEnable && meta.isr.length === 0) {
      const fromElr = inOrder(meta.elr)[0];
      if (fromElr !== undefined) return { leader: fromElr, how: 'elr' };
      // KIP-966's "balanced" recovery as Kafka 4.x implements it: once every ISR and ELR member has
      // shut down uncleanly (a crash or power loss: any restart without a controlled shutdown), the
      // leader the partition had when its ISR emptied leads again. Its log holds everything ever
      // committed unless its own shutdown lost an unflushed tail, a loss Kafka accepts here (it
      // counts the election as unclean). Without this rule the partition stays offline for good.
      const last = meta.lastKnownLeader;
      if (meta.elr.length === 0 && last !== null && this.isUnfenced(last)) return { leader: last, how: 'last-known-leader' };
    }
    if (this.config.uncleanLeaderElectionEnable) {
      const any = inOrder(meta.replicas)[0];
      if (any !== undefined) return { leader: any, how: 'unclean' };
    }
    return { leader: null, how: 'none' };
  }

  /** After a broker is unfenced: partitions without a leader may now have a candidate (the caller commits). */
  private electOffline(): void {
    if (this.config.raft !== undefined) return;
    for (const meta of this.partitions) {
      if (meta.leader !== null) continue;
      // Topic creation: a partition that never had a leader starts once all its replicas are
      // registered, led by the first (preferred) one, as when a user creates a topic on a live cluster.
      if (meta.leaderEpoch === 0 && !meta.replicas.every((b) => this.isUnfenced(b))) continue;
      const next = this.elect(meta);
      if (next.leader !== null) this.set(next);
    }
  }

  /** Every registered broker's broker epoch, fenced or not. */
  private brokerEpochs(): Map<NodeId, number> {
    return new Map([...this.brokers].map(([broker, r]) => [broker, r.brokerEpoch] as const));
  }

  /** The registered, unfenced brokers with their broker epochs, in registration order. */
  private aliveBrokers(): AliveBroker[] {
    const alive: AliveBroker[] = [];
    for (const [broker, registration] of this.brokers) if (registration.unfenced) alive.push({ broker, brokerEpoch: registration.brokerEpoch });
    return alive;
  }

  private onAlterPartition(from: NodeId, m: AlterPartition): void {
    const meta = this.partitions[m.partition];
    if (meta === undefined) return this.env.assert(false, `AlterPartition for unknown partition ${m.partition}`);
    const error = this.validateAlter(from, m, meta);
    if (error !== null) {
      this.send(from, { type: 'alter-partition-resp', partition: m.partition, error, meta: this.shownPartitions()[m.partition]! });
      return;
    }
    const isr = m.isr;
    const elr = this.config.eligibleLeaderReplicasEnable ? this.elrAfterShrink(meta, isr) : [];
    this.set({ ...meta, isr, elr });
    this.env.trace('isr-change', { partition: m.partition, isr: isr as string[], by: from });
    this.commit(() => this.send(from, { type: 'alter-partition-resp', partition: m.partition, error: null, meta: this.shownPartitions()[m.partition]! }));
  }

  private validateAlter(from: NodeId, m: AlterPartition, meta: PartitionMeta): ErrorCode | null {
    const registration = this.brokers.get(from);
    if (registration === undefined || registration.brokerEpoch !== m.brokerEpoch) return 'STALE_BROKER_EPOCH';
    if (meta.leader !== from || m.leaderEpoch !== meta.leaderEpoch) return 'FENCED_LEADER_EPOCH';
    if (m.partitionEpoch !== meta.partitionEpoch) return 'INVALID_UPDATE_VERSION';
    if (!m.isr.includes(from)) return 'INVALID_UPDATE_VERSION';
    for (let i = 0; i < m.isr.length; i++) {
      const member = m.isr[i]!;
      if (meta.isr.includes(member)) continue;
      // KIP-841: a fenced replica cannot join; KIP-903: nor one whose fetches came from an older incarnation.
      const memberRegistration = this.brokers.get(member);
      if (memberRegistration === undefined || !memberRegistration.unfenced) return 'INELIGIBLE_REPLICA';
      if (memberRegistration.brokerEpoch !== m.isrBrokerEpochs[i]) return 'INELIGIBLE_REPLICA';
    }
    return null;
  }

  /**
   * protocol.replication raft: a partition's Raft leader says it leads in `term`. The controller only
   * records it (the leader epoch is the term; every voter is "in sync") and spreads it to brokers and
   * so to clients, as Redpanda's leadership table does; an older term changes nothing.
   */
  private onRaftLeader(from: NodeId, m: RaftLeaderNotice): void {
    const meta = this.partitions[m.partition];
    if (meta === undefined) return this.env.assert(false, `raft-leader for unknown partition ${m.partition}`);
    const ack = () => this.send(from, { type: 'raft-leader-ok', partition: m.partition, term: m.term });
    if (m.term < meta.leaderEpoch) return ack();
    if (m.term === meta.leaderEpoch && meta.leader === m.leader) {
      // A repeated notice: acknowledged once the record is committed, not merely set here (with a
      // quorum a set but uncommitted leader is forgotten if this controller is deposed, and a leader
      // that had its answer would never tell the next one).
      const shown = this.shownPartitions()[m.partition];
      return shown !== undefined && shown.leaderEpoch === m.term && shown.leader === m.leader ? ack() : this.commit(ack);
    }
    this.env.assert(m.term > meta.leaderEpoch, `p${m.partition}: two Raft leaders in term ${m.term}: ${meta.leader} and ${m.leader}`);
    this.set({ ...meta, leader: m.leader, leaderEpoch: m.term, isr: meta.replicas, elr: [], lastKnownLeader: m.leader });
    this.commit(ack);
  }

  private onInitProducerId(from: NodeId, m: InitProducerId): void {
    const producerId = this.nextProducerId++;
    this.commit(() => this.send(from, { type: 'init-producer-id-resp', id: m.id, producerId, producerEpoch: 0 }));
  }

  private set(meta: PartitionMeta): void {
    this.partitions[meta.partition] = { ...meta, partitionEpoch: meta.partitionEpoch + 1 };
  }

  /** Persists the new state, then tells every broker (and runs `then`): never announce the unsaved. */
  private commit(then?: () => void): void {
    if (this.metadataLog !== null) return this.commitToQuorum(then);
    this.version++;
    const snapshot: Snapshot = {
      version: this.version, nextBrokerEpoch: this.nextBrokerEpoch, nextProducerId: this.nextProducerId, partitions: this.partitions,
      incarnations: [...this.incarnations],
    };
    this.env.disk.replace(SNAPSHOT_FILE, [snapshot], 256 + 128 * this.partitions.length, () => {
      // The partitions array is the live one, so the update carries the newest state; the brokers'
      // liveness is read now too, so that both describe one moment (fences and the ISR changes they
      // made arrive together, as in one metadata delta).
      const update = { type: 'metadata-update', version: snapshot.version, partitions: snapshot.partitions, aliveBrokers: this.aliveBrokers() } as const;
      for (const broker of this.layout.brokers) this.send(broker, update);
      then?.();
    });
  }

  // ---------------------------------------------------------------- the metadata quorum (controllers > 1)

  /**
   * This voter leads the metadata log: like QuorumController's claim, it first appends a marker and
   * waits for it to commit, so that every entry of earlier leaders is committed too, then rebuilds its
   * state from the last committed image and acts.
   */
  private activate(): void {
    const log = this.metadataLog!;
    const activation = ++this.activation;
    this.active = false;
    log.appendInternal([{ kind: 'metadata', image: null }], BROKER_REQUEST_TIMEOUT_US, (error) => {
      if (activation !== this.activation) return;
      if (error !== null) return log.raftState() === 'leader' ? this.activate() : undefined;
      this.load();
      this.active = true;
      this.env.trace('controller-active', { term: log.core.leaderEpoch, version: this.version });
      // The brokers' registrations survive in the log, their sessions start over from now (as
      // ClusterControlManager's heartbeat manager does after a failover); a broker gone meanwhile is
      // fenced once broker.session.timeout.ms passes without its heartbeat.
      this.electOffline();
    });
  }

  /** No longer the quorum's leader (resigned, or a newer term): stop acting; answer NOT_CONTROLLER. */
  private deactivate(): void {
    this.activation++;
    if (this.active) this.env.trace('controller-inactive', { version: this.version });
    this.active = false;
  }

  /** Rebuilds the state from the last committed image of the metadata log (none: the cluster's first). */
  private load(): void {
    const core = this.metadataLog!.core;
    let image: MetadataImage | null = null;
    for (const batch of core.log.batches) {
      batch.payloads?.forEach((payload, i) => {
        if (payload.kind === 'metadata' && payload.image !== null && batch.baseOffset + i < core.highWatermark) image = payload.image as MetadataImage;
      });
    }
    const loaded = image as MetadataImage | null;
    this.partitions = loaded === null ? this.initialPartitions() : [...loaded.partitions];
    this.version = loaded?.version ?? 0;
    this.nextBrokerEpoch = loaded?.nextBrokerEpoch ?? 1;
    this.nextProducerId = loaded?.nextProducerId ?? 1;
    this.incarnations.clear();
    for (const [broker, incarnation] of loaded?.incarnations ?? []) this.incarnations.set(broker, incarnation);
    this.brokers.clear();
    const now = this.env.now();
    for (const [broker, r] of loaded?.registrations ?? []) this.brokers.set(broker, { ...r, lastHeartbeatUs: now });
    this.committed = { version: this.version, partitions: [...this.partitions], aliveBrokers: this.aliveBrokers(), brokerEpochs: this.brokerEpochs() };
  }

  /** The change is answered and spread only once the quorum committed it; a failed commit makes this controller claim afresh. */
  private commitToQuorum(then?: () => void): void {
    this.version++;
    const registrations: MetadataImage['registrations'] = [...this.brokers].map(([broker, r]) => [
      broker, { brokerEpoch: r.brokerEpoch, incarnation: r.incarnation, unfenced: r.unfenced },
    ] as const);
    const image: MetadataImage = {
      version: this.version, nextBrokerEpoch: this.nextBrokerEpoch, nextProducerId: this.nextProducerId, partitions: [...this.partitions],
      incarnations: [...this.incarnations], registrations,
    };
    const activation = this.activation;
    const log = this.metadataLog!;
    log.appendInternal([{ kind: 'metadata', image }], BROKER_REQUEST_TIMEOUT_US, (error) => {
      if (activation !== this.activation) return;
      // QuorumController.renounce: what was not committed is forgotten; claim again from the log.
      if (error !== null) return log.raftState() === 'leader' ? this.activate() : this.deactivate();
      const alive = registrations.filter(([, r]) => r.unfenced).map(([broker, r]) => ({ broker, brokerEpoch: r.brokerEpoch }));
      const brokerEpochs = new Map(registrations.map(([broker, r]) => [broker, r.brokerEpoch] as const));
      this.committed = { version: image.version, partitions: image.partitions, aliveBrokers: alive, brokerEpochs };
      const update = { type: 'metadata-update', version: image.version, partitions: image.partitions, aliveBrokers: alive } as const;
      for (const broker of this.layout.brokers) this.send(broker, update);
      then?.();
    });
  }

  private shownVersion(): number {
    return this.committed?.version ?? this.version;
  }

  private shownPartitions(): readonly PartitionMeta[] {
    return this.committed?.partitions ?? this.partitions;
  }

  private shownAlive(): AliveBroker[] {
    return this.committed?.aliveBrokers ?? this.aliveBrokers();
  }

  private send<M extends Message>(to: NodeId, msg: M): void {
    this.env.send(to, msg, HEADER_BYTES + 96 * this.partitions.length + 16 * this.brokers.size);
  }

  // ---------------------------------------------------------------- observation (read only)

  /** Is the broker registered and heartbeating (may lead, may join ISRs)? For the harness's settle check. */
  isBrokerUnfenced(broker: NodeId): boolean {
    return this.isUnfenced(broker);
  }

  /** Is this the active controller (always, for the single controller)? */
  isActive(): boolean {
    return this.active;
  }
}
