// run(): one simulated run of a scenario with a seed — the safety phase with load and faults, then
// the heal-and-settle phase — judged by the checkers. The result is DESIGN.md's `run --json` object.
import { SimAssertionError } from '../sim/errors.js';
import type { FaultStep } from '../sim/fault.js';
import type { TraceRecord } from '../sim/trace-record.js';
import { Broker } from '../models/broker.js';
import { Controller } from '../models/controller.js';
import type { FinalState, ReplicaState } from '../models/history.js';
import type { History } from '../models/history-log.js';
import { finalRecordsOf, type RecordBatch } from '../models/records.js';
import type { AnomalyReport, AnomalyType } from '../properties/anomaly.js';
import { checkRun } from '../properties/check.js';
import type { BuildOptions, BuiltRun } from './build.js';
import { buildRun } from './build.js';
import type { Scenario } from './schema.js';

export interface RunStats {
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  /** Sends whose outcome is unknown: send-info, or never completed by the end. */
  readonly indeterminate: number;
  readonly ackLatencyMs: { readonly p50: number; readonly p99: number };
  /** Simulated ms of the load phase in 100 ms slots where no send was acknowledged. */
  readonly unavailableMs: number;
}

export interface RunResult {
  readonly scenario: string;
  readonly seed: number;
  /** No anomaly outside the scenario's allowedAnomalies. */
  readonly ok: boolean;
  readonly anomalies: readonly AnomalyReport[];
  readonly unexpected: readonly AnomalyType[];
  readonly traceHash: string;
  readonly events: number;
  readonly simulatedMs: number;
  readonly faults: number;
  readonly stats: RunStats;
  /** Liveness of the cluster after the settle phase (record delivery is the `unseen` anomaly's). */
  readonly settle: SettleState;
}

export interface SettleState {
  /** Every partition has a leader, and every replica on a broker that is up is in its ISR. */
  readonly settled: boolean;
  /** What is missing, one line each (e.g. "p0: no leader", "p1: ISR [b1,b2] lacks b3, which is up"). */
  readonly problems: readonly string[];
}

export interface RunOutput {
  readonly result: RunResult;
  readonly history: History;
  readonly final: FinalState;
  readonly plan: readonly FaultStep[];
  readonly trace: readonly TraceRecord[] | null;
}

export type RunOptions = BuildOptions;

/**
 * The simulation alone: the safety phase with load and faults, then heal-and-settle. Throws
 * SimAssertionError for a ksim bug (exit code 3), a runaway event count included.
 */
export function simulate(scenario: Scenario, seed: number, options: RunOptions = {}): BuiltRun {
  const built = buildRun(scenario, seed, options);
  const { world } = built;
  world.scheduleFaults(built.plan);
  world.start();
  let status = world.runUntil(built.durationUs);
  world.settle();
  if (status === 'ok') status = world.runUntil(built.endUs);
  if (status !== 'ok') {
    throw new SimAssertionError(`event budget exhausted after ${world.eventsRun} events (scenario ${scenario.name}, seed ${seed})`, null, world.now());
  }
  return built;
}

/** Runs a scenario with a seed and judges it. Throws SimAssertionError for a ksim bug (exit code 3). */
export function runScenario(scenario: Scenario, seed: number, options: RunOptions = {}): RunOutput {
  const built = simulate(scenario, seed, options);
  const { world } = built;
  const final = finalState(built);
  const outcome = checkRun(built.history, final, { consumers: scenario.consumers.length > 0, allowed: scenario.allowedAnomalies });
  const result: RunResult = {
    scenario: scenario.name, seed, ok: outcome.ok, anomalies: outcome.anomalies,
    unexpected: outcome.unexpected.map((a) => a.type),
    traceHash: world.trace.hash(), events: world.trace.events, simulatedMs: Math.round(world.now() / 1000),
    faults: built.plan.length, stats: runStats(built.history, built.durationUs), settle: settleState(built, final),
  };
  return { result, history: built.history, final, plan: built.plan, trace: world.trace.records };
}

/** What the brokers and the controller hold at the end; a broker still down is read from its disk. */
export function finalState(built: BuiltRun): FinalState {
  const { world, layout } = built;
  const controller = world.actor(layout.controller);
  // Data partitions only: the internal offsets partition is no topic the checkers judge.
  const isData = (partition: number) => partition < layout.dataPartitions;
  const partitions = controller instanceof Controller ? controller.partitionStates().filter((p) => isData(p.partition)) : [];
  const replicas: ReplicaState[] = [];
  for (const broker of layout.brokers) {
    const actor = world.actor(broker);
    if (actor instanceof Broker) { replicas.push(...actor.replicaStates().filter((r) => isData(r.partition))); continue; }
    layout.replicas.forEach((hosts, partition) => {
      if (!hosts.includes(broker) || !isData(partition)) return;
      const records = finalRecordsOf(world.diskEntries(broker, `log-${partition}`) as readonly RecordBatch[]);
      replicas.push({
        node: broker, partition, up: false, isLeader: false, leaderEpoch: -1, logStartOffset: 0,
        logEndOffset: records.length, highWatermark: 0, records,
      });
    });
  }
  return { partitions, replicas };
}

/** Did the cluster heal? A partition must have a leader and every live replica in its ISR. */
export function settleState(built: BuiltRun, final: FinalState): SettleState {
  const problems: string[] = [];
  for (const p of final.partitions) {
    if (p.leader === null) { problems.push(`p${p.partition}: no leader`); continue; }
    const missing = p.replicas.filter((b) => built.world.nodeState(b) === 'up' && !p.isr.includes(b));
    if (missing.length > 0) problems.push(`p${p.partition}: ISR [${p.isr.join(',')}] lacks ${missing.join(',')}, which ${missing.length === 1 ? 'is' : 'are'} up`);
  }
  return { settled: problems.length === 0, problems };
}

export function runStats(history: History, durationUs: number): RunStats {
  const invoked = new Map<number, number>();
  const latencies: number[] = [];
  const slots = new Uint8Array(Math.max(1, Math.ceil(durationUs / 100_000)));
  let acked = 0, failed = 0;
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-invoke') invoked.set(history.value(i), history.time(i));
    else if (kind === 'send-ok') {
      acked++;
      const t = history.time(i);
      const start = invoked.get(history.value(i));
      if (start !== undefined) latencies.push(t - start);
      const slot = Math.floor(t / 100_000);
      if (slot < slots.length) slots[slot] = 1;
    } else if (kind === 'send-fail') failed++;
  }
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => latencies.length === 0 ? 0 : Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]! / 10) / 100;
  let unavailable = 0;
  // The first slot has no acks yet by construction (clients start up): count from the first ack.
  const firstAck = slots.indexOf(1);
  for (let i = Math.max(0, firstAck); i < slots.length; i++) if (slots[i] === 0) unavailable++;
  const sent = invoked.size;
  return {
    sent, acked, failed, indeterminate: sent - acked - failed,
    ackLatencyMs: { p50: pct(0.5), p99: pct(0.99) },
    unavailableMs: firstAck < 0 ? Math.round(durationUs / 1000) : unavailable * 100,
  };
}
