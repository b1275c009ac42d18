// fast-check arbitraries for ksim: raw scenario JSON (what a user writes and parseScenario accepts)
// with settings inside their valid ranges, and fault scripts for a scenario's nodes. Scripts are
// generated as episodes (a fault and its undo), so fast-check shrinks them by dropping episodes and
// pulling times towards 0. `safeScenario` stays in the region where nothing acknowledged may be lost.
import fc from 'fast-check';
import type { NodeId } from '../sim/env.js';
import type { FaultKind, FaultStep } from '../sim/fault.js';
import { ALL_FAULT_KINDS } from '../sim/fault.js';
import { scenarioNodes } from '../scenario/schema.js';
import type { AnomalyType } from './anomaly.js';

// ---------------------------------------------------------------------------------------------
// Raw scenario JSON: the keys these arbitraries set (DESIGN.md "Scenario files"). Every other key
// keeps its default.

export type AcksJson = 'all' | '-1' | '1' | '0' | -1 | 1 | 0;
export type CommitJson = 'auto' | 'before-process' | 'after-process';

export interface ProducerJson {
  readonly count: number;
  readonly acks: AcksJson;
  readonly 'enable.idempotence'?: boolean;
  readonly retries: number;
  readonly 'max.in.flight.requests.per.connection': number;
  readonly 'request.timeout.ms': number;
  readonly 'linger.ms': number;
  readonly 'batch.size': number;
  readonly messagesPerSec: number;
  /** Transactional producers only (safeScenarioWith draws them). */
  readonly 'transactional.id'?: string;
  readonly recordsPerTransaction?: number;
  readonly abortProbability?: number;
  readonly 'transaction.timeout.ms'?: number;
}

export interface ConsumerJson {
  readonly group: string;
  readonly count: number;
  readonly commit: CommitJson;
  readonly 'auto.commit.interval.ms': number;
  readonly 'session.timeout.ms': number;
  readonly 'max.poll.interval.ms': number;
  readonly processingMs: number;
  readonly 'isolation.level'?: 'read_uncommitted' | 'read_committed';
}

export type FaultsJson =
  | { readonly mode: 'none' }
  | { readonly mode: 'random'; readonly kinds: readonly FaultKind[]; readonly meanIntervalMs: number }
  | { readonly mode: 'script'; readonly steps: readonly FaultStep[] };

export interface ScenarioJson {
  readonly name: string;
  readonly durationMs: number;
  readonly settleMs: number;
  readonly brokers: number;
  readonly controllers?: 1 | 3 | 5;
  readonly topic: { readonly partitions: number; readonly replicationFactor: number };
  readonly broker: {
    readonly 'min.insync.replicas': number;
    readonly 'unclean.leader.election.enable': boolean;
    readonly 'replica.lag.time.max.ms': number;
    readonly 'replica.fetch.wait.max.ms': number;
    readonly 'replica.high.watermark.checkpoint.interval.ms': number;
    readonly 'flush.messages': number | null;
    readonly 'flush.ms': number | null;
    readonly 'broker.session.timeout.ms': number;
    readonly 'eligible.leader.replicas.enable': boolean;
  };
  readonly protocol: { readonly truncation: 'high-watermark' | 'leader-epoch'; readonly replication?: 'isr' | 'raft' };
  readonly raft?: { readonly fsync: boolean };
  readonly producers: readonly ProducerJson[];
  readonly consumers: readonly ConsumerJson[];
  readonly network: {
    readonly latencyMs: { readonly min: number; readonly max: number };
    readonly nicMbps: number;
    readonly dropProbability: number;
    readonly duplicateProbability: number;
    readonly reorderProbability: number;
  };
  readonly disk: { readonly writeMs: number; readonly fsyncMs: number; readonly dirtyExpireMs: number; readonly tornWrites: boolean };
  readonly faults: FaultsJson;
  readonly allowedAnomalies: readonly AnomalyType[];
}

// ---------------------------------------------------------------------------------------------
// Fault scripts

export interface ScriptNodes {
  /** Nodes that may crash, lose power, pause, slow down or have their clock skewed. */
  readonly crashable: readonly NodeId[];
  /** Nodes that partitions may separate. */
  readonly partitionable: readonly NodeId[];
}

