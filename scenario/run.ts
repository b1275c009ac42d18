// run(): one simulated run of a scenario with a seed — the safety phase with load and faults, then
// the settle phase until quiescence and the final drain (settle.ts) — judged by the checkers for
// safety and by the settle outcome for liveness. The result is DESIGN.md's `run --json` object.
import { SimAssertionError } from '../sim/errors.js';
import type { FaultStep } from '../sim/fault.js';
import type { NemesisDraw } from '../sim/nemesis.js';
import type { TraceRecord } from '../sim/trace-record.js';
import { Broker } from '../models/broker/broker.js';
import { activeController } from './active-controller.js';
import type { FinalState, HistoryOp, ReplicaState } from '../models/history/history.js';
import type { History } from '../models/history/history-log.js';
import { finalRecordsOf, type RecordBatch } from '../models/replication/records.js';
import type { AnomalyReport, AnomalyType } from '../properties/anomaly.js';
import { isAnomalyType } from '../properties/anomaly.js';
import { checkRun } from '../properties/check.js';
import { ValueTable } from '../properties/_internals/value-table.js';
import type { BuildOptions, BuiltRun } from './build.js';
import { buildRun } from './build.js';
import type { LivenessName, Scenario } from './schema.js';
import type { SettleOutcome } from './settle.js';
import { settleAndDrain } from './settle.js';

export interface RunStats {
  readonly sent: number;
  readonly acked: number;
  readonly failed: number;
  /** Sends whose outcome is unknown: send-info, or never completed by the end. */
  readonly indeterminate: number;
  readonly ackLatencyMs: { readonly p50: number; readonly p99: number };
  /** Simulated ms of the load phase in 100 ms slots where no send was acknowledged. */
  readonly unavailableMs: number;
  /** fsyncs completed on every node's disk over the whole run (atomic replaces included): the durability cost. */
  readonly fsyncs: number;
}

export interface RunResult {
  readonly scenario: string;
  readonly seed: number;
  /** No anomaly outside the scenario's allowedAnomalies, and no liveness failure it does not allow. */
  readonly ok: boolean;
  readonly anomalies: readonly AnomalyReport[];
  readonly unexpected: readonly AnomalyType[];
  readonly traceHash: string;
  readonly events: number;
  readonly simulatedMs: number;
  readonly faults: number;
  /**
   * What the random nemesis drew for this seed (swarm testing: the kinds in play with each one's
   * mean interval, and the targets); null for a script or no faults.
   */
  readonly nemesis: NemesisDraw | null;
  readonly stats: RunStats;
  /** The settle phase and the final drain (docs/settle.md). */
  readonly settle: SettleState;
  /** Liveness failures, apart from the anomalies (which are safety findings): not settled, or a vacuous run. */
  readonly liveness: readonly LivenessReport[];
}

export interface SettleState {
  /** Quiescent within the cap, and the final drain read every partition to its high watermark within its bound. */
  readonly settled: boolean;
  /**
   * What is stuck, one line each ("g1 p0: k1 at offset 100 < HW 300 (since 71.3 s; cap 268.5 s)",
   * "p1: 3 sends outstanding", "drain: p0: read to offset 120 of HW 300"); empty when settled.
   */
  readonly problems: readonly string[];
  /** The settle phase's cap: the scenario's settleMs, or the one derived from its timeouts. */
  readonly capMs: number;
  /** When the settle phase began: the end of the load phase (simulated ms from the start). */
  readonly startedAtMs: number;
  /** When the system was first found quiescent (checked every 100 ms); null when not within the cap. */
  readonly quiescentAtMs: number | null;
  readonly drain: {
    /** Records the final drain polled. */
    readonly records: number;
    /** When it had read up to every data partition's high watermark; null when not within its bound. */
    readonly doneAtMs: number | null;
  };
}

