// The one place that wires sim/ and models/ together: a validated Scenario and a seed become a
// World with a controller, brokers and clients, their settings in simulator units, and the fault
// plan (a script, or a random plan drawn from the seed and turned into a script).
import type { Actor, ActorFactory, NodeId } from '../sim/env.js';
import type { FaultStep } from '../sim/fault.js';
import type { TraceRecord } from '../sim/trace-record.js';
import { generatePlan, type NemesisDraw, type PlanTarget } from '../sim/nemesis.js';
import { NemesisRun } from '../sim/nemesis-run.js';
import { World } from '../sim/world.js';
import { Broker } from '../models/broker/broker.js';
import type { BrokerConfig, ClusterLayout, ConsumerConfig, ProducerConfig, RaftConfig, TransactionalConfig } from '../models/config.js';
import { Consumer } from '../models/clients/consumer.js';
import { Controller } from '../models/controller/controller.js';
import { DRAIN_NODE, DrainReader } from '../models/clients/drain-reader.js';
import { History } from '../models/history/history-log.js';
import { Producer } from '../models/clients/producer.js';
import { TxnProducer } from '../models/transactions/txn-producer.js';
import { Pipeline, type PipelineConfig } from '../models/transactions/pipeline.js';
import { ClusterView } from './cluster-view.js';
import type { FaultTarget, Scenario, ScenarioNodes } from './schema.js';
import { groupInstanceIds, scenarioNodes, topicPartitionsOf, topicPlacements } from './schema.js';
import { drainCapMs, settleCapMs } from './settle-cap.js';

const MS = 1000;
/** Values one producer incarnation may send before the next incarnation's range begins. */
const PRODUCER_INCARNATION_VALUES = 1_000_000;
/** No run may schedule more events than this: a runaway model is a ksim bug, not a hang. */
export const DEFAULT_MAX_EVENTS = 200_000_000;

export interface BuiltRun {
  readonly world: World;
  readonly history: History;
  readonly layout: ClusterLayout;
  /** The run's faults: scheduled once before the world starts; the script they made, after the run. */
  readonly faults: FaultSchedule;
  readonly durationUs: number;
  /** The settle phase's cap: the run is quiescent by durationUs + settleCapUs or it did not settle. */
  readonly settleCapUs: number;
  /** How long the final drain may read after quiescence (or the cap). */
  readonly drainCapUs: number;
  /** The client nodes, as the settle check reads them. */
  readonly producers: readonly NodeId[];
  /** Each consumer group's members, groups in order of first appearance. */
  readonly groups: readonly ConsumerGroupNodes[];
  /** The final drain's node (added last, so every other node keeps its index). */
  readonly drain: NodeId;
}

export interface FaultSchedule {
  /** Schedules the faults on the world; call once, before it starts. */
  schedule(): void;
  /**
   * The fault script of the run: the scenario's (or the given) script, or the random plan with
   * each targeted episode's nodes as it resolved them (complete once the run is over). Run as a
   * script with the same seed, it reproduces the run.
   */
  steps(): readonly FaultStep[];
  /** What the random nemesis drew for this seed; null for a script or no faults. */
  readonly draw: NemesisDraw | null;
}

export interface ConsumerGroupNodes {
  readonly group: string;
  readonly consumers: readonly NodeId[];
  /** The subscribed topic's partitions (a list of topics); absent: every data partition. */
  readonly partitions?: readonly number[];
}

export interface RunProgress {
  readonly phase: 'load' | 'settle';
  readonly simulatedUs: number;
  /** The end of the load phase. */
  readonly durationUs: number;
}

export interface BuildOptions {
  readonly recordTrace?: boolean;
  /** Keep the trace records in this array as the run goes (see WorldConfig.traceInto). */
  readonly traceInto?: TraceRecord[];
  /**
   * Told the simulated time every simulated second of the load phase and every settle step, for a
   * progress display; it must not touch the world (the run is the same with or without it).
   */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Use this fault script instead of the scenario's faults (shrinking replays candidate scripts). */
  readonly plan?: readonly FaultStep[];
  readonly maxEvents?: number;
}

/** Partition p's replicas: RF consecutive brokers starting at p, so leaders spread. */
export function assignReplicas(brokers: readonly NodeId[], partitions: number, replicationFactor: number): NodeId[][] {
  return Array.from({ length: partitions }, (_, p) =>
    Array.from({ length: replicationFactor }, (_, i) => brokers[(p + i) % brokers.length]!));
}

