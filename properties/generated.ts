// Generated scenarios inside the safe envelope, with Kafka's own defaults and ranges: the honest test
// of ksim's verdicts (issue #16). Where `safeScenarioWith` in arbitraries.ts keeps runs short for unit
// tests, these are scenarios as a user would write them: 3–6 brokers, 1–4 partitions, RF 3–5, none,
// one or two consumer groups of 1–3 members (dynamic or static, reading from the earliest or latest
// offset), group session timeouts across Kafka's allowed range (6 s – 5 min, mostly the default),
// Kafka's producer and broker timeouts with an occasional shorter one a user might set, every fault
// kind but correlated power loss without fsync (power loss only where every write is fsynced),
// random faults (swarm or not, at any count or role target) or scripted ones, and no settleMs: the settle cap is derived from the scenario's timeouts.
//
// The envelope: RF ≥ 3, acks=all, min.insync.replicas ≥ 2, unclean election off, leader-epoch
// truncation, idempotent producers, consumers that commit after processing. Nothing acknowledged may
// be lost, duplicated or reordered there, and no consumer may read what was not committed: the only
// anomaly allowed is `duplicate-delivery` (at-least-once redelivery after a crash or rebalance).
import fc from 'fast-check';
import type { FaultKind } from '../sim/fault.js';
import type { AnomalyType } from './anomaly.js';
import { FAULT_TARGETS } from '../scenario/schema.js';
import { faultScript, scriptNodesOf, SAFE_FAULT_KINDS } from './arbitraries.js';

/** What the envelope allows: at-least-once redelivery, the price of committing after processing. */
export const GENERATED_ALLOWED: readonly AnomalyType[] = ['duplicate-delivery'];

export interface GeneratedOptions {
  /** Load phase, ms. Default 10–60 s. */
  readonly durationMs?: { readonly min: number; readonly max: number };
  /** Upper bound on messagesPerSec per producer. Default 500. */
  readonly maxRate?: number;
}

/** Scenario JSON as a user writes it: only the keys a generated scenario sets. */
export type GeneratedScenario = Readonly<Record<string, unknown>>;

/** A Kafka default most of the time, now and then a value a user might choose instead. */
function mostly<T>(kafkaDefault: T, ...others: T[]): fc.Arbitrary<T> {
  return fc.oneof({ weight: 3, arbitrary: fc.constant(kafkaDefault) }, { weight: 1, arbitrary: fc.constantFrom(...others) });
}

function clusterArb(): fc.Arbitrary<{ brokers: number; partitions: number; rf: number; minIsr: number; broker: Record<string, unknown>; fsyncEveryWrite: boolean }> {
  return fc.integer({ min: 3, max: 6 }).chain((brokers) =>
    fc.integer({ min: 3, max: Math.min(brokers, 5) }).chain((rf) =>
      fc.record({
        brokers: fc.constant(brokers),
        partitions: fc.integer({ min: 1, max: 4 }),
        rf: fc.constant(rf),
        // The offsets partition has RF min(3, brokers) and the same min ISR: above 3 no group could commit.
        minIsr: fc.integer({ min: 2, max: Math.min(rf, 3) }),
        lagMs: mostly(30000, 10000, 5000),
        sessionMs: mostly(9000, 6000, 18000),
        fetchWaitMs: mostly(500, 100),
        elr: fc.boolean(),
        fsyncEveryWrite: fc.boolean(),
      }).map((c) => ({
        brokers: c.brokers, partitions: c.partitions, rf: c.rf, minIsr: c.minIsr, fsyncEveryWrite: c.fsyncEveryWrite,
        broker: {
          'min.insync.replicas': c.minIsr,
          'unclean.leader.election.enable': false,
          'replica.lag.time.max.ms': c.lagMs,
          'replica.fetch.wait.max.ms': c.fetchWaitMs,
          'broker.session.timeout.ms': c.sessionMs,
          'eligible.leader.replicas.enable': c.elr,
          ...(c.fsyncEveryWrite ? { 'flush.messages': 1 } : {}),
        },
      }))));
}

function producerArb(maxRate: number): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    count: fc.integer({ min: 1, max: 2 }),
    inFlight: fc.integer({ min: 1, max: 5 }),
    requestTimeoutMs: mostly(30000, 5000, 10000),
    lingerMs: mostly(5, 0, 50),
    messagesPerSec: fc.integer({ min: 10, max: maxRate }),
  }).map((p) => ({
    count: p.count, acks: 'all', 'enable.idempotence': true,
    'max.in.flight.requests.per.connection': p.inFlight,
    'request.timeout.ms': p.requestTimeoutMs,
    // Kafka requires delivery.timeout.ms ≥ linger.ms + request.timeout.ms.
    'delivery.timeout.ms': Math.max(120000, p.requestTimeoutMs + p.lingerMs),
    'linger.ms': p.lingerMs,
    messagesPerSec: p.messagesPerSec,
  }));
}