/** One liveness failure: its name (LIVENESS_NAMES), what it is about, and whether the scenario allows it. */
export interface LivenessReport {
  readonly type: LivenessName;
  readonly allowed: boolean;
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

/** How often the load phase reports progress, in simulated time. */
const PROGRESS_SLICE_US = 1_000_000;

/** A simulated run: the built world after the load phase, the settle phase and the drain. */
export interface SimulatedRun extends BuiltRun {
  readonly settle: SettleOutcome;
}

/**
 * The simulation alone: the load phase with faults, then the settle phase until quiescence (or its
 * cap) and the final drain. Throws SimAssertionError for a ksim bug (exit code 3), a runaway event
 * count included.
 */
export function simulate(scenario: Scenario, seed: number, options: RunOptions = {}): SimulatedRun {
  const built = buildRun(scenario, seed, options);
  const { world } = built;
  const describe = (message: string) => `${message} (scenario ${scenario.name}, seed ${seed})`;
  built.faults.schedule();
  world.start();
  const { onProgress } = options;
  // With a progress display the load phase runs in slices of a simulated second: runUntil(t) only
  // moves the clock to t between events, so the run is the same event for event.
  const sliceUs = onProgress === undefined ? built.durationUs : PROGRESS_SLICE_US;
  for (let untilUs = Math.min(sliceUs, built.durationUs); ; untilUs = Math.min(untilUs + sliceUs, built.durationUs)) {
    if (world.runUntil(untilUs) !== 'ok') {
      throw new SimAssertionError(describe(`event budget exhausted after ${world.eventsRun} events`), null, world.now());
    }
    onProgress?.({ phase: 'load', simulatedUs: untilUs, durationUs: built.durationUs });
    if (untilUs >= built.durationUs) break;
  }
  const settleProgress = onProgress === undefined
    ? undefined
    : (simulatedUs: number) => onProgress({ phase: 'settle', simulatedUs, durationUs: built.durationUs });
  return { ...built, settle: settleAndDrain(built, describe, settleProgress) };
}

/** Runs a scenario with a seed and judges it. Throws SimAssertionError for a ksim bug (exit code 3). */
export function runScenario(scenario: Scenario, seed: number, options: RunOptions = {}): RunOutput {
  const ran = simulateToJudge(scenario, seed, options);
  // The world is garbage from here on: what follows allocates where it was, not on top of it.
  const stats = { ...runStats(ran.history, ran.durationUs), fsyncs: ran.fsyncs };
  const liveness = ran.liveness(stats);
  // The drain reads every data partition, so a committed record no read returned is judged (unseen)
  // whether or not the scenario has consumers.
  const allowed = scenario.allowedAnomalies.filter(isAnomalyType);
  const outcome = checkRun(ran.history, ran.final, { consumers: true, allowed });
  const result: RunResult = {
    scenario: scenario.name, seed, ok: outcome.ok && liveness.every((r) => r.allowed), anomalies: outcome.anomalies,
    unexpected: outcome.unexpected.map((a) => a.type),
    traceHash: ran.traceHash, events: ran.events, simulatedMs: ran.simulatedMs,
    faults: ran.plan.length, nemesis: ran.nemesis, stats, settle: ran.settle, liveness,
  };
  return { result, history: ran.history, final: ran.final, plan: ran.plan, trace: ran.trace };
}

/**
 * The simulation and everything the result takes from the world, but not the world itself: once
 * this returns, the actors, their logs and disks are garbage, so the checkers' memory comes on top
 * of the history and the final states alone, not on top of every batch the run kept.
 */
function simulateToJudge(scenario: Scenario, seed: number, options: RunOptions) {
  const run = simulate(scenario, seed, options);
  const { world, history, durationUs } = run;
  const final = finalState(run);
  const settle = settleState(run.settle);
  const facts = livenessFacts(run);
  return {
    history, final, settle, durationUs,
    liveness: (stats: RunStats) => livenessReports(scenario, facts, history, settle, stats, final),
    plan: run.faults.steps(), nemesis: run.faults.draw,
    fsyncs: world.diskFsyncs(),
    traceHash: world.trace.hash(), events: world.trace.events, simulatedMs: Math.round(world.now() / 1000),
    trace: world.trace.records,
  };
}

/** What the brokers and the controller hold at the end; a broker still down is read from its disk. */
export function finalState(built: BuiltRun): FinalState {
  const { world, layout } = built;
  const controller = activeController(world, layout);
  // Data partitions only: the internal offsets partition is no topic the checkers judge.
  const isData = (partition: number) => partition < layout.dataPartitions;
  const partitions = controller !== null ? controller.partitionStates().filter((p) => isData(p.partition)) : [];
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

/** The settle outcome in the result's units (ms). */
export function settleState(outcome: SettleOutcome): SettleState {
  const ms = (us: number | null) => (us === null ? null : Math.round(us / 1000));
  return {
    settled: outcome.quiescentAtUs !== null && outcome.drainDoneAtUs !== null,
    problems: outcome.problems,
    capMs: Math.round(outcome.capUs / 1000),
    startedAtMs: Math.round(outcome.startUs / 1000),
    quiescentAtMs: ms(outcome.quiescentAtUs),
    drain: { records: outcome.drainRecords, doneAtMs: ms(outcome.drainDoneAtUs) },
  };
}

/** What the liveness reports need of a run's world: counts and names, not the actors. */
interface LivenessFacts {
  readonly producers: number;
  readonly consumers: number;
  readonly drain: string;
}

function livenessFacts(run: SimulatedRun): LivenessFacts {
  return { producers: run.producers.length, consumers: run.groups.reduce((n, g) => n + g.consumers.length, 0), drain: run.drain };
}

/** Not settled; producers that sent nothing; consumers that polled nothing (a vacuous pass otherwise). */
function livenessReports(scenario: Scenario, facts: LivenessFacts, history: History, settle: SettleState, stats: RunStats, final: FinalState): LivenessReport[] {
  const allowed = new Set<string>(scenario.allowedAnomalies);
  const reports: LivenessReport[] = [];
  const report = (type: LivenessName, problems: readonly string[]) => reports.push({ type, allowed: allowed.has(type), problems });
  if (!settle.settled) report('not-settled', settle.problems);
  const { producers, consumers, drain } = facts;
  if (producers > 0 && stats.sent === 0) {
    report('nothing-sent', [`${producers} producer${producers === 1 ? '' : 's'} configured, no value sent`]);
  }
  if (consumers > 0 && !groupsPolled(history, drain) && hadRecordsToRead(history, drain, final)) {
    report('nothing-polled', [`${consumers} consumer${consumers === 1 ? '' : 's'} configured, none polled a record`]);
  }
  return reports;
}

/**
 * Is polling nothing a vacuous run? Yes when the log is empty (nothing could be judged) or when the
 * consumers could have read something. They could not when the last position each consumer took by
 * auto.offset.reset on a partition lies at or past its final high watermark: a group that starts at
 * `latest` after the last record (or, having committed nothing, restarts there after a crash) has
 * nothing to read, as in Kafka. Without such a reset (never assigned, or positioned otherwise) they
 * could.
 */
function hadRecordsToRead(history: History, drain: string, final: FinalState): boolean {
  const highWatermarks = new Map<number, number>();
  for (const r of final.replicas) if (r.isLeader) highWatermarks.set(r.partition, r.highWatermark);
  if ([...highWatermarks.values()].every((hw) => hw === 0)) return true;
  const lastReset = new Map<string, Extract<HistoryOp, { kind: 'reset' }>>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'reset' || history.process(i) === drain) continue;
    const op = history.at(i) as Extract<HistoryOp, { kind: 'reset' }>;
    lastReset.set(`${op.process}\u0000${op.partition}`, op);
  }
  if (lastReset.size === 0) return true;
  for (const op of lastReset.values()) if (op.to < (highWatermarks.get(op.partition) ?? Infinity)) return true;
  return false;
}