export function brokerConfig(s: Scenario): BrokerConfig {
  const b = s.broker;
  return {
    minInsyncReplicas: b['min.insync.replicas'],
    transactionStateLogMinIsr: b['transaction.state.log.min.isr'],
    uncleanLeaderElectionEnable: b['unclean.leader.election.enable'],
    replicaLagTimeMaxUs: b['replica.lag.time.max.ms'] * MS,
    replicaFetchWaitMaxUs: b['replica.fetch.wait.max.ms'] * MS,
    hwCheckpointIntervalUs: b['replica.high.watermark.checkpoint.interval.ms'] * MS,
    flushMessages: b['flush.messages'],
    flushUs: b['flush.ms'] === null ? null : b['flush.ms'] * MS,
    brokerSessionTimeoutUs: b['broker.session.timeout.ms'] * MS,
    eligibleLeaderReplicasEnable: b['eligible.leader.replicas.enable'],
    truncation: s.protocol.truncation,
    epochFencing: s.protocol.epochFencing,
    truncateOnEpochChange: s.protocol.truncateOnEpochChange,
    isrJoinPastEpochStart: s.protocol.isrJoinPastEpochStart,
    producerIdExpirationUs: b['producer.id.expiration.ms'] * MS,
    producerIdExpirationCheckIntervalUs: b['producer.id.expiration.check.interval.ms'] * MS,
    logSegmentBytes: b['log.segment.bytes'],
    ...(s.protocol.replication === 'raft' ? { raft: raftConfig(s) } : {}),
    transactionEpochBump: s.protocol.transactionEpochBump,
  };
}

function raftConfig(s: Scenario): RaftConfig {
  const r = s.raft;
  return {
    electionTimeoutUs: r['quorum.election.timeout.ms'] * MS, fetchTimeoutUs: r['quorum.fetch.timeout.ms'] * MS,
    fsync: r.fsync, plantedBug: r.plantedBug,
  };
}

/**
 * The transactional settings of each producer node, in scenarioNodes' order (null: not
 * transactional): an entry's transactional.id as given for a single producer, "<id>-<n>" for each
 * of an entry with count > 1, since one id belongs to one producer at a time.
 */
export function transactionalConfigs(s: Scenario): (TransactionalConfig | null)[] {
  return s.producers.flatMap((p) => Array.from({ length: p.count }, (_, i): TransactionalConfig | null => {
    const id = p['transactional.id'];
    if (id === null) return null;
    return {
      transactionalId: p.count === 1 ? id : `${id}-${i + 1}`, transactionTimeoutUs: p['transaction.timeout.ms'] * MS,
      recordsPerTransaction: p.recordsPerTransaction, abortProbability: p.abortProbability,
    };
  }));
}

function producerConfig(s: Scenario, entry: number, index: number): ProducerConfig {
  const p = s.producers[entry]!;
  // With a list of topics, producers write the first.
  const partitions = s.topics === undefined ? {} : { partitions: topicPartitionsOf(s, null)! };
  return {
    ...partitions,
    index, firstValue: 0, acks: p.acks, enableIdempotence: p['enable.idempotence'], retries: p.retries,
    maxInFlight: p['max.in.flight.requests.per.connection'], requestTimeoutUs: p['request.timeout.ms'] * MS,
    deliveryTimeoutUs: p['delivery.timeout.ms'] * MS, lingerUs: p['linger.ms'] * MS, batchSize: p['batch.size'],
    retryBackoffUs: 100 * MS, bufferMemory: p['buffer.memory'], maxBlockUs: p['max.block.ms'] * MS,
    maxRequestSize: p['max.request.size'], messagesPerSec: p.messagesPerSec, valueBytes: p.valueBytes, stopAtUs: s.durationMs * MS,
  };
}

function consumerConfig(s: Scenario, entry: number, groupInstanceId: string | null): ConsumerConfig {
  const k = s.consumers[entry]!;
  return {
    group: k.group, groupInstanceId, commit: k.commit, autoOffsetReset: k['auto.offset.reset'],
    validatePositions: s.protocol.epochFencing,
    autoCommitIntervalUs: k['auto.commit.interval.ms'] * MS,
    sessionTimeoutUs: k['session.timeout.ms'] * MS, heartbeatIntervalUs: Math.min(3000 * MS, Math.floor(k['session.timeout.ms'] * MS / 3)),
    maxPollIntervalUs: k['max.poll.interval.ms'] * MS, processingUs: Math.round(k.processingMs * MS),
    fetchWaitMaxUs: 500 * MS, maxPollRecords: 500,
    ...(k['isolation.level'] === 'read_committed' ? { isolationLevel: 'read_committed' as const } : {}),
    ...(s.topics === undefined ? {} : { partitions: topicPartitionsOf(s, k.subscribe)! }),
  };
}

