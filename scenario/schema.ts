// The scenario file format (DESIGN.md "Scenario files"): one zod schema that both validates a
// user's JSON and fills in every default, so `{}` is a complete scenario. Kafka settings keep
// Kafka's own dotted names so users can paste them from server.properties or a producer config.
// Every error becomes one line naming the key (formatIssue), thrown as a UserError (exit code 2).
import { z } from 'zod';
import { UserError } from '../sim/errors.js';
import type { NodeId } from '../sim/env.js';
import type { FaultKind, FaultStep } from '../sim/fault.js';
import { batchBytes } from '../models/replication/records.js';
import { valuesOffered } from './settle-cap.js';
import type { KafkaVersion } from './protocol.js';
import { KAFKA_VERSIONS, REPLICATIONS, TRUNCATIONS, resolveProtocol } from './protocol.js';

// ---------------------------------------------------------------------------------------------
// Names

/**
 * A label printed to terminals and file names: no control characters, so an escape sequence in a
 * scenario cannot reach the user's terminal.
 */
const printable = z.string().min(1).regex(/^[^\u0000-\u001f\u007f-\u009f]*$/, { message: 'control characters (such as terminal escapes) are not allowed' });

/** Random-plan fault kinds; spelled out as a tuple because z.enum needs one. */
const FAULT_KINDS = ['partition', 'crash', 'power-loss', 'pause', 'slow-disk', 'slow-net', 'clock-skew'] as const;
// Compile-time guard: the tuple must name exactly sim/fault.ts's kinds.
type MissingKind = Exclude<FaultKind, (typeof FAULT_KINDS)[number]>;
const _allKindsListed: [MissingKind] extends [never] ? true : MissingKind = true;

/** faults.targets: counts of random nodes, then roles in the cluster (scenario/cluster-view.ts). */
export const FAULT_TARGETS = ['any', 'one', 'minority', 'leader', 'followers', 'isr', 'controller', 'new-leader'] as const;
export type FaultTarget = (typeof FAULT_TARGETS)[number];
/** Every target but the two that only restrict "any", and new-leader (opt-in: it came after the others' figures). */
export const DEFAULT_FAULT_TARGETS: readonly FaultTarget[] = ['any', 'leader', 'followers', 'isr', 'controller'];

/** The anomaly names of KAFKA.md's table: what `allowedAnomalies` may list. */
export const ANOMALY_NAMES = [
  'lost-write', 'unseen', 'duplicate', 'inconsistent-offsets', 'nonmonotonic-poll', 'poll-skip',
  'nonmonotonic-send', 'aborted-read', 'log-divergence', 'committed-record-lost',
  'duplicate-delivery', 'lost-delivery', 'intermediate-read', 'pipeline-duplicate', 'pipeline-lost',
  'election-safety', 'log-matching', 'leader-completeness', 'state-machine-safety',
] as const;
export type AnomalyName = (typeof ANOMALY_NAMES)[number];

/**
 * Liveness failures (docs/settle.md): the run did not reach quiescence within the settle cap, or it
 * is vacuous (producers configured but nothing sent; consumers configured but nothing polled).
 * `allowedAnomalies` may list them too, for a scenario that expects them.
 */
export const LIVENESS_NAMES = ['not-settled', 'nothing-sent', 'nothing-polled'] as const;
export type LivenessName = (typeof LIVENESS_NAMES)[number];

export type Acks = 'all' | '1' | '0';
export type CommitStrategy = 'auto' | 'before-process' | 'after-process';
export type FaultMode = 'none' | 'random' | 'script';
export type { Truncation } from './protocol.js';

// ---------------------------------------------------------------------------------------------
// Value helpers. Kafka's own durations and counts are integers (Java ints and longs); ksim's own
// latencies (latencyMs, writeMs, …) may be fractional because the kernel counts microseconds.

const int = (min: number): z.ZodNumber => z.number().int().min(min);
const millis = (): z.ZodNumber => z.number().min(0);
const probability = (): z.ZodNumber => z.number().min(0).max(1);

/** Keeps the first occurrence of each value, so `["crash", "crash"]` does not weight a kind twice. */
function dedupe<T>(items: readonly T[]): T[] {
  return items.filter((item, i) => items.indexOf(item) === i);
}

// ---------------------------------------------------------------------------------------------
// Broker, topic, protocol

const brokerSchema = z.strictObject({
  'min.insync.replicas': int(1).default(1),
  /** The `__transaction_state` topic's min.insync.replicas (Kafka's TransactionLogConfig default 2). */
  'transaction.state.log.min.isr': int(1).default(2),
  'unclean.leader.election.enable': z.boolean().default(false),
  'replica.lag.time.max.ms': int(1).default(30000),
  'replica.fetch.wait.max.ms': int(0).default(500),
  'replica.high.watermark.checkpoint.interval.ms': int(1).default(5000),
  /** null = never fsync by message count (Kafka's default). */
  'flush.messages': int(1).nullable().default(null),
  /** null = never fsync by time (Kafka's default). */
  'flush.ms': int(0).nullable().default(null),
  'broker.session.timeout.ms': int(1).default(9000),
  /** Absent: as protocol.version has it (false without a version); resolveScenario fills it in. */
  'eligible.leader.replicas.enable': z.boolean().optional(),
  /** The group coordinator's bounds on a consumer's session.timeout.ms (checkConsumers). */
  'group.min.session.timeout.ms': int(0).default(6000),
  'group.max.session.timeout.ms': int(1).default(1800000),
  'producer.id.expiration.ms': int(1).default(86400000),
  'producer.id.expiration.check.interval.ms': int(1).default(600000),
  'log.segment.bytes': int(1).default(1073741824),
});