export interface FaultScriptOptions {
  /** Faults start in [0, durationMs); an undo may fall after it (settle undoes it anyway). */
  readonly durationMs: number;
  /** Kinds to draw from (default: all). */
  readonly kinds?: readonly FaultKind[];
  /** Most episodes (a fault and its undo): a script has at most twice as many steps. Default 6. */
  readonly maxEpisodes?: number;
  /** Longest an episode lasts. Default durationMs / 2. */
  readonly maxHoldMs?: number;
}

const SLOW_FACTORS = [2, 5, 10, 50] as const;
const MAX_SKEW_MS = 20_000;

/** The nodes a scenario with these counts has, split as the random nemesis splits them. */
export function scriptNodesOf(counts: { readonly brokers: number; readonly controllers?: 1 | 3 | 5; readonly producers: readonly { readonly count: number }[]; readonly consumers: readonly { readonly count: number }[] }): ScriptNodes {
  const nodes = scenarioNodes(counts);
  const consumers = nodes.consumers.map((k) => k.id);
  // A quorum's voters crash, lose power and are cut off like brokers; one controller is only cut off.
  const voters = nodes.controllers.length > 1 ? nodes.controllers : [];
  return {
    crashable: [...nodes.brokers, ...voters, ...consumers],
    partitionable: [...nodes.brokers, ...nodes.controllers, ...nodes.producers.map((p) => p.id), ...consumers],
  };
}

/** Isolate some nodes, split into two groups, cut one way, or bridge two groups through one node. */
function partitionArb(readonlyNodes: readonly NodeId[]): fc.Arbitrary<(atMs: number) => FaultStep> {
  const nodes = [...readonlyNodes];
  const shapes: fc.Arbitrary<(atMs: number) => FaultStep>[] = [
    fc.subarray(nodes, { minLength: 1, maxLength: Math.max(1, Math.floor(nodes.length / 2)) })
      .map((isolate) => (atMs: number): FaultStep => ({ atMs, fault: 'partition', isolate })),
    fc.shuffledSubarray(nodes, { minLength: nodes.length, maxLength: nodes.length }).chain((mixed) =>
      fc.integer({ min: 1, max: mixed.length - 1 }).map((cut) => (atMs: number): FaultStep =>
        ({ atMs, fault: 'partition', groups: [mixed.slice(0, cut), mixed.slice(cut)] }))),
    fc.shuffledSubarray(nodes, { minLength: 2, maxLength: 2 })
      .map(([from, to]) => (atMs: number): FaultStep => ({ atMs, fault: 'partition', from: from as NodeId, to: to as NodeId })),
  ];
  if (nodes.length >= 3) {
    shapes.push(fc.shuffledSubarray(nodes, { minLength: nodes.length, maxLength: nodes.length }).chain((mixed) =>
      fc.integer({ min: 1, max: mixed.length - 2 }).map((cut) => (atMs: number): FaultStep => {
        const [bridge, ...rest] = mixed as [NodeId, ...NodeId[]];
        return { atMs, fault: 'partition', groups: [[bridge, ...rest.slice(0, cut)], [bridge, ...rest.slice(cut)]] };
      })));
  }
  return fc.oneof(...shapes);
}

type Episode = (startMs: number, endMs: number) => FaultStep[];

/** One kind's episodes: the fault at the start, its undo at the end. */
function episodeArb(kind: FaultKind, nodes: ScriptNodes): fc.Arbitrary<Episode> {
  const node = fc.constantFrom(...nodes.crashable);
  switch (kind) {
    case 'partition':
      return partitionArb(nodes.partitionable).map((cut) => (s, e) => [cut(s), { atMs: e, fault: 'heal' }]);
    case 'crash':
    case 'power-loss':
      return node.map((n) => (s, e) => [{ atMs: s, fault: kind, node: n }, { atMs: e, fault: 'restart', node: n }]);
    case 'pause':
      return node.map((n) => (s, e) => [{ atMs: s, fault: 'pause', node: n }, { atMs: e, fault: 'resume', node: n }]);
    case 'slow-disk':
    case 'slow-net':
      return fc.tuple(node, fc.constantFrom(...SLOW_FACTORS)).map(([n, factor]) => (s, e) =>
        [{ atMs: s, fault: kind, node: n, factor }, { atMs: e, fault: kind, node: n, factor: 1 }]);
    case 'clock-skew':
      return fc.tuple(node, fc.integer({ min: 100, max: MAX_SKEW_MS }), fc.boolean()).map(([n, skew, ahead]) => (s, e) =>
        [{ atMs: s, fault: 'clock-skew', node: n, offsetMs: ahead ? skew : -skew }, { atMs: e, fault: 'clock-skew', node: n, offsetMs: 0 }]);
  }
}