/** Pipeline instance `n` (1-based within its entry) of pipelines[entry]; `index` numbers its producer values. */
function pipelineConfig(s: Scenario, entry: number, n: number, index: number): PipelineConfig {
  const t = s.pipelines[entry]!;
  const consumer: ConsumerConfig = {
    group: t.group, groupInstanceId: null, commit: 'after-process', autoOffsetReset: t['auto.offset.reset'], validatePositions: s.protocol.epochFencing,
    autoCommitIntervalUs: 5000 * MS, sessionTimeoutUs: t['session.timeout.ms'] * MS,
    heartbeatIntervalUs: Math.min(3000 * MS, Math.floor(t['session.timeout.ms'] * MS / 3)),
    maxPollIntervalUs: t['max.poll.interval.ms'] * MS, processingUs: Math.round(t.processingMs * MS), fetchWaitMaxUs: 500 * MS, maxPollRecords: 500,
    ...(t['isolation.level'] === 'read_committed' ? { isolationLevel: 'read_committed' as const } : {}),
    partitions: topicPartitionsOf(s, t.input, 0)!,
  };
  // The producer's own settings are the Java client's defaults (Streams sets none that matter here).
  const producer: ProducerConfig = {
    index, firstValue: 0, acks: 'all', enableIdempotence: true, retries: 2147483647, maxInFlight: 5, requestTimeoutUs: 30000 * MS,
    deliveryTimeoutUs: 120000 * MS, lingerUs: 5 * MS, batchSize: 16384, retryBackoffUs: 100 * MS, bufferMemory: 33554432, maxBlockUs: 60000 * MS,
    maxRequestSize: 1048576, messagesPerSec: 0, valueBytes: 100, stopAtUs: s.durationMs * MS, partitions: topicPartitionsOf(s, t.output, 1)!,
  };
  return {
    consumer, producer, guarantee: t['processing.guarantee'],
    transactional: {
      transactionalId: `${t['transactional.id']}-${n}`, transactionTimeoutUs: t['transaction.timeout.ms'] * MS,
      recordsPerTransaction: t.recordsPerTransaction, abortProbability: t.abortProbability,
    },
  };
}

/**
 * The data partitions, then (when the run has consumers) the internal offsets partition that
 * stores the groups' commits: one partition, RF = min(3, brokers), like __consumer_offsets.
 */
function clusterLayout(s: Scenario, nodes: ScenarioNodes): ClusterLayout {
  const layout = groupLayout(s, nodes);
  if (!s.producers.some((p) => p['transactional.id'] !== null) && s.pipelines.length === 0) return layout;
  // `__transaction_state`: one partition after the others, RF = min(3, brokers), like the offsets partition.
  const brokers = nodes.brokers;
  const index = layout.replicas.length;
  const txnReplicas = Array.from({ length: Math.min(3, brokers.length) }, (_, i) => brokers[(index + i) % brokers.length]!);
  return { ...layout, replicas: [...layout.replicas, txnReplicas], transactionPartition: index };
}

function groupLayout(s: Scenario, nodes: ScenarioNodes): ClusterLayout {
  const topics = topicPlacements(s);
  const dataPartitions = topics.reduce((sum, t) => sum + t.partitions, 0);
  // Each topic's partitions with its own replication factor, leaders spread by the partition's place.
  const replicas = topics.flatMap((t) => assignReplicas(nodes.brokers, t.first + t.partitions, t.replicationFactor).slice(t.first));
  const controllers = nodes.controllers.length > 1 ? { controllers: nodes.controllers } : {};
  if (nodes.consumers.length === 0 && nodes.pipelines.length === 0) return { brokers: nodes.brokers, controller: nodes.controller, ...controllers, replicas, dataPartitions, offsetsPartition: null };
  const brokers = nodes.brokers;
  const offsetsReplicas = Array.from({ length: Math.min(3, brokers.length) }, (_, i) => brokers[(dataPartitions + i) % brokers.length]!);
  return { brokers, controller: nodes.controller, ...controllers, replicas: [...replicas, offsetsReplicas], dataPartitions, offsetsPartition: dataPartitions };
}

