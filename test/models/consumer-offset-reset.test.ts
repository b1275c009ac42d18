// auto.offset.reset at a group's start: the producer writes from t=0, the group's first assignment
// comes about 3 s later (group.initial.rebalance.delay.ms) with nothing committed. earliest starts
// at the log start, latest (Kafka's default) at the high watermark (what was written before is
// skipped by design), none never starts: every poll throws NoOffsetForPartitionException. Each
// start is a 'reset' in the history, from no position (null) to exactly where the consumer reads.
import { describe, expect, test } from 'vitest';
import type { RunOutput } from '../../scenario/run.js';
import { ops, run, traced } from './clients-harness.js';

function groupStart(reset?: string): RunOutput {
  const consumer = { commit: 'after-process', ...(reset === undefined ? {} : { 'auto.offset.reset': reset }) };
  return run({ durationMs: 8000, settleMs: 4000, topic: { partitions: 2 }, consumers: [consumer], faults: { mode: 'none' } });
}

/** The first offset k1 polled of each partition. */
function firstPolled(out: RunOutput): Map<number, number> {
  const first = new Map<number, number>();
  for (const poll of ops(out, 'poll', 'k1')) for (const r of poll.records) if (!first.has(r.partition)) first.set(r.partition, r.offset);
  return first;
}

describe('auto.offset.reset when the group has no committed offset', () => {
  test('earliest: each partition from offset 0', () => {
    const out = groupStart('earliest');
    const resets = ops(out, 'reset', 'k1');
    expect(resets.map(({ partition, from, to, reason }) => ({ partition, from, to, reason })).sort((a, b) => a.partition - b.partition)).toEqual([
      { partition: 0, from: null, to: 0, reason: 'no-offset' },
      { partition: 1, from: null, to: 0, reason: 'no-offset' },
    ]);
    const [assign] = ops(out, 'assign', 'k1');
    for (const r of resets) expect(r.t).toBeGreaterThan(assign!.t);
    expect([...firstPolled(out)].sort()).toEqual([[0, 0], [1, 0]]);
    expect(out.result.anomalies).toEqual([]);
  });

  test('latest (the default): each partition from its high watermark at the start; earlier records are skipped', () => {
    const out = groupStart();
    const resets = ops(out, 'reset', 'k1');
    expect(resets).toHaveLength(2);
    const first = firstPolled(out);
    for (const r of resets) {
      expect(r).toMatchObject({ from: null, reason: 'no-offset' });
      // Records were committed before the group started: the high watermark is past them.
      const committedBefore = ops(out, 'hw-advance').filter((h) => h.partition === r.partition && h.t <= r.t).flatMap((h) => h.records);
      expect(r.to).toBeGreaterThan(0);
      expect(r.to).toBeLessThanOrEqual(committedBefore.length);
      expect(r.to).toBeGreaterThan(committedBefore.length - 5);
      // Nothing below the reset is ever polled; reading starts exactly there.
      expect(first.get(r.partition)).toBe(r.to);
    }
  });

  test('none: no position, so every poll throws NoOffsetForPartitionException; the member stays in its group', () => {
    const out = groupStart('none');
    expect(ops(out, 'assign', 'k1')).toHaveLength(1);
    expect(ops(out, 'reset', 'k1')).toEqual([]);
    expect(ops(out, 'poll', 'k1')).toEqual([]);
    const [error] = traced(out, 'consumer-error', 'k1');
    expect(error).toMatchObject({ error: 'NoOffsetForPartitionException', position: -1 });
    const pollErrors = traced(out, 'poll-error', 'k1');
    // From the assignment (~3 s) to the end (12 s), about one a second (the application's retry).
    expect(pollErrors.length).toBeGreaterThanOrEqual(8);
    expect(pollErrors.length).toBeLessThanOrEqual(10);
    expect(pollErrors[0]!.t).toBe(error!.t);
  });

  test('a committed offset wins over the policy: a restarted consumer resumes from it with no reset', () => {
    const out = run({
      // The restarted member waits for its old self's session to end (6 s) before it is assigned again.
      durationMs: 10000, settleMs: 10000, consumers: [{ commit: 'after-process', 'session.timeout.ms': 6000 }],
      faults: { mode: 'script', steps: [{ atMs: 6000, fault: 'crash', node: 'k1' }, { atMs: 6500, fault: 'restart', node: 'k1' }] },
    });
    const resets = ops(out, 'reset', 'k1');
    expect(resets).toHaveLength(1);
    expect(resets[0]!.t).toBeLessThan(6_000_000);
    const commits = ops(out, 'commit-ok', 'k1').filter((c) => c.t < 6_000_000);
    const committed = commits[commits.length - 1]!.offsets[0]!.offset;
    const firstAfterRestart = ops(out, 'poll', 'k1').find((p) => p.t > 6_500_000)!;
    expect(firstAfterRestart.records[0]!.offset).toBe(committed);
  });
});