function usableKinds(kinds: readonly FaultKind[], nodes: ScriptNodes): FaultKind[] {
  return [...new Set(kinds)].filter((kind) => (kind === 'partition' ? nodes.partitionable.length >= 2 : nodes.crashable.length >= 1));
}

/**
 * Time-ordered fault scripts over `nodes`: up to maxEpisodes faults, each followed by its undo
 * (heal, restart, resume, factor 1, skew 0). Steps at the same time keep their episode order.
 */
export function faultScript(nodes: ScriptNodes, opts: FaultScriptOptions): fc.Arbitrary<FaultStep[]> {
  const kinds = usableKinds(opts.kinds ?? ALL_FAULT_KINDS, nodes);
  const durationMs = Math.max(1, Math.floor(opts.durationMs));
  if (kinds.length === 0) return fc.constant([]);
  const maxHoldMs = Math.max(1, Math.floor(opts.maxHoldMs ?? durationMs / 2));
  const episode = fc.record({
    make: fc.oneof(...kinds.map((kind) => episodeArb(kind, nodes))),
    startMs: fc.integer({ min: 0, max: durationMs - 1 }),
    holdMs: fc.integer({ min: 1, max: maxHoldMs }),
  });
  return fc.array(episode, { maxLength: opts.maxEpisodes ?? 6 }).map((episodes) =>
    episodes
      .flatMap(({ make, startMs, holdMs }) => make(startMs, startMs + holdMs))
      // Array.prototype.sort is stable: same-time steps keep their order.
      .sort((a, b) => a.atMs - b.atMs));
}

// ---------------------------------------------------------------------------------------------
// Scenarios

export interface ScenarioArbOptions {
  /** Simulated load phase, ms (default 1000–6000). */
  readonly durationMs?: { readonly min: number; readonly max: number };
  /** Heal-and-settle phase, ms (default 3000–6000). */
  readonly settleMs?: { readonly min: number; readonly max: number };
  /** Fault kinds random plans and scripts draw from (default all). */
  readonly kinds?: readonly FaultKind[];
  /** Most script episodes (default 4). */
  readonly maxEpisodes?: number;
  /** Turn on the network chaos knobs (drop, duplicate, reorder) now and then. Default false. */
  readonly chaos?: boolean;
}

const DEFAULT_DURATION = { min: 1000, max: 6000 } as const;
const DEFAULT_SETTLE = { min: 3000, max: 6000 } as const;

function acksArb(): fc.Arbitrary<AcksJson> {
  return fc.constantFrom<AcksJson>('all', '-1', -1, '1', 1, '0', 0);
}

const isAcksAll = (acks: AcksJson): boolean => acks === 'all' || acks === '-1' || acks === -1;

/** A producer entry; enable.idempotence is set only where the Java client would accept it. */
function producerArb(): fc.Arbitrary<ProducerJson> {
  return fc.record({
    count: fc.integer({ min: 1, max: 2 }),
    acks: acksArb(),
    retries: fc.constantFrom(0, 3, 2147483647),
    inFlight: fc.integer({ min: 1, max: 7 }),
    requestTimeoutMs: fc.integer({ min: 200, max: 30000 }),
    lingerMs: fc.integer({ min: 0, max: 20 }),
    batchSize: fc.constantFrom(0, 100, 1000, 16384),
    messagesPerSec: fc.integer({ min: 1, max: 300 }),
    idempotence: fc.constantFrom<'on' | 'off' | 'default'>('on', 'off', 'default'),
  }).map((p) => {
    const canBeIdempotent = isAcksAll(p.acks) && p.retries > 0 && p.inFlight <= 5;
    const base: ProducerJson = {
      count: p.count, acks: p.acks, retries: p.retries, 'max.in.flight.requests.per.connection': p.inFlight,
      'request.timeout.ms': p.requestTimeoutMs, 'linger.ms': p.lingerMs, 'batch.size': p.batchSize, messagesPerSec: p.messagesPerSec,
    };
    if (p.idempotence === 'default') return base;
    return { ...base, 'enable.idempotence': p.idempotence === 'on' && canBeIdempotent };
  });
}