/** A factory that counts incarnations, so a restarted broker can tell the controller it is new. */
function counted(make: (incarnation: number, env: Parameters<ActorFactory>[0]) => Actor): ActorFactory {
  let incarnation = 0;
  return (env) => make(++incarnation, env);
}

export function buildRun(s: Scenario, seed: number, options: BuildOptions = {}): BuiltRun {
  const world = new World({
    seed,
    network: {
      latencyMinUs: Math.round(s.network.latencyMs.min * MS), latencyMaxUs: Math.round(s.network.latencyMs.max * MS),
      nicMbps: s.network.nicMbps, dropProbability: s.network.dropProbability,
      duplicateProbability: s.network.duplicateProbability, reorderProbability: s.network.reorderProbability,
      partitionMode: s.network.partitionMode,
    },
    disk: {
      writeUs: Math.round(s.disk.writeMs * MS), fsyncUs: Math.round(s.disk.fsyncMs * MS),
      dirtyExpireUs: Math.round(s.disk.dirtyExpireMs * MS), tornWrites: s.disk.tornWrites,
    },
    maxEvents: options.maxEvents ?? DEFAULT_MAX_EVENTS,
    recordTrace: options.recordTrace ?? false,
    ...(options.traceInto === undefined ? {} : { traceInto: options.traceInto }),
  });
  const nodes = scenarioNodes(s);
  const layout = clusterLayout(s, nodes);
  // The offsets partition is internal: its HW moves are no data the checkers judge.
  const history = new History({ internalPartitionsFrom: layout.dataPartitions });
  const config = brokerConfig(s);
  if (layout.controllers === undefined) world.addNode(nodes.controller, (env) => new Controller(env, layout, config));
  else {
    // controllers > 1: a Raft quorum over the metadata log, with the raft.* settings (KRaft's quorum.* defaults).
    const quorum = { voters: layout.controllers, raft: raftConfig(s), history, partition: layout.replicas.length };
    for (const id of layout.controllers) world.addNode(id, (env) => new Controller(env, layout, config, quorum));
  }
  for (const broker of nodes.brokers) {
    world.addNode(broker, counted((incarnation, env) => new Broker(env, layout, config, history, incarnation)));
  }
  const txnConfigs = transactionalConfigs(s);
  nodes.producers.forEach(({ id, entry }, i) => {
    const pc = producerConfig(s, entry, i + 1);
    const txn = txnConfigs[i] ?? null;
    // Each incarnation counts from its own million: a restarted producer sends new values.
    world.addNode(id, counted((incarnation, env) => {
      const config = { ...pc, firstValue: (incarnation - 1) * PRODUCER_INCARNATION_VALUES };
      return txn === null ? new Producer(env, layout, config, history) : new TxnProducer(env, layout, config, txn, history);
    }));
  });
  const instanceIds = groupInstanceIds(s.consumers);
  for (const [i, { id, entry }] of nodes.consumers.entries()) {
    const kc = consumerConfig(s, entry, instanceIds[i] ?? null);
    world.addNode(id, (env) => new Consumer(env, layout, kc, history));
  }
  // Pipeline instances: their producers' values are numbered after every producer's.
  const perEntry = new Map<number, number>();
  for (const [i, { id, entry }] of nodes.pipelines.entries()) {
    const n = (perEntry.get(entry) ?? 0) + 1;
    perEntry.set(entry, n);
    const tc = pipelineConfig(s, entry, n, nodes.producers.length + i + 1);
    world.addNode(id, counted((incarnation, env) => {
      const producer = { ...tc.producer, firstValue: (incarnation - 1) * PRODUCER_INCARNATION_VALUES };
      return new Pipeline(env, layout, { ...tc, producer }, history);
    }));
  }
  world.addNode(DRAIN_NODE, (env) => new DrainReader(env, layout, history));
  world.onFault((step, t) => {
    if (step.fault === 'crash' || step.fault === 'power-loss') history.record({ kind: 'crash', t, process: step.node, power: step.fault === 'power-loss' });
  });
  const durationUs = s.durationMs * MS;
  const faults = options.plan !== undefined ? scripted(world, options.plan) : faultSchedule(s, world, nodes, layout);
  return {
    world, history, layout, faults, durationUs,
    settleCapUs: settleCapMs(s) * MS, drainCapUs: drainCapMs(s) * MS,
    producers: [...nodes.producers.map((p) => p.id), ...nodes.pipelines.map((t) => t.id)], groups: consumerGroups(s, nodes), drain: DRAIN_NODE,
  };
}