// replicationFactor stays optional here: its default depends on `brokers` (resolveScenario).
const topicSchema = z.strictObject({
  partitions: int(1).default(1),
  replicationFactor: int(1).optional(),
});

// `topics`: several named topics (a consume-transform-produce pipeline reads one and writes another).
// Their partitions are numbered one after the other in list order (topicPartitions).
const topicEntrySchema = z.strictObject({
  name: printable,
  partitions: int(1).default(1),
  replicationFactor: int(1).optional(),
});

// A release may be written as a string or, as `--vary protocol.version=2.0,2.1` and JSON numbers
// give it, as a number: 2 is "2.0", 0.1 is "0.10".
const versionSchema = z
  .union([z.enum(KAFKA_VERSIONS), z.number()], { error: (issue) => `${show(issue.input)} is not a Kafka release ksim knows (${KAFKA_VERSIONS.map(show).join(', ')})` })
  .transform((v, ctx): KafkaVersion => {
    if (typeof v === 'string') return v;
    const match = KAFKA_VERSIONS.find((known) => Number(known) === v);
    if (match !== undefined) return match;
    ctx.addIssue({ code: 'custom', message: `${v} is not a Kafka release ksim knows (${KAFKA_VERSIONS.map(show).join(', ')})` });
    return z.NEVER;
  });

// Every switch stays optional here: its default depends on `version` (resolveScenario, protocol.ts).
// null is no version, as a resolved scenario (a failure file's) writes it.
const protocolSchema = z.strictObject({
  version: versionSchema.nullable().optional(),
  truncation: z.enum(TRUNCATIONS).optional(),
  epochFencing: z.boolean().optional(),
  truncateOnEpochChange: z.boolean().optional(),
  isrJoinPastEpochStart: z.boolean().optional(),
  transactionEpochBump: z.boolean().optional(),
  /** isr: Kafka's ISR replication; raft: each partition's replicas form a Raft group (models/raft/). */
  replication: z.enum(REPLICATIONS).default('isr'),
});

// Raft-replicated partitions (protocol.replication raft), named after KRaft's quorum.* settings.
const raftSchema = z.strictObject({
  'quorum.election.timeout.ms': int(1).default(1000),
  'quorum.fetch.timeout.ms': int(1).default(2000),
  /** fsync an entry before it counts toward the quorum (KRaft and Redpanda do); false: it counts once in the page cache. */
  fsync: z.boolean().default(true),
  /** Test-only: a planted protocol bug the Raft checkers must find. */
  plantedBug: z.enum(['commit-old-term', 'vote-any-log']).nullable().default(null),
});

// ---------------------------------------------------------------------------------------------
// Producers

// Kafka accepts acks as a string or a number; the model sees one canonical spelling.
const acksSchema = z
  .union([z.enum(['all', '-1', '1', '0']), z.literal([-1, 1, 0])], {
    error: (issue) => `${show(issue.input)} is not a valid acks value (use "all", "1" or "0")`,
  })
  .transform((acks): Acks => (acks === 'all' || acks === '-1' || acks === -1 ? 'all' : acks === 1 || acks === '1' ? '1' : '0'));

// enable.idempotence and delivery.timeout.ms stay optional so resolveProducer can tell a value the
// user chose (a conflict is an error) from a default (which yields, as in the Java client).
const producerInput = z.strictObject({
  count: int(1).default(1),
  acks: acksSchema.default('all'),
  'enable.idempotence': z.boolean().optional(),
  retries: int(0).default(2147483647),
  'max.in.flight.requests.per.connection': int(1).default(5),
  'request.timeout.ms': int(1).default(30000),
  'delivery.timeout.ms': int(1).optional(),
  'linger.ms': int(0).default(5),
  'batch.size': int(0).default(16384),
  'buffer.memory': int(0).default(33554432),
  'max.block.ms': int(0).default(60000),
  'max.request.size': int(1).default(1048576),
  /** Send rate of each producer of this entry: at most one value a simulated microsecond, the clock's resolution. */
  messagesPerSec: z.number().min(0).max(1_000_000, { message: 'at most 1000000 (one value per simulated microsecond, the clock\'s resolution); use more producers' }).default(100),
  /** Bytes of each record's value: sizes batches (batch.size), requests, fetches and disk writes. */
  valueBytes: int(0).default(100),
  /**
   * A transactional producer (models/transactions/txn-producer.ts); null: none. An entry with count > 1 gives
   * its producers the ids "<id>-1", "<id>-2", … (transactionalIds).
   */
  'transactional.id': z.string().min(1).nullable().default(null),
  'transaction.timeout.ms': int(1).default(60000),
  /** Records each transaction holds (transactional producers only). */
  recordsPerTransaction: int(1).default(10),
  /** The chance that the application aborts a transaction on purpose (transactional producers only). */
  abortProbability: probability().default(0),
});
type ProducerInput = z.output<typeof producerInput>;

/** What stops idempotence (KAFKA.md "Idempotent producer rules"), in the Java client's words. */
function idempotenceConflicts(p: ProducerInput): string[] {
  const conflicts: string[] = [];
  if (p.acks !== 'all') conflicts.push(`acks=all (acks is "${p.acks}")`);
  if (p.retries === 0) conflicts.push('retries > 0 (retries is 0)');
  const inFlight = p['max.in.flight.requests.per.connection'];
  if (inFlight > 5) conflicts.push(`max.in.flight.requests.per.connection <= 5 (it is ${inFlight})`);
  return conflicts;
}