function consumerArb(): fc.Arbitrary<ConsumerJson> {
  return fc.record({
    group: fc.constant('g1'),
    count: fc.integer({ min: 1, max: 2 }),
    commit: fc.constantFrom<CommitJson>('auto', 'before-process', 'after-process'),
    'auto.commit.interval.ms': fc.integer({ min: 100, max: 5000 }),
    // Within the broker's default group.min/max.session.timeout.ms: the schema refuses the rest.
    'session.timeout.ms': fc.integer({ min: 6000, max: 45000 }),
    'max.poll.interval.ms': fc.integer({ min: 1000, max: 300000 }),
    processingMs: fc.integer({ min: 0, max: 20 }),
  });
}

type ClusterShape = Pick<ScenarioJson, 'brokers' | 'topic' | 'broker'>;

function clusterArb(): fc.Arbitrary<ClusterShape> {
  return fc.integer({ min: 1, max: 5 }).chain((brokers) =>
    fc.integer({ min: 1, max: brokers }).chain((rf) =>
      fc.record({
        brokers: fc.constant(brokers),
        topic: fc.record({ partitions: fc.integer({ min: 1, max: 3 }), replicationFactor: fc.constant(rf) }),
        broker: fc.record({
          'min.insync.replicas': fc.integer({ min: 1, max: rf }),
          'unclean.leader.election.enable': fc.boolean(),
          'replica.lag.time.max.ms': fc.integer({ min: 1000, max: 30000 }),
          'replica.fetch.wait.max.ms': fc.integer({ min: 10, max: 500 }),
          'replica.high.watermark.checkpoint.interval.ms': fc.integer({ min: 100, max: 5000 }),
          'flush.messages': fc.option(fc.integer({ min: 1, max: 1000 }), { nil: null }),
          'flush.ms': fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
          'broker.session.timeout.ms': fc.integer({ min: 1000, max: 9000 }),
          'eligible.leader.replicas.enable': fc.boolean(),
        }),
      })));
}

function networkArb(chaos: boolean): fc.Arbitrary<ScenarioJson['network']> {
  const knob = chaos ? fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.05, noNaN: true })) : fc.constant(0);
  return fc.record({
    latency: fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 4000 })),
    nicMbps: fc.constantFrom(10, 100, 1000, 10000),
    dropProbability: knob,
    duplicateProbability: knob,
    reorderProbability: knob,
  }).map(({ latency: [minUs, extraUs], ...rest }) => ({ latencyMs: { min: minUs / 1000, max: (minUs + extraUs) / 1000 }, ...rest }));
}

function diskArb(): fc.Arbitrary<ScenarioJson['disk']> {
  return fc.record({
    writeMs: fc.constantFrom(0, 0.05, 0.5),
    fsyncMs: fc.constantFrom(0, 2, 10),
    dirtyExpireMs: fc.integer({ min: 100, max: 30000 }),
    tornWrites: fc.boolean(),
  });
}

function faultsArb(shape: { brokers: number; producers: readonly ProducerJson[]; consumers: readonly ConsumerJson[] }, durationMs: number, opts: ScenarioArbOptions): fc.Arbitrary<FaultsJson> {
  const kinds = opts.kinds ?? ALL_FAULT_KINDS;
  const script = faultScript(scriptNodesOf(shape), { durationMs, kinds, maxEpisodes: opts.maxEpisodes ?? 4 })
    .map((steps): FaultsJson => ({ mode: 'script', steps }));
  const random = fc.record({
    kinds: fc.subarray([...kinds], { minLength: 1 }),
    meanIntervalMs: fc.integer({ min: 500, max: 5000 }),
  }).map((r): FaultsJson => ({ mode: 'random', ...r }));
  return fc.oneof(script, random, fc.constant<FaultsJson>({ mode: 'none' }));
}