function consumerGroups(s: Scenario, nodes: ScenarioNodes): ConsumerGroupNodes[] {
  const groups = new Map<string, NodeId[]>();
  const partitions = new Map<string, readonly number[]>();
  const add = (group: string, id: NodeId, topic: readonly number[] | undefined): void => {
    const members = groups.get(group);
    if (members === undefined) groups.set(group, [id]);
    else members.push(id);
    if (topic !== undefined && s.topics !== undefined) partitions.set(group, topic);
  };
  for (const { id, entry } of nodes.consumers) add(s.consumers[entry]!.group, id, topicPartitionsOf(s, s.consumers[entry]!.subscribe));
  for (const { id, entry } of nodes.pipelines) add(s.pipelines[entry]!.group, id, topicPartitionsOf(s, s.pipelines[entry]!.input, 0));
  return [...groups].map(([group, consumers]) => {
    const topic = partitions.get(group);
    return topic === undefined ? { group, consumers } : { group, consumers, partitions: topic };
  });
}

/**
 * faults.targets for the plan: a count of nodes one crash may take down, or a role (maxNodes null)
 * with the most nodes it can stand for (a partition's followers or in-sync replicas), which may cascade.
 */
function planTargets(targets: readonly FaultTarget[], brokers: number, crashable: number, replicationFactor: number): PlanTarget[] {
  return targets.map((name) => {
    if (name === 'one') return { name, maxNodes: 1 };
    if (name === 'minority') return { name, maxNodes: Math.max(1, Math.floor((brokers - 1) / 2)) };
    if (name === 'any') return { name, maxNodes: crashable };
    if (name === 'followers') return { name, maxNodes: null, stages: replicationFactor - 1 };
    if (name === 'isr') return { name, maxNodes: null, stages: replicationFactor };
    if (name === 'new-leader') return { name, maxNodes: null, onElection: true };
    return { name, maxNodes: null };
  });
}

function scripted(world: World, steps: readonly FaultStep[]): FaultSchedule {
  return { schedule: () => world.scheduleFaults(steps), steps: () => steps, draw: null };
}

/** The scenario's faults: none, its script, or a random plan drawn from the seed's nemesis stream. */
function faultSchedule(s: Scenario, world: World, nodes: ScenarioNodes, layout: ClusterLayout): FaultSchedule {
  if (s.faults.mode === 'none') return scripted(world, []);
  if (s.faults.mode === 'script') return scripted(world, [...s.faults.steps]);
  const clients = [...nodes.producers.map((p) => p.id), ...nodes.consumers.map((k) => k.id)];
  // A controller quorum's voters crash like brokers; the single controller only is cut off (as before quorums).
  const quorum = nodes.controllers.length > 1 ? nodes.controllers : [];
  const pipelines = nodes.pipelines.map((t) => t.id);
  const crashable = [...nodes.brokers, ...quorum, ...nodes.consumers.map((k) => k.id), ...pipelines];
  const partitionable = [...nodes.brokers, ...nodes.controllers, ...clients, ...pipelines];
  const plan = generatePlan(world.random.fork('nemesis'), {
    kinds: s.faults.kinds, meanIntervalMs: s.faults.meanIntervalMs, durationMs: s.durationMs, crashable, partitionable,
    targets: planTargets(s.faults.targets, nodes.brokers.length, crashable.length, s.topic.replicationFactor),
    roleGroups: layout.dataPartitions, swarm: s.faults.swarm, detectionMs: s.broker['broker.session.timeout.ms'],
    // The controller keeps a restarted broker's session only before KIP-101 (models/controller/controller.ts).
    quietRestarts: s.protocol.truncation === 'high-watermark',
  });
  const view = new ClusterView(world, layout);
  // A controller quorum takes an election (1-2 s) before brokers can register: its nemesis starts
  // once the cluster is set up, as Jepsen's does. One controller sets up within ~100 ms and its
  // faults start at once, as they always have (its runs unchanged).
  const gate = quorum.length > 0 ? () => view.setUp() : undefined;
  const run = new NemesisRun(world, plan, view.resolve, partitionable, gate, view.nextElection);
  return { schedule: () => run.schedule(), steps: () => run.steps(), draw: plan.draw };
}