// As the Java producer does: an explicit setting that conflicts is an error; a default gives way
// (idempotence turns off, delivery.timeout.ms grows to linger.ms + request.timeout.ms).
function resolveProducer(p: ProducerInput, ctx: z.RefinementCtx) {
  const conflicts = idempotenceConflicts(p);
  const explicitIdempotence = p['enable.idempotence'];
  const [firstConflict] = conflicts;
  if (explicitIdempotence === true && firstConflict !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['enable.idempotence'], message: `enable.idempotence requires ${firstConflict}` });
  }
  // As the Java client: a transactional producer is an idempotent one.
  if (p['transactional.id'] !== null && (explicitIdempotence === false || firstConflict !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['transactional.id'], message: `a transactional producer requires enable.idempotence (${firstConflict ?? 'enable.idempotence is false'})` });
  }
  const minDelivery = p['linger.ms'] + p['request.timeout.ms'];
  const explicitDelivery = p['delivery.timeout.ms'];
  if (explicitDelivery !== undefined && explicitDelivery < minDelivery) {
    ctx.addIssue({
      code: 'custom', path: ['delivery.timeout.ms'],
      message: `${explicitDelivery} is less than linger.ms + request.timeout.ms (${minDelivery})`,
    });
  }
  // Kafka's BufferPool refuses outright a batch larger than all its memory (a batch takes batch.size,
  // or one record's batch if that is larger).
  const oneBatch = Math.max(p['batch.size'], batchBytes(1, p.valueBytes));
  if (p['buffer.memory'] < oneBatch) {
    ctx.addIssue({ code: 'custom', path: ['buffer.memory'], message: `${p['buffer.memory']} is less than one batch (${oneBatch} bytes)` });
  }
  return {
    ...p,
    'enable.idempotence': explicitIdempotence ?? conflicts.length === 0,
    'delivery.timeout.ms': explicitDelivery ?? Math.max(120000, minDelivery),
  };
}

const producerSchema = producerInput.transform(resolveProducer);

// ---------------------------------------------------------------------------------------------
// Consumers, network, disk

const consumerSchema = z.strictObject({
  group: printable.default('g1'),
  count: int(1).default(1),
  /**
   * KIP-345 static membership; null: a dynamic member. An entry with count > 1 gives its consumers
   * the ids "<id>-1", "<id>-2", … (groupInstanceIds).
   */
  'group.instance.id': z.string().min(1).nullable().default(null),
  commit: z.enum(['auto', 'before-process', 'after-process']).default('auto'),
  /** Where to start with no committed offset, and what to do when the offset is out of range or truncated. */
  'auto.offset.reset': z.enum(['earliest', 'latest', 'none']).default('latest'),
  'auto.commit.interval.ms': int(1).default(5000),
  'session.timeout.ms': int(1).default(45000),
  'max.poll.interval.ms': int(1).default(300000),
  /** How long the application takes per record. */
  processingMs: millis().default(1),
  /** read_committed: reads stop at the last stable offset, and aborted transactions' records are skipped. */
  'isolation.level': z.enum(['read_uncommitted', 'read_committed']).default('read_uncommitted'),
  /** The topic of `topics` the group subscribes to (the client's subscribe()); null: the first (or the single `topic`). */
  subscribe: z.string().min(1).nullable().default(null),
});

// A consume-transform-produce pipeline (models/transactions/pipeline.ts): `count` instances t1… in
// one group, each a consumer of `input` and a transactional producer to `output`, as Kafka Streams'
// stream threads. Defaults are Kafka Streams' (exactly_once_v2: read_committed, transaction.timeout.ms
// 10000, auto.offset.reset earliest) and the consumer's.
const pipelineSchema = z.strictObject({
  /** The group (Streams: application.id). */
  group: printable.default('pipeline'),
  count: int(1).default(1),
  /** Topic names of `topics`; null: the first (input) and the second (output). */
  input: z.string().min(1).nullable().default(null),
  output: z.string().min(1).nullable().default(null),
  /** Instance n uses "<id>-<n>" (KIP-447: a fixed transactional.id per instance, fenced through the group). */
  'transactional.id': z.string().min(1).default('pipeline'),
  'processing.guarantee': z.enum(['exactly_once_v2', 'at_least_once']).default('exactly_once_v2'),
  'isolation.level': z.enum(['read_uncommitted', 'read_committed']).optional(),
  'transaction.timeout.ms': int(1).default(10000),
  'session.timeout.ms': int(1).default(45000),
  'max.poll.interval.ms': int(1).default(300000),
  'auto.offset.reset': z.enum(['earliest', 'latest', 'none']).default('earliest'),
  /** Input records each transaction holds at most (one poll's records). */
  recordsPerTransaction: int(1).default(10),
  abortProbability: probability().default(0),
  processingMs: millis().default(1),
});

const latencySchema = z
  .strictObject({ min: millis().default(0.1), max: millis().default(2) })
  .superRefine((latency, ctx) => {
    if (latency.min > latency.max) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: `${latency.min} is greater than network.latencyMs.max (${latency.max})` });
    }
  });