function consumerArb(group: string): fc.Arbitrary<Record<string, unknown>> {
  return fc.record({
    count: fc.integer({ min: 1, max: 3 }),
    // group.min.session.timeout.ms (6 s) … group.max.session.timeout.ms (30 min); mostly the default.
    sessionMs: fc.oneof({ weight: 4, arbitrary: fc.constant(45000) }, { weight: 3, arbitrary: fc.constantFrom(6000, 10000, 30000) }, { weight: 1, arbitrary: fc.constantFrom(120000, 300000) }),
    maxPollMs: mostly(300000, 60000),
    processingMs: fc.constantFrom(0, 0.1, 1),
    reset: mostly('latest', 'earliest'),
    static: fc.boolean(),
  }).map((k) => ({
    group, count: k.count, commit: 'after-process', 'auto.offset.reset': k.reset,
    ...(k.static ? { 'group.instance.id': `${group}-member` } : {}),
    'session.timeout.ms': k.sessionMs, 'max.poll.interval.ms': k.maxPollMs, processingMs: k.processingMs,
  }));
}

/** Fault kinds: the safe ones, and power loss where every write is fsynced (so none is correlated loss). */
function kindsOf(fsyncEveryWrite: boolean): readonly FaultKind[] {
  return fsyncEveryWrite ? [...SAFE_FAULT_KINDS, 'power-loss'] : SAFE_FAULT_KINDS;
}

function faultsArb(kinds: readonly FaultKind[], counts: Parameters<typeof scriptNodesOf>[0], durationMs: number): fc.Arbitrary<Record<string, unknown>> {
  const random = fc.record({
    kinds: fc.subarray([...kinds], { minLength: 1 }),
    meanIntervalMs: fc.integer({ min: 1000, max: 10000 }),
    // Counts and roles (a partition's leader, followers, ISR, the controller), one or several.
    targets: fc.oneof(fc.constantFrom(...FAULT_TARGETS), fc.subarray([...FAULT_TARGETS], { minLength: 1 })),
    // Mostly swarm testing, the default; sometimes every kind and target at the configured rate.
    swarm: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  }).map((r) => ({ mode: 'random', ...r }));
  const script = faultScript(scriptNodesOf(counts), { durationMs, kinds, maxEpisodes: 6 }).map((steps) => ({ mode: 'script', steps }));
  return fc.oneof({ weight: 3, arbitrary: random }, { weight: 2, arbitrary: script }, { weight: 1, arbitrary: fc.constant({ mode: 'none' }) });
}

/** Whole scenarios in the safe envelope, with Kafka's defaults and ranges (see the file's header). */
export function generatedSafeScenario(opts: GeneratedOptions = {}): fc.Arbitrary<GeneratedScenario> {
  const duration = opts.durationMs ?? { min: 10_000, max: 60_000 };
  return fc.record({
    cluster: clusterArb(),
    durationMs: fc.integer(duration),
    producers: fc.array(producerArb(opts.maxRate ?? 500), { minLength: 1, maxLength: 2 }),
    consumers: fc.oneof(
      fc.constant<Record<string, unknown>[]>([]),
      consumerArb('g1').map((k) => [k]),
      fc.tuple(consumerArb('g1'), consumerArb('g2')).map(([a, b]) => [a, b]),
    ),
  }).chain((s) => {
    const counts = {
      brokers: s.cluster.brokers,
      producers: s.producers.map((p) => ({ count: p['count'] as number })),
      consumers: s.consumers.map((k) => ({ count: k['count'] as number })),
    };
    return faultsArb(kindsOf(s.cluster.fsyncEveryWrite), counts, s.durationMs).map((faults): GeneratedScenario => ({
      name: 'generated-safe',
      durationMs: s.durationMs,
      brokers: s.cluster.brokers,
      topic: { partitions: s.cluster.partitions, replicationFactor: s.cluster.rf },
      broker: s.cluster.broker,
      protocol: { truncation: 'leader-epoch' },
      producers: s.producers,
      consumers: s.consumers,
      faults,
      allowedAnomalies: [...GENERATED_ALLOWED],
    }));
  });
}

/** `count` scenarios drawn from the arbitrary with a fixed fast-check seed: the same list every time. */
export function sampleGenerated(count: number, seed: number, opts: GeneratedOptions = {}): GeneratedScenario[] {
  return fc.sample(generatedSafeScenario(opts), { seed, numRuns: count });
}