/** Did any process but the drain poll a record? */
function groupsPolled(history: History, drain: string): boolean {
  for (const i of history.objectRows()) {
    if (history.kind(i) === 'poll' && history.process(i) !== drain && history.recordsEnd(i) > history.recordsStart(i)) return true;
  }
  return false;
}

/** The q-quantile of ascending latencies in µs, as ms with two decimals. */
export function percentileOfSorted(sorted: ArrayLike<number>, q: number): number {
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! / 10) / 100;
}

export function runStats(history: History, durationUs: number): Omit<RunStats, 'fsyncs'> {
  // Invoke times by value in typed arrays, not a Map: a long run sends millions of values.
  const invoked = new ValueTable(history.length);
  let oks = 0;
  for (let i = 0; i < history.length; i++) if (history.kind(i) === 'send-ok') oks++;
  const latencies = new Float64Array(oks);
  let n = 0;
  const slots = new Uint8Array(Math.max(1, Math.ceil(durationUs / 100_000)));
  let sent = 0, acked = 0, failed = 0;
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-invoke') {
      const value = history.value(i);
      if (Number.isNaN(invoked.get(value))) sent++;
      invoked.set(value, history.time(i));
    } else if (kind === 'send-ok') {
      acked++;
      const t = history.time(i);
      const start = invoked.get(history.value(i));
      if (!Number.isNaN(start)) latencies[n++] = t - start;
      const slot = Math.floor(t / 100_000);
      if (slot < slots.length) slots[slot] = 1;
    } else if (kind === 'send-fail') failed++;
  }
  const sorted = latencies.subarray(0, n).sort(); // a typed array sorts by value
  const pct = (q: number) => n === 0 ? 0 : percentileOfSorted(sorted, q);
  let unavailable = 0;
  // The first slot has no acks yet by construction (clients start up): count from the first ack.
  const firstAck = slots.indexOf(1);
  for (let i = Math.max(0, firstAck); i < slots.length; i++) if (slots[i] === 0) unavailable++;
  return {
    sent, acked, failed, indeterminate: sent - acked - failed,
    ackLatencyMs: { p50: pct(0.5), p99: pct(0.99) },
    unavailableMs: firstAck < 0 ? Math.round(durationUs / 1000) : unavailable * 100,
  };
}
