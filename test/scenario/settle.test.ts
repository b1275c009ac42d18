// The settle phase runs until the system is quiescent (or its cap), then the final drain reads every
// partition (docs/settle.md). Issue #16's first case: with Kafka's defaults, a group of two
// after-process consumers under random crashes lost nothing but reported thousands of `unseen`
// records, because a fixed 30 s settle phase ended while the group still waited out a dead member's
// session.timeout.ms.
import { describe, expect, test } from 'vitest';
import type { HistoryOp } from '../../models/history/history.js';
import { buildFinalLogs } from '../../properties/final-log.js';
import type { RunOutput } from '../../scenario/run.js';
import { runScenario } from '../../scenario/run.js';
import { buildRun } from '../../scenario/build.js';
import type { Broker } from '../../models/broker/broker.js';
import type { Controller } from '../../models/controller/controller.js';
import type { DrainReader } from '../../models/clients/drain-reader.js';
import { DRAIN_NODE } from '../../models/clients/drain-reader.js';
import { parseScenario } from '../../scenario/schema.js';

const run = (raw: unknown, seed: number): RunOutput => runScenario(parseScenario(raw, 'settle'), seed);
const ops = <K extends HistoryOp['kind']>(out: RunOutput, kind: K) =>
  out.history.toArray().filter((op): op is Extract<HistoryOp, { kind: K }> => op.kind === kind);
const types = (out: RunOutput) => out.result.anomalies.map((a) => a.type);

const ISSUE_CRASH = { consumers: [{ group: 'g1', count: 2, commit: 'after-process' }], faults: { mode: 'random', kinds: ['crash'] } };

describe("issue #16's scenarios settle and show no false unseen", () => {
  test.each([1, 2, 3, 4])('two after-process consumers under random crashes, seed %i', (seed) => {
    const out = run(ISSUE_CRASH, seed);
    expect(types(out).filter((t) => t !== 'duplicate-delivery')).toEqual([]);
    expect(out.result.settle).toMatchObject({ settled: true, problems: [], startedAtMs: 60000 });
    expect(out.result.liveness).toEqual([]);
    // The group waited out dead members' sessions (45 s): more than the old fixed 30 s phase.
    expect(out.result.settle.quiescentAtMs).toBeGreaterThan(60000);
  });

  // {} is no safe configuration (min.insync.replicas 1 with power loss loses writes; auto commit
  // redelivers), but every record in the final log must be readable and the run must settle.
  test.each([1, 2])('{} (every fault kind, every Kafka default), seed %i', (seed) => {
    const out = run({}, seed);
    expect(types(out)).not.toContain('unseen');
    expect(out.result.settle.settled).toBe(true);
    expect(out.result.liveness).toEqual([]);
  });
});