/** Any valid scenario (as raw JSON) with short durations: every setting within its valid range. */
export function scenarioJson(opts: ScenarioArbOptions = {}): fc.Arbitrary<ScenarioJson> {
  const duration = opts.durationMs ?? DEFAULT_DURATION;
  const settle = opts.settleMs ?? DEFAULT_SETTLE;
  return fc.record({
    cluster: clusterArb(),
    durationMs: fc.integer(duration),
    settleMs: fc.integer(settle),
    truncation: fc.constantFrom<'high-watermark' | 'leader-epoch'>('high-watermark', 'leader-epoch'),
    producers: fc.array(producerArb(), { minLength: 1, maxLength: 2 }),
    consumers: fc.array(consumerArb(), { maxLength: 2 }),
    network: networkArb(opts.chaos ?? false),
    disk: diskArb(),
  }).chain((s) => faultsArb({ brokers: s.cluster.brokers, producers: s.producers, consumers: s.consumers }, s.durationMs, opts).map((faults): ScenarioJson => ({
    name: 'generated',
    durationMs: s.durationMs,
    settleMs: s.settleMs,
    ...s.cluster,
    protocol: { truncation: s.truncation },
    producers: s.producers,
    consumers: s.consumers,
    network: s.network,
    disk: s.disk,
    faults,
    allowedAnomalies: [],
  })));
}

// ---------------------------------------------------------------------------------------------
// The safe region

/** Fault kinds of the safe region: everything but power loss (without fsync that is anomaly 9). */
export const SAFE_FAULT_KINDS: readonly FaultKind[] = ALL_FAULT_KINDS.filter((kind) => kind !== 'power-loss');

/**
 * Anomalies that say something was lost, duplicated or reordered in the log itself, or that a
 * consumer read what it should not have: none may happen in the safe region.
 */
export const SAFETY_ANOMALIES: readonly AnomalyType[] = [
  'aborted-read', 'committed-record-lost', 'duplicate', 'inconsistent-offsets', 'intermediate-read', 'log-divergence',
  'lost-write', 'nonmonotonic-poll', 'nonmonotonic-send', 'poll-skip',
];

/** What each commit strategy explains (KAFKA.md anomaly 11); allowed in the safe region. */
export function deliveryAnomaliesOf(commit: CommitJson): AnomalyType[] {
  if (commit === 'after-process') return ['duplicate-delivery'];
  if (commit === 'before-process') return ['lost-delivery'];
  return ['duplicate-delivery', 'lost-delivery'];
}

export interface SafeScenarioOptions {
  readonly durationMs?: { readonly min: number; readonly max: number };
  readonly settleMs?: { readonly min: number; readonly max: number };
  readonly maxEpisodes?: number;
}

/**
 * Scenarios in the safe region: RF ≥ 3, acks=all with min.insync.replicas ≥ 2, unclean election
 * off, leader-epoch truncation, idempotent producers, and fault scripts without power loss.
 * allowedAnomalies lists only the delivery anomalies the consumers' commit strategy explains.
 * Now and then ISR gives way to Raft-replicated partitions (raft.fsync on or off: without power
 * loss either is safe), one controller to a quorum of 3 or 5 (its voters crashable), and a producer
 * is transactional, read by read_committed consumers only.
 */