const networkSchema = z.strictObject({
  latencyMs: latencySchema.prefault({}),
  nicMbps: z.number().positive().default(10000),
  dropProbability: probability().default(0),
  duplicateProbability: probability().default(0),
  reorderProbability: probability().default(0),
  /**
   * What a partition does to connections: drop (they break, what was in flight is lost) or
   * retransmit (an iptables DROP firewall: they survive, and what met the cut arrives after the heal
   * at the sender's next TCP retransmission).
   */
  partitionMode: z.enum(['drop', 'retransmit']).default('drop'),
});

const diskSchema = z.strictObject({
  writeMs: millis().default(0.05),
  fsyncMs: millis().default(2),
  /** Background write-back makes a dirty page durable after this long (Linux's 30 s). */
  dirtyExpireMs: millis().default(30000),
  /** On power loss, a random prefix of the dirty tail survives instead of none of it. */
  tornWrites: z.boolean().default(false),
});

// ---------------------------------------------------------------------------------------------
// Fault script steps (DESIGN.md's step formats). atMs may be left out: the step then happens at
// the previous step's time, so a burst of faults is written without repeating the time.

const nodeId = z.string().min(1);
const nodeList = z.array(nodeId).min(1);
const atMs = millis().optional();

/** A step before its time is known; the steps array fills atMs in. */
type Timeless<T> = T extends unknown ? Omit<T, 'atMs'> : never;
type DraftStep = Timeless<FaultStep> & { readonly atMs?: number | undefined };

// One object with three optional forms, rather than three union members, so that a mistake gets
// a message about partition steps instead of "matches no member".
const partitionStep = z
  .strictObject({
    atMs, fault: z.literal('partition'),
    isolate: nodeList.optional(), groups: z.array(nodeList).min(1).optional(),
    from: nodeId.optional(), to: nodeId.optional(),
  })
  .transform((s, ctx): DraftStep => {
    const forms = [s.isolate, s.groups, s.from ?? s.to].filter((form) => form !== undefined).length;
    if (forms !== 1) {
      ctx.addIssue({ code: 'custom', message: 'a partition step takes exactly one of "isolate", "groups", or "from" and "to"' });
      return z.NEVER;
    }
    if (s.isolate) return { atMs: s.atMs, fault: 'partition', isolate: s.isolate };
    if (s.groups) return { atMs: s.atMs, fault: 'partition', groups: s.groups };
    if (s.from === undefined || s.to === undefined) {
      ctx.addIssue({ code: 'custom', path: [s.from === undefined ? 'from' : 'to'], message: 'missing: a one-way partition needs both "from" and "to"' });
      return z.NEVER;
    }
    return { atMs: s.atMs, fault: 'partition', from: s.from, to: s.to };
  });

// exactOptionalPropertyTypes: FaultStep's `nodes?` must be absent, not undefined.
const healStep = z
  .strictObject({ atMs, fault: z.literal('heal'), nodes: nodeList.optional() })
  .transform((s): DraftStep => (s.nodes ? { atMs: s.atMs, fault: 'heal', nodes: s.nodes } : { atMs: s.atMs, fault: 'heal' }));

const nodeStep = z.strictObject({ atMs, fault: z.enum(['crash', 'power-loss', 'restart', 'pause', 'resume']), node: nodeId });
const slowStep = z.strictObject({ atMs, fault: z.enum(['slow-disk', 'slow-net']), node: nodeId, factor: z.number().positive() });
const skewStep = z.strictObject({ atMs, fault: z.literal('clock-skew'), node: nodeId, offsetMs: z.number() });

const stepSchema = z.discriminatedUnion('fault', [partitionStep, healStep, nodeStep, slowStep, skewStep]);

function fillStepTimes(drafts: readonly DraftStep[], ctx: z.RefinementCtx): FaultStep[] {
  let previousMs = 0;
  return drafts.map((draft, i) => {
    const at = draft.atMs ?? previousMs;
    if (at < previousMs) {
      ctx.addIssue({ code: 'custom', path: [i, 'atMs'], message: `${at} is before the previous step's atMs (${previousMs}); steps must be in time order` });
    }
    previousMs = at;
    return { ...draft, atMs: at } as FaultStep;
  });
}

// ---------------------------------------------------------------------------------------------
// Faults

// mode stays optional so that steps given without mode "script" can be caught: they would
// otherwise be silently ignored by the default random mode.
const faultsSchema = z
  .strictObject({
    mode: z.enum(['none', 'random', 'script']).optional(),
    kinds: z.array(z.enum(FAULT_KINDS)).min(1).transform(dedupe).default(() => [...FAULT_KINDS]),
    meanIntervalMs: z.number().positive().default(5000),
    /**
     * What a random episode aims at (Jepsen's nemesis targets), one name or a list; each episode
     * picks one of them. Counts: "any" (a crash or power loss takes usually one node, sometimes
     * several, possibly every broker), "one", "minority" (at most a minority of the brokers, so a
     * majority of replicas always survives). Roles, resolved when the episode starts from what the
     * cluster has announced (cluster-view.ts), in a data partition drawn per episode: "leader" (its
     * current leader), "followers" (its replicas but the leader), "isr" (its in-sync replicas),
     * "controller". The default is every target but "one" and "minority", which restrict.
     */
    targets: z.union([z.enum(FAULT_TARGETS), z.array(z.enum(FAULT_TARGETS)).min(1)])
      .transform((t): FaultTarget[] => dedupe(typeof t === 'string' ? [t] : t))
      .default(() => [...DEFAULT_FAULT_TARGETS]),
    /**
     * Swarm testing (Groce et al., ISSTA 2012): each seed draws its own non-empty subset of the
     * kinds and of the targets (each in play with probability 1/2) and each kind's mean interval
     * (meanIntervalMs times a factor in [0.5, 2)). false: every kind and target at meanIntervalMs.
     */
    swarm: z.boolean().default(true),
    steps: z.array(stepSchema).transform(fillStepTimes).default(() => []),
  })
  .transform((f, ctx) => {
    if (f.mode === undefined && f.steps.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['steps'], message: 'steps run only with "mode": "script"; add it to faults' });
    }
    return { ...f, mode: f.mode ?? 'random' };
  });