describe('the cap', () => {
  test('a cap too small for the group to lose a dead member reports not-settled and names what is stuck', () => {
    const out = run({
      durationMs: 10000, settleMs: 2000, consumers: [{ count: 2, commit: 'after-process' }],
      faults: { mode: 'script', steps: [{ atMs: 8000, fault: 'crash', node: 'k2' }] },
    }, 1);
    expect(out.result.ok).toBe(false);
    expect(out.result.settle).toMatchObject({ settled: false, capMs: 2000, quiescentAtMs: null });
    expect(out.result.liveness).toEqual([{ type: 'not-settled', allowed: false, problems: out.result.settle.problems }]);
    expect(out.result.settle.problems.join('\n')).toMatch(/^g1: k2's old member k2-\w+ still in the group: waiting for its session timeout \(since 10\.0 s\)$/m);
    // The drain still read the log: what the group did not process is not "unseen".
    expect(out.result.settle.drain.doneAtMs).not.toBeNull();
    expect(types(out)).not.toContain('unseen');
  });

  test('the same run with the derived cap settles once the dead member expired', () => {
    const out = run({
      durationMs: 10000, consumers: [{ count: 2, commit: 'after-process' }],
      faults: { mode: 'script', steps: [{ atMs: 8000, fault: 'crash', node: 'k2' }] },
    }, 1);
    expect(out.result.ok).toBe(true);
    // k2's old member was last heard from shortly before 8 s; its 45 s session ends after 50 s.
    expect(out.result.settle.quiescentAtMs).toBeGreaterThan(50000);
  });

  test('sends still outstanding at the cap are named per producer', () => {
    const out = run({
      durationMs: 10000, settleMs: 0, consumers: [], producers: [{ count: 2 }],
      faults: { mode: 'script', steps: [{ atMs: 9000, fault: 'partition', isolate: ['b1'] }] },
    }, 1);
    expect(out.result.settle.settled).toBe(false);
    expect(out.result.settle.problems.join('\n')).toMatch(/^p1: \d+ sends outstanding \(since 10\.0 s\)$/m);
  });

  test('allowedAnomalies may allow not-settled', () => {
    const out = run({
      durationMs: 10000, settleMs: 2000, consumers: [{ count: 2 }], allowedAnomalies: ['not-settled'],
      faults: { mode: 'script', steps: [{ atMs: 8000, fault: 'crash', node: 'k2' }] },
    }, 1);
    expect(out.result.liveness.map((r) => [r.type, r.allowed])).toEqual([['not-settled', true]]);
    expect(out.result.ok).toBe(true);
  });
});

describe('vacuous runs are liveness failures', () => {
  test('consumers configured but no producer: nothing polled', () => {
    const out = run({ durationMs: 5000, producers: [], faults: { mode: 'none' } }, 1);
    expect(out.result.liveness.map((r) => r.type)).toEqual(['nothing-polled']);
    expect(out.result.ok).toBe(false);
  });

  test('a producer that sends nothing: nothing sent (and so nothing polled)', () => {
    const out = run({ durationMs: 5000, producers: [{ messagesPerSec: 0 }], faults: { mode: 'none' } }, 1);
    expect(out.result.liveness.map((r) => r.type)).toEqual(['nothing-sent', 'nothing-polled']);
    expect(out.result.ok).toBe(false);
  });

  test('a group that starts at latest after the last record has nothing to read: no liveness failure (with earliest it reads)', () => {
    // The load ends at 1 s; the group is assigned after its 3 s initial rebalance delay.
    const latest = run({ durationMs: 1000, consumers: [{ 'auto.offset.reset': 'latest' }], faults: { mode: 'none' } }, 1);
    expect(latest.history.toArray().filter((op) => op.kind === 'poll' && op.process !== 'drain' && op.records.length > 0)).toEqual([]);
    expect(latest.history.toArray().some((op) => op.kind === 'reset' && op.reason === 'no-offset')).toBe(true);
    expect(latest.result.liveness).toEqual([]);
    const earliest = run({ durationMs: 1000, consumers: [{ 'auto.offset.reset': 'earliest' }], faults: { mode: 'none' } }, 1);
    expect(earliest.history.toArray().some((op) => op.kind === 'poll' && op.process !== 'drain' && op.records.length > 0)).toBe(true);
  });

  test('a consumer that crashes before its first poll and, with nothing committed, restarts at latest after the load has nothing to read: no liveness failure', () => {
    const steps = [{ atMs: 3500, fault: 'crash', node: 'k1' }, { atMs: 9000, fault: 'restart', node: 'k1' }];
    const out = run({
      durationMs: 8000, producers: [{ messagesPerSec: 1 }], consumers: [{ 'auto.offset.reset': 'latest' }],
      faults: { mode: 'script', steps },
    }, 1);
    const resets = out.history.toArray().filter((op) => op.kind === 'reset' && op.process === 'k1');
    expect(resets.map((op) => op.kind === 'reset' && op.reason)).toEqual(['no-offset', 'no-offset']);
    expect(out.history.toArray().filter((op) => op.kind === 'poll' && op.process === 'k1' && op.records.length > 0)).toEqual([]);
    expect(out.result.liveness).toEqual([]);
  });

  test('a run with load and consumers is not vacuous', () => {
    const out = run({ durationMs: 5000, faults: { mode: 'none' } }, 1);
    expect(out.result.liveness).toEqual([]);
  });
});

describe('the final drain', () => {
  test('reads every committed record of every partition, in order, and nothing else', () => {
    const out = run({ durationMs: 8000, topic: { partitions: 3 }, consumers: [], faults: { mode: 'random', kinds: ['crash', 'partition'], meanIntervalMs: 1500 } }, 3);
    const drained = ops(out, 'poll').filter((op) => op.process === 'drain').flatMap((op) => op.records);
    const committed = [...buildFinalLogs(out.final).values()].flatMap((log) => log.records.map((r) => ({ partition: log.partition, offset: r.offset, value: r.value })));
    expect(committed.length).toBeGreaterThan(500);
    const byPartition = (rs: readonly { partition: number; offset: number }[]) => [...rs].sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    expect(byPartition(drained.map((r) => ({ partition: r.partition, offset: r.offset, value: r.value })))).toEqual(byPartition(committed));
    expect(out.result.settle.drain.records).toBe(committed.length);
  });

  test('belongs to no group: it never processes or commits, and starts only after the settle phase', () => {
    const out = run({ durationMs: 8000, consumers: [{ count: 2, commit: 'after-process' }], faults: { mode: 'random', kinds: ['crash'], meanIntervalMs: 2000 } }, 2);
    const byDrain = out.history.toArray().filter((op) => op.process === 'drain');
    expect(byDrain.length).toBeGreaterThan(0);
    expect(new Set(byDrain.map((op) => op.kind))).toEqual(new Set(['poll']));
    const quiescentUs = (out.result.settle.quiescentAtMs ?? Infinity) * 1000;
    expect(Math.min(...byDrain.map((op) => op.t))).toBeGreaterThanOrEqual(quiescentUs);
  });

  test('reads on through a leader change: it validates its position with the new leader and finishes', () => {
    const built = buildRun(parseScenario({ durationMs: 5000, consumers: [], producers: [{ messagesPerSec: 2000 }], faults: { mode: 'none' } }, 'drain-failover'), 1);
    const { world } = built;
    world.start();
    world.runUntil(built.durationUs);
    world.settle();
    world.runUntil(built.durationUs + 3_000_000);
    const drain = world.actor(DRAIN_NODE) as DrainReader;
    const controller = world.actor('c1') as Controller;
    drain.begin();
    while (drain.recordsRead() === 0) world.runUntil(world.now() + 100);
    const before = controller.partitionStates()[0]!;
    world.applyFault({ atMs: 0, fault: 'crash', node: before.leader! });
    world.runUntil(world.now() + 20_000_000);
    const after = controller.partitionStates()[0]!;
    expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
    const hw = (world.actor(after.leader!) as Broker).replicaProgress(0)!.highWatermark;
    expect(hw).toBeGreaterThan(drain.recordsRead() - 1);
    expect(drain.states()).toEqual([{ partition: 0, state: 'fetching', position: hw }]);
  });

  test('the same seed twice gives the same trace hash, drain included', () => {
    const a = run(ISSUE_CRASH, 5).result;
    const b = run(ISSUE_CRASH, 5).result;
    expect(b.traceHash).toBe(a.traceHash);
    expect(b.settle).toEqual(a.settle);
  });
});
