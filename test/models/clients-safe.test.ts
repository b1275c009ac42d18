// The safe configuration under random faults: acks=all, min.insync.replicas=2, RF=3, no unclean
// election, the idempotent producer, consumers committing after processing. Partitions, crashes,
// pauses and clock skews may cost availability but never a value: nothing stands twice in a log,
// nothing acknowledged or committed is lost, every record is consumed by the end, and a record is
// processed twice only after the group handed its partition over (a rebalance or a consumer crash).
import { describe, expect, test } from 'vitest';
import type { HistoryOp } from '../../models/history/history.js';
import { valueLabel } from '../../models/history/history.js';
import { checkRun } from '../../properties/check.js';
import type { RunOutput } from '../../scenario/run.js';
import { processGenerations, run } from './clients-harness.js';

type ProcessOp = Extract<HistoryOp, { kind: 'process' }>;

const SEEDS = 30;
const SAFE = {
  durationMs: 20000, settleMs: 20000, brokers: 3,
  topic: { partitions: 2, replicationFactor: 3 },
  broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
  producers: [{ acks: 'all', 'enable.idempotence': true, 'request.timeout.ms': 3000 }],
  // earliest: every record sent before the group's first assignment is consumed too (Kafka's default,
  // latest, skips those by design, which is not what this test is about).
  consumers: [{ count: 2, commit: 'after-process', 'auto.offset.reset': 'earliest', processingMs: 2, 'session.timeout.ms': 6000, 'max.poll.interval.ms': 10000 }],
  // Random nodes (not the cluster's roles): this test is about the clients, which only count targets crash.
  faults: { mode: 'random', kinds: ['partition', 'crash', 'pause', 'clock-skew'], meanIntervalMs: 3000, targets: 'any' },
};

/**
 * Repeated processings not explained by a handover. A value processed again must be processed under
 * a later assignment than before: another generation of the group (after a rebalance, or after its
 * consumer crashed and rejoined). This is stricter than "a crash or assign of that consumer lies
 * between the two": a consumer removed while paused may finish its batch after the new owner started
 * (so no assign of its own lies between), but it did so under the older generation.
 */
function unexplainedRepeats(out: RunOutput): string[] {
  const generations = processGenerations(out.history.toArray());
  const previous = new Map<number, ProcessOp>();
  const problems: string[] = [];
  for (const [op, generation] of generations) {
    const earlier = previous.get(op.value);
    previous.set(op.value, op);
    if (generation === undefined) problems.push(`${op.process} processed ${valueLabel(op.value)} with no assignment`);
    if (earlier === undefined) continue;
    if (generation === undefined || generation === generations.get(earlier)) {
      problems.push(`${valueLabel(op.value)}: ${earlier.process}@${earlier.t} then ${op.process}@${op.t} in generation ${generation}`);
    }
  }
  return problems;
}

/**
 * Assignments that did not start from the group's commits: after an assign, the first record its
 * consumer polls from each assigned partition must not lie below an offset the group had
 * successfully committed there before the assign (commits are replicated like data, so a new
 * coordinator still has them).
 */
function resumedBelowCommitted(out: RunOutput): string[] {
  const committed = new Map<number, number>();
  const floors = new Map<string, Map<number, number>>();
  const problems: string[] = [];
  for (const op of out.history) {
    if (op.kind === 'commit-ok') for (const o of op.offsets) committed.set(o.partition, Math.max(committed.get(o.partition) ?? 0, o.offset));
    else if (op.kind === 'assign') floors.set(op.process, new Map(op.partitions.map((p) => [p, committed.get(p) ?? 0])));
    else if (op.kind === 'crash') floors.delete(op.process);
    else if (op.kind === 'poll') {
      const floor = floors.get(op.process);
      for (const r of op.records) {
        const min = floor?.get(r.partition);
        if (min === undefined) continue;
        if (r.offset < min) problems.push(`${op.process} resumed p${r.partition} at ${r.offset} below the committed ${min} (${op.t}µs)`);
        floor!.delete(r.partition);
      }
    }
  }
  return problems;
}

describe('the safe configuration under random faults', () => {
  const outs: RunOutput[] = [];

  test.each(Array.from({ length: SEEDS }, (_, i) => i + 1))('seed %i: no anomaly; a record is processed again only after a handover, and handovers resume from the commits', (seed) => {
    const out = run(SAFE, seed);
    outs.push(out);
    const outcome = checkRun(out.history, out.final, { consumers: true, allowed: ['duplicate-delivery'] });
    expect(outcome.unexpected.map((a) => `${a.type}: ${a.examples[0]?.summary ?? ''}`)).toEqual([]);
    expect(unexplainedRepeats(out)).toEqual([]);
    expect(resumedBelowCommitted(out)).toEqual([]);
  });

  test('the faults did reach the clients: consumers crashed, groups rebalanced, records were redelivered', () => {
    expect(outs).toHaveLength(SEEDS);
    const crashes = outs.flatMap((out) => out.history.toArray().filter((op) => op.kind === 'crash' && op.process.startsWith('k')));
    const rebalanced = outs.filter((out) => out.history.toArray().filter((op) => op.kind === 'assign').length > 2);
    const redelivered = outs.filter((out) => out.result.anomalies.some((a) => a.type === 'duplicate-delivery'));
    expect(crashes.length).toBeGreaterThan(0);
    expect(rebalanced.length).toBeGreaterThan(SEEDS / 4);
    expect(redelivered.length).toBeGreaterThan(0);
  });

  test('runs with consumer groups are deterministic', () => {
    expect(run(SAFE, 3).result.traceHash).toBe(outs[2]!.result.traceHash);
  });
});