/**
 * How large one run may be. A run keeps every value sent (its history, its logs on every replica)
 * until it is judged, at roughly 300 bytes a value with RF 3, so 5 million values is about 1.5 GB;
 * and simulated time costs events even when idle (fetch long polls, heartbeats). Past a bound the
 * scenario is refused before any work starts, with the keys to change: these limits, or the load.
 */
const limitsSchema = z.strictObject({
  /** Most values all producers may send in one run: Σ count × messagesPerSec × durationMs / 1000. */
  maxRecords: int(1).default(5_000_000),
  /** Most simulated time one run may cover: durationMs + settleMs. Default one day. */
  maxSimulatedMs: int(1).default(86_400_000),
  /** Most nodes (brokers, the controller, clients): each is an actor with its own state. */
  maxNodes: int(1).default(1000),
});

// ---------------------------------------------------------------------------------------------
// The scenario

const scenarioInput = z.strictObject({
  /** Label in outputs. The loader defaults it to the file or preset name. */
  name: printable.default('scenario'),
  /** One line for `ksim presets`. */
  description: z.string().optional(),
  /** Simulated time with faults and load. */
  durationMs: int(1).default(60000),
  /**
   * The cap on the settle phase after durationMs (faults stop, nodes restart, the run goes on until
   * it is quiescent: docs/settle.md). Absent: derived from the scenario's timeouts (settle-cap.ts).
   */
  settleMs: int(0).optional(),
  brokers: int(1).default(3),
  /**
   * Controllers c1…cN. 1: one controller (no quorum). 3 or 5: a Raft quorum over the metadata log
   * (KRaft's controller.quorum.voters), its leader the active controller (models/controller/controller.ts).
   */
  controllers: z.literal([1, 3, 5], { error: (issue) => `${show(issue.input)} is not a valid controllers count (use 1, 3 or 5)` }).default(1),
  topic: topicSchema.prefault({}),
  /** Several named topics instead of `topic` (absent: the one topic). Producers write the first. */
  topics: z.array(topicEntrySchema).min(1).optional(),
  broker: brokerSchema.prefault({}),
  protocol: protocolSchema.prefault({}),
  raft: raftSchema.prefault({}),
  producers: z.array(producerSchema).prefault([{}]),
  consumers: z.array(consumerSchema).prefault([{}]),
  pipelines: z.array(pipelineSchema).default(() => []),
  network: networkSchema.prefault({}),
  disk: diskSchema.prefault({}),
  faults: faultsSchema.prefault({}),
  /** Bounds on one run's size, checked before it starts (see checkRunSize); raise them here. */
  limits: limitsSchema.prefault({}),
  /** The anomalies this scenario expects (Jepsen's allowed list), and any liveness failure it expects. */
  allowedAnomalies: z.array(z.enum([...ANOMALY_NAMES, ...LIVENESS_NAMES])).transform(dedupe).default(() => []),
});

function resolveScenario(s: z.output<typeof scenarioInput>, ctx: z.RefinementCtx) {
  const replicationFactor = s.topic.replicationFactor ?? Math.min(3, s.brokers);
  const { switches, conflicts } = resolveProtocol(s.protocol, s.broker['eligible.leader.replicas.enable']);
  for (const conflict of conflicts) ctx.addIssue({ code: 'custom', path: ['protocol', conflict.key], message: conflict.message });
  const { eligibleLeaderReplicas, ...protocol } = switches;
  if (s.topics !== undefined && (s.topic.partitions !== 1 || s.topic.replicationFactor !== undefined)) {
    ctx.addIssue({ code: 'custom', path: ['topic'], message: 'give either "topic" or "topics", not both' });
  }
  const { topics: listed, ...single } = s;
  const topics = listed?.map((t) => ({ ...t, replicationFactor: t.replicationFactor ?? Math.min(3, s.brokers) }));
  const pipelines = s.pipelines.map((p) => ({
    ...p, 'isolation.level': p['isolation.level'] ?? (p['processing.guarantee'] === 'exactly_once_v2' ? 'read_committed' as const : 'read_uncommitted' as const),
  }));
  return {
    ...single,
    // Absent without a list (`{}` resolves to the keys it always had).
    ...(topics === undefined ? {} : { topics }),
    pipelines,
    topic: { ...s.topic, replicationFactor },
    broker: { ...s.broker, 'eligible.leader.replicas.enable': eligibleLeaderReplicas },
    protocol: { version: s.protocol.version ?? null, ...protocol, replication: s.protocol.replication },
  };
}

/** The validated scenario: every key present, defaults filled in, acks canonical. */
export type Scenario = ReturnType<typeof resolveScenario>;
export type ProducerConfig = Scenario['producers'][number];
export type ConsumerConfig = Scenario['consumers'][number];
export type BrokerConfig = Scenario['broker'];