export function safeScenarioWith(opts: SafeScenarioOptions = {}): fc.Arbitrary<ScenarioJson> {
  const duration = opts.durationMs ?? { min: 2000, max: 6000 };
  const settle = opts.settleMs ?? { min: 10000, max: 12000 };
  const cluster = fc.integer({ min: 3, max: 5 }).chain((brokers) =>
    fc.integer({ min: 3, max: brokers }).chain((rf) => fc.record({
      brokers: fc.constant(brokers),
      partitions: fc.integer({ min: 1, max: 2 }),
      rf: fc.constant(rf),
      // At most 3: the offsets partition has RF min(3, brokers) and obeys the same min ISR, so a
      // higher one would stop every consumer group (a setup problem, not a finding).
      minIsr: fc.integer({ min: 2, max: Math.min(rf - 1, 3) }),
      lagMs: fc.integer({ min: 1000, max: 10000 }),
      elr: fc.boolean(),
      flushMessages: fc.option(fc.constantFrom(1, 100), { nil: null }),
      controllers: fc.oneof({ weight: 3, arbitrary: fc.constant<1 | 3 | 5>(1) }, { weight: 1, arbitrary: fc.constantFrom<3 | 5>(3, 5) }),
      raft: fc.option(fc.record({ fsync: fc.boolean() }), { freq: 3, nil: null }),
    })));
  const producer = fc.record({
    count: fc.integer({ min: 1, max: 2 }),
    inFlight: fc.integer({ min: 1, max: 5 }),
    requestTimeoutMs: fc.integer({ min: 500, max: 5000 }),
    messagesPerSec: fc.integer({ min: 20, max: 200 }),
    txn: fc.option(fc.record({
      recordsPerTransaction: fc.constantFrom(1, 5, 10),
      abortProbability: fc.constantFrom(0, 0.2, 0.5),
      timeoutMs: fc.constantFrom(2000, 60000),
    }), { freq: 3, nil: null }),
  }).map((p): ProducerJson => ({
    count: p.count, acks: 'all', 'enable.idempotence': true, retries: 2147483647,
    'max.in.flight.requests.per.connection': p.inFlight, 'request.timeout.ms': p.requestTimeoutMs,
    'linger.ms': 5, 'batch.size': 16384, messagesPerSec: p.messagesPerSec,
    ...(p.txn === null ? {} : {
      'transactional.id': 'tx', recordsPerTransaction: p.txn.recordsPerTransaction,
      abortProbability: p.txn.abortProbability, 'transaction.timeout.ms': p.txn.timeoutMs,
    }),
  }));
  return fc.record({
    cluster,
    durationMs: fc.integer(duration),
    settleMs: fc.integer(settle),
    producers: fc.array(producer, { minLength: 1, maxLength: 2 }),
    // Consumers that keep up (1 ms a record at most) and notice a dead member soon (the shortest
    // session Kafka allows), so the short settle caps of these test-sized runs suffice.
    consumers: fc.array(consumerArb().map((k) => ({ ...k, processingMs: Math.min(k.processingMs, 1), 'session.timeout.ms': 6000 })), { maxLength: 2 }),
  }).chain((s) => {
    // Each transactional entry its own id; with one, consumers read committed data only.
    const producers = s.producers.map((p, i) => (p['transactional.id'] === undefined ? p : { ...p, 'transactional.id': `tx${i + 1}` }));
    const consumers = producers.some((p) => p['transactional.id'] !== undefined)
      ? s.consumers.map((k): ConsumerJson => ({ ...k, 'isolation.level': 'read_committed' }))
      : s.consumers;
    const nodes = scriptNodesOf({ brokers: s.cluster.brokers, controllers: s.cluster.controllers, producers, consumers });
    return faultScript(nodes, { durationMs: s.durationMs, kinds: SAFE_FAULT_KINDS, maxEpisodes: opts.maxEpisodes ?? 5 }).map((steps): ScenarioJson => ({
      name: 'safe-generated',
      durationMs: s.durationMs,
      settleMs: s.settleMs,
      brokers: s.cluster.brokers,
      ...(s.cluster.controllers > 1 ? { controllers: s.cluster.controllers } : {}),
      topic: { partitions: s.cluster.partitions, replicationFactor: s.cluster.rf },
      broker: {
        'min.insync.replicas': s.cluster.minIsr,
        'unclean.leader.election.enable': false,
        'replica.lag.time.max.ms': s.cluster.lagMs,
        'replica.fetch.wait.max.ms': 500,
        'replica.high.watermark.checkpoint.interval.ms': 5000,
        'flush.messages': s.cluster.flushMessages,
        'flush.ms': null,
        'broker.session.timeout.ms': 9000,
        'eligible.leader.replicas.enable': s.cluster.elr,
      },
      protocol: { truncation: 'leader-epoch', ...(s.cluster.raft === null ? {} : { replication: 'raft' as const }) },
      ...(s.cluster.raft === null ? {} : { raft: s.cluster.raft }),
      producers,
      consumers,
      network: { latencyMs: { min: 0.1, max: 2 }, nicMbps: 10000, dropProbability: 0, duplicateProbability: 0, reorderProbability: 0 },
      disk: { writeMs: 0.05, fsyncMs: 2, dirtyExpireMs: 30000, tornWrites: false },
      faults: { mode: 'script', steps },
      allowedAnomalies: [...new Set(consumers.flatMap((k) => deliveryAnomaliesOf(k.commit)))].sort(),
    }));
  });
}

/** The safe region with the default (test-sized) durations. */
export const safeScenario: fc.Arbitrary<ScenarioJson> = safeScenarioWith();