/** Node ids of a scenario, with the producers[]/consumers[] entry each client node comes from. */
export interface ScenarioNodes {
  readonly brokers: readonly NodeId[];
  readonly controller: NodeId;
  /** c1…cN (controllers); c1 alone by default. */
  readonly controllers: readonly NodeId[];
  readonly producers: readonly { readonly id: NodeId; readonly entry: number }[];
  readonly consumers: readonly { readonly id: NodeId; readonly entry: number }[];
  /** Pipeline instances t1…, with the pipelines[] entry each comes from (empty without pipelines). */
  readonly pipelines: readonly { readonly id: NodeId; readonly entry: number }[];
}

type NodeCounts = Pick<Scenario, 'brokers'> & Partial<Pick<Scenario, 'controllers'>> & {
  readonly producers: readonly { readonly count: number }[];
  readonly consumers: readonly { readonly count: number }[];
  readonly pipelines?: readonly { readonly count: number }[];
};

/** Names nodes as DESIGN.md does: b1…bN, c1, p1…pM and k1…kK numbered across all entries. */
export function scenarioNodes(s: NodeCounts): ScenarioNodes {
  const clients = (prefix: string, entries: readonly { readonly count: number }[]) =>
    entries.flatMap((entry, index) => Array.from({ length: entry.count }, () => index))
      .map((entry, i) => ({ id: `${prefix}${i + 1}`, entry }));
  return {
    brokers: Array.from({ length: s.brokers }, (_, i) => `b${i + 1}`),
    controller: 'c1',
    controllers: Array.from({ length: s.controllers ?? 1 }, (_, i) => `c${i + 1}`),
    producers: clients('p', s.producers),
    consumers: clients('k', s.consumers),
    pipelines: clients('t', s.pipelines ?? []),
  };
}

/** One topic's place among the data partitions: its partitions are first…first+partitions-1. */
export interface TopicPlacement {
  readonly name: string;
  readonly first: number;
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** The topics in partition order: `topics`, or the single `topic` (named "topic"). */
export function topicPlacements(s: Pick<Scenario, 'topic' | 'topics'>): TopicPlacement[] {
  const list = s.topics ?? [{ name: 'topic', partitions: s.topic.partitions, replicationFactor: s.topic.replicationFactor }];
  let first = 0;
  return list.map((t) => {
    const placed = { name: t.name, first, partitions: t.partitions, replicationFactor: t.replicationFactor };
    first += t.partitions;
    return placed;
  });
}

/** The partitions of the named topic (null: the `fallback`-th topic), or undefined when it has none. */
export function topicPartitionsOf(s: Pick<Scenario, 'topic' | 'topics'>, name: string | null, fallback = 0): number[] | undefined {
  const topics = topicPlacements(s);
  const topic = name === null ? topics[fallback] : topics.find((t) => t.name === name);
  return topic === undefined ? undefined : Array.from({ length: topic.partitions }, (_, i) => topic.first + i);
}

/**
 * The group.instance.id of each consumer node, in scenarioNodes' order: the entry's id as given for
 * a single consumer, "<id>-<n>" (n from 1) for each of an entry with count > 1; null for dynamic members.
 */
export function groupInstanceIds(consumers: readonly { readonly count: number; readonly 'group.instance.id': string | null }[]): (string | null)[] {
  return consumers.flatMap((entry) => Array.from({ length: entry.count }, (_, i) => {
    const id = entry['group.instance.id'];
    if (id === null) return null;
    return entry.count === 1 ? id : `${id}-${i + 1}`;
  }));
}

function allNodeIds(nodes: ScenarioNodes): NodeId[] {
  return [...nodes.brokers, ...nodes.controllers, ...nodes.producers.map((p) => p.id), ...nodes.consumers.map((k) => k.id), ...nodes.pipelines.map((t) => t.id)];
}

type PathKey = string | number;

/** Every node a step names, with the key path that names it. */
function stepNodeRefs(step: FaultStep): { path: PathKey[]; node: NodeId }[] {
  if ('isolate' in step) return step.isolate.map((node, i) => ({ path: ['isolate', i], node }));
  if ('groups' in step) return step.groups.flatMap((group, g) => group.map((node, i) => ({ path: ['groups', g, i], node })));
  if ('from' in step) return [{ path: ['from'], node: step.from }, { path: ['to'], node: step.to }];
  if ('node' in step) return [{ path: ['node'], node: step.node }];
  return (step.nodes ?? []).map((node, i) => ({ path: ['nodes', i], node }));
}

/** Abbreviates b1, b2, b3 as b1…b3 so the list of known nodes stays one short line. */
function describeNodes(nodes: ScenarioNodes): string {
  const range = (ids: readonly NodeId[]) => (ids.length > 2 ? `${ids[0]}…${ids[ids.length - 1]}` : ids.join(', '));
  const parts = [
    range(nodes.brokers), range(nodes.controllers), range(nodes.producers.map((p) => p.id)), range(nodes.consumers.map((k) => k.id)),
    range(nodes.pipelines.map((t) => t.id)),
  ];
  return parts.filter((part) => part !== '').join(', ');
}

// Rules that span sections; each issue names the key the user should change.
function checkCrossFields(s: Scenario, ctx: z.RefinementCtx): void {
  const rf = s.topic.replicationFactor;
  if (rf > s.brokers) {
    ctx.addIssue({ code: 'custom', path: ['topic', 'replicationFactor'], message: `${rf} is greater than brokers (${s.brokers})` });
  }
  const minIsr = s.broker['min.insync.replicas'];
  if (minIsr > rf) {
    ctx.addIssue({ code: 'custom', path: ['broker', 'min.insync.replicas'], message: `${minIsr} is greater than topic.replicationFactor (${rf})` });
  }
  checkConsumers(s, ctx);
  checkTopics(s, ctx);
  const nodes = scenarioNodes(s);
  const known = new Set(allNodeIds(nodes));
  s.faults.steps.forEach((step, i) => {
    for (const ref of stepNodeRefs(step)) {
      if (known.has(ref.node)) continue;
      ctx.addIssue({
        code: 'custom', path: ['faults', 'steps', i, ...ref.path],
        message: `${show(ref.node)} is not a node of this scenario (nodes: ${describeNodes(nodes)})`,
      });
    }
  });
}

/** Topic names unique and within the brokers; every topic a consumer or pipeline names exists. */
function checkTopics(s: Scenario, ctx: z.RefinementCtx): void {
  const names = (s.topics ?? []).map((t) => t.name);
  (s.topics ?? []).forEach((t, i) => {
    if (names.indexOf(t.name) !== i) ctx.addIssue({ code: 'custom', path: ['topics', i, 'name'], message: `${show(t.name)} names two topics` });
    if (t.replicationFactor > s.brokers) ctx.addIssue({ code: 'custom', path: ['topics', i, 'replicationFactor'], message: `${t.replicationFactor} is greater than brokers (${s.brokers})` });
    const minIsr = s.broker['min.insync.replicas'];
    if (minIsr > t.replicationFactor) ctx.addIssue({ code: 'custom', path: ['broker', 'min.insync.replicas'], message: `${minIsr} is greater than topics.${i}.replicationFactor (${t.replicationFactor})` });
  });
  const known = (path: PathKey[], name: string | null, fallback: number, what: string): void => {
    if (topicPartitionsOf(s, name, fallback) !== undefined) return;
    const message = name === null
      ? `${what} needs a topic: "topics" lists ${names.length === 0 ? 'none' : `only ${names.length}`}`
      : `${show(name)} is not a topic of "topics" (${names.length === 0 ? 'there is no "topics" list' : names.map(show).join(', ')})`;
    ctx.addIssue({ code: 'custom', path, message });
  };
  s.consumers.forEach((k, i) => { if (k.subscribe !== null) known(['consumers', i, 'subscribe'], k.subscribe, 0, 'the consumer'); });
  s.pipelines.forEach((p, i) => {
    if (s.topics === undefined) return ctx.addIssue({ code: 'custom', path: ['pipelines', i], message: 'a pipeline reads one topic and writes another: list them in "topics"' });
    known(['pipelines', i, 'input'], p.input, 0, 'the pipeline\'s input');
    known(['pipelines', i, 'output'], p.output, 1, 'the pipeline\'s output');
    const input = p.input ?? names[0];
    const output = p.output ?? names[1];
    if (input !== undefined && input === output) ctx.addIssue({ code: 'custom', path: ['pipelines', i, 'output'], message: `${show(output)} is also the pipeline's input` });
  });
}

/** Refuses a run too large to finish, naming what makes it large and the limit that would allow it. */
function checkRunSize(s: Scenario, ctx: z.RefinementCtx): void {
  const records = valuesOffered(s);
  if (records > s.limits.maxRecords) {
    ctx.addIssue({
      code: 'custom', path: ['producers'],
      message: `about ${Math.round(records).toLocaleString('en-US')} values in ${s.durationMs} ms (count × messagesPerSec × durationMs) is more than limits.maxRecords ` +
        `(${s.limits.maxRecords.toLocaleString('en-US')}, about 300 bytes each in memory); lower the rate or durationMs, or raise limits.maxRecords`,
    });
  }
  const simulatedMs = s.durationMs + (s.settleMs ?? 0);
  if (simulatedMs > s.limits.maxSimulatedMs) {
    ctx.addIssue({
      code: 'custom', path: ['durationMs'],
      message: `durationMs + settleMs = ${simulatedMs.toLocaleString('en-US')} ms is more than limits.maxSimulatedMs (${s.limits.maxSimulatedMs.toLocaleString('en-US')}); shorten the run or raise limits.maxSimulatedMs`,
    });
  }
  const nodes = allNodeIds(scenarioNodes(s)).length;
  if (nodes > s.limits.maxNodes) {
    ctx.addIssue({ code: 'custom', path: [], message: `${nodes.toLocaleString('en-US')} nodes is more than limits.maxNodes (${s.limits.maxNodes}); use fewer brokers or clients, or raise limits.maxNodes` });
  }
}

/**
 * The group coordinator refuses a JoinGroup whose session.timeout.ms lies outside the broker's
 * bounds (INVALID_SESSION_TIMEOUT) and fences one of two live members sharing a group.instance.id
 * (FENCED_INSTANCE_ID): both are configuration mistakes, so they are refused here, when the
 * scenario is loaded, with Kafka's reason.
 */
function checkConsumers(s: Scenario, ctx: z.RefinementCtx): void {
  const min = s.broker['group.min.session.timeout.ms'];
  const max = s.broker['group.max.session.timeout.ms'];
  if (min > max) {
    ctx.addIssue({ code: 'custom', path: ['broker', 'group.min.session.timeout.ms'], message: `${min} is greater than broker.group.max.session.timeout.ms (${max})` });
  }
  s.consumers.forEach((k, i) => {
    const timeout = k['session.timeout.ms'];
    const bound = timeout < min ? `less than broker.group.min.session.timeout.ms (${min})` : timeout > max ? `greater than broker.group.max.session.timeout.ms (${max})` : null;
    if (bound === null) return;
    ctx.addIssue({
      code: 'custom', path: ['consumers', i, 'session.timeout.ms'],
      message: `${timeout} is ${bound}: the group coordinator would refuse the JoinGroup with INVALID_SESSION_TIMEOUT`,
    });
  });
  const ids = groupInstanceIds(s.consumers);
  const entries = s.consumers.flatMap((entry, index) => Array.from({ length: entry.count }, () => ({ index, group: entry.group })));
  const seen = new Map<string, number>();
  ids.forEach((id, node) => {
    if (id === null) return;
    const { index, group } = entries[node]!;
    const key = `${group}\u0000${id}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    ctx.addIssue({
      code: 'custom', path: ['consumers', index, 'group.instance.id'],
      message: `${show(id)} is also the group.instance.id of a consumer of consumers.${first} in group ${show(group)}: the coordinator would fence one of them (FENCED_INSTANCE_ID)`,
    });
  });
}

/** The scenario schema: parse raw JSON into a complete Scenario. Prefer parseScenario. */
export const scenarioSchema = scenarioInput.transform(resolveScenario).superRefine(checkCrossFields).superRefine(checkRunSize);

// ---------------------------------------------------------------------------------------------
// Messages: one line each, the problem in words. zod's own messages name types, not keys.

/** A value as it would appear in the JSON, kept short so the message stays one line. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' && value !== null) return 'an object';
  // JSON reads 1e400 as Infinity (which JSON.stringify would print as null).
  if (typeof value === 'number' && !Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : 'a number too large to represent';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}…"` : text;
}

const TYPE_NOUNS: ReadonlyMap<string, string> = new Map([
  ['number', 'a number'], ['int', 'an integer'], ['string', 'a string'], ['boolean', 'true or false'],
  ['array', 'an array'], ['object', 'an object'],
]);

function typeMessage(expected: string, input: unknown): string {
  const noun = TYPE_NOUNS.get(expected) ?? expected;
  if (input === undefined) return `missing (expected ${noun})`;
  if (expected === 'int' && typeof input === 'number') return `${input} is not an integer`;
  return `expected ${noun}, got ${show(input)}`;
}

function tooSmallMessage(issue: { origin: string; minimum: number | bigint; inclusive?: boolean }, input: unknown): string {
  const { origin, minimum } = issue;
  if (origin === 'array') return `needs at least ${minimum} ${minimum === 1 ? 'entry' : 'entries'}`;
  if (origin === 'string') return 'must not be empty';
  return issue.inclusive === false ? `${show(input)} must be greater than ${minimum}` : `${show(input)} is less than the minimum ${minimum}`;
}

function tooBigMessage(issue: { origin: string; maximum: number | bigint; inclusive?: boolean }, input: unknown): string {
  if (issue.origin === 'array') return `has more than ${issue.maximum} entries`;
  return issue.inclusive === false ? `${show(input)} must be less than ${issue.maximum}` : `${show(input)} is greater than the maximum ${issue.maximum}`;
}

/** Levenshtein distance, for "did you mean" on a misspelt key. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(substitution, (previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key closest to a misspelt one, if any is close enough to be a likely typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

function unknownKeysMessage(keys: readonly string[], inst: unknown): string {
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  const known = shape ? Object.keys(shape) : [];
  const [first] = keys;
  const suggestion = keys.length === 1 && first !== undefined ? closestKey(first, known) : undefined;
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown key${keys.length > 1 ? 's' : ''} ${keys.map((k) => show(k)).join(', ')}${hint}`;
}

/** Our error map for zod: the problem in words, without the key (formatIssue adds the path). */
const issueMessage: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type': return typeMessage(issue.expected, issue.input);
    case 'too_small': return tooSmallMessage(issue, issue.input);
    case 'too_big': return tooBigMessage(issue, issue.input);
    case 'invalid_value': return `${show(issue.input)} is not one of ${issue.values.map(show).join(', ')}`;
    case 'unrecognized_keys': return unknownKeysMessage(issue.keys, issue.inst);
    case 'invalid_union': {
      // A discriminated union reports at the discriminator's path with the whole step as input.
      const value = issue.discriminator === undefined ? issue.input : (issue.input as Record<string, unknown> | undefined)?.[issue.discriminator];
      const options = Array.isArray(issue.options) ? issue.options.map(show).join(', ') : '';
      if (options === '') return `${show(value)} matches no allowed form`;
      return value === undefined ? `missing (expected one of ${options})` : `${show(value)} is not one of ${options}`;
    }
    default: return undefined;
  }
};

/** One line: `FILE: key.path: problem`, the path joined with dots (`producers.0.acks`). */
export function formatIssue(source: string, issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path === '' ? `${source}: ${issue.message}` : `${source}: ${path}: ${issue.message}`;
}

/**
 * Validates a raw scenario (parsed JSON) and fills in every default. `source` names the file or
 * preset in the message. Throws a UserError with one line naming the first problem.
 */
export function parseScenario(raw: unknown, source: string): Scenario {
  const result = scenarioSchema.safeParse(raw, { error: issueMessage });
  if (result.success) return result.data;
  const [first, ...rest] = result.error.issues;
  if (first === undefined) throw new UserError(`${source}: invalid scenario`);
  const more = rest.length === 0 ? '' : ` (and ${rest.length} more problem${rest.length > 1 ? 's' : ''})`;
  throw new UserError(formatIssue(source, first) + more);
}
