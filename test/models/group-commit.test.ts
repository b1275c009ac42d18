// Consumer groups under scripted faults (KAFKA.md anomaly 11): the commit order decides whether a
// consumer crash loses or repeats records; a consumer too slow for max.poll.interval.ms is replaced
// and its late commit refused; a coordinator crash moves the group to the next leader of the offsets
// partition, which rebuilds it from the log. Every test fails if the behaviour were different.
import { describe, expect, test } from 'vitest';
import type { RunOutput } from '../../scenario/run.js';
import type { OpOf } from './clients-harness.js';
import { committedOffset, count, ops, run, scripted, traced } from './clients-harness.js';

/**
 * One partition (led by b1); the offsets partition is led by b2. The consumer starts at ~3.2 s with
 * ~320 records waiting (auto.offset.reset=earliest: it reads them all). Its 3 s session is below the
 * broker's default minimum (6 s), so the broker's bound is lowered with it.
 */
const SHORT_SESSIONS = { 'group.min.session.timeout.ms': 3000 };
const ONE_CONSUMER = (commit: string) => ({
  durationMs: 12000, settleMs: 10000, broker: SHORT_SESSIONS,
  consumers: [{ commit, 'auto.offset.reset': 'earliest', processingMs: 10, 'session.timeout.ms': 3000, 'max.poll.interval.ms': 10000 }],
});
/** 5 s is inside the first poll's processing (3.2 s + 320 × 10 ms). */
const CRASH_WHILE_PROCESSING = [{ atMs: 5000, fault: 'crash', node: 'k1' }, { atMs: 6000, fault: 'restart', node: 'k1' }];

function before<T extends { t: number }>(list: readonly T[], t: number): T[] {
  return list.filter((op) => op.t < t);
}

function lastCommitBefore(out: RunOutput, t: number): number {
  const commits = before(ops(out, 'commit-ok', 'k1'), t);
  expect(commits.length).toBeGreaterThan(0);
  return committedOffset(commits[commits.length - 1]!, 0);
}

function lastProcessedBefore(out: RunOutput, t: number): number {
  const processed = before(ops(out, 'process', 'k1'), t);
  expect(processed.length).toBeGreaterThan(0);
  return processed[processed.length - 1]!.offset;
}

describe('commit strategies and consumer crashes', () => {
  test('before-process: a crash between commit and processing skips the uncommitted rest for good (lost-delivery)', () => {
    const out = run(scripted(ONE_CONSUMER('before-process'), CRASH_WHILE_PROCESSING));
    const committed = lastCommitBefore(out, 5_000_000);
    const processed = lastProcessedBefore(out, 5_000_000);
    // The poll's end offsets were committed before its records were processed: the crash cut that short.
    expect(committed).toBeGreaterThan(processed + 1);
    // Exactly the records between the last processed one and the commit are never processed.
    expect(count(out, 'lost-delivery')).toBe(committed - processed - 1);
    expect(count(out, 'duplicate-delivery')).toBe(0);
    // The restarted consumer resumes at the commit.
    const [assign] = ops(out, 'assign', 'k1').filter((op) => op.t > 6_000_000);
    const firstPoll = ops(out, 'poll', 'k1').find((op) => op.t > assign!.t);
    expect(firstPoll?.records[0]?.offset).toBe(committed);
    expect(out.result.unexpected).toEqual(['lost-delivery']);
  });

  test('after-process: a crash between processing and commit processes records twice (duplicate-delivery)', () => {
    const out = run(scripted(ONE_CONSUMER('after-process'), CRASH_WHILE_PROCESSING));
    const processed = lastProcessedBefore(out, 5_000_000);
    const commits = before(ops(out, 'commit-ok', 'k1'), 5_000_000);
    const committed = commits.length === 0 ? 0 : committedOffset(commits[commits.length - 1]!, 0);
    expect(processed).toBeGreaterThanOrEqual(committed);
    // Everything processed after the last commit is processed again by the restarted consumer.
    expect(count(out, 'duplicate-delivery')).toBe(processed - committed + 1);
    expect(count(out, 'lost-delivery')).toBe(0);
    const [assign] = ops(out, 'assign', 'k1').filter((op) => op.t > 6_000_000);
    const firstPoll = ops(out, 'poll', 'k1').find((op) => op.t > assign!.t);
    expect(firstPoll?.records[0]?.offset).toBe(committed);
    expect(out.result.unexpected).toEqual(['duplicate-delivery']);
  });

  test('auto commit commits the previous poll at the next poll after the interval, never ahead of processing', () => {
    const out = run(scripted({ ...ONE_CONSUMER('auto'), consumers: [{ commit: 'auto', 'auto.offset.reset': 'earliest', 'auto.commit.interval.ms': 1000, processingMs: 1, 'session.timeout.ms': 3000 }] }, []));
    const commits = ops(out, 'commit-ok', 'k1');
    // No faults: every commit sent is answered, in order.
    const sent = traced(out, 'send', 'k1').filter((r) => r['msg'] === 'offset-commit');
    expect(commits.length).toBeGreaterThan(5);
    expect(sent).toHaveLength(commits.length);
    for (let i = 1; i < sent.length; i++) expect(sent[i]!.t - sent[i - 1]!.t).toBeGreaterThanOrEqual(1_000_000);
    const processed = ops(out, 'process', 'k1');
    commits.forEach((commit, i) => {
      // Every record below the committed offset had been processed when the commit was sent.
      const offset = committedOffset(commit, 0);
      const done = processed.filter((p) => p.t <= sent[i]!.t && p.offset < offset);
      expect(done.length).toBe(offset);
    });
    expect(out.result.anomalies).toEqual([]);
  });
});

describe('max.poll.interval.ms', () => {
  // k1 processes 100 ms per record, k2 1 ms; both must poll again within 2 s.
  const SLOW_AND_FAST = {
    durationMs: 20000, settleMs: 15000, topic: { partitions: 2 },
    consumers: [
      { commit: 'after-process', 'auto.offset.reset': 'earliest', processingMs: 100, 'session.timeout.ms': 6000, 'max.poll.interval.ms': 2000 },
      { commit: 'after-process', 'auto.offset.reset': 'earliest', processingMs: 1, 'session.timeout.ms': 6000, 'max.poll.interval.ms': 2000 },
    ],
  };

  test('a consumer stuck in processing leaves; the rebalance hands its records to another, and its late commit is rejected', () => {
    const out = run(scripted(SLOW_AND_FAST, []));
    const timeout = traced(out, 'poll-timeout', 'k1')[0];
    expect(timeout).toBeDefined();
    expect(traced(out, 'leave-group', 'k1').length).toBeGreaterThan(0);
    const rejected = ops(out, 'commit-fail', 'k1')[0];
    expect(rejected).toBeDefined();
    expect(rejected!.t).toBeGreaterThan(timeout!.t);
    // Meanwhile k2 got partition 0 in a later generation.
    const takeover = ops(out, 'assign', 'k2').find((op) => op.partitions.includes(0) && op.generation > rejected!.generation && op.t < rejected!.t);
    expect(takeover).toBeDefined();
    // What k1 processed in the rejected generation was redelivered to k2.
    const k1Processed = ops(out, 'process', 'k1').filter((op) => op.partition === 0 && op.t <= rejected!.t && op.offset < committedOffset(rejected!, 0));
    expect(k1Processed.length).toBeGreaterThan(0);
    const k2Values = new Set(ops(out, 'process', 'k2').map((op) => op.value));
    for (const op of k1Processed) expect(k2Values.has(op.value)).toBe(true);
    expect(count(out, 'duplicate-delivery')).toBeGreaterThan(0);
    expect(count(out, 'lost-delivery')).toBe(0);
    expect(count(out, 'unseen')).toBe(0);
  });
});

describe('coordinator failover', () => {
  const CONSUMER = {
    durationMs: 20000, settleMs: 10000, broker: SHORT_SESSIONS,
    consumers: [{ commit: 'after-process', 'auto.offset.reset': 'earliest', processingMs: 2, 'session.timeout.ms': 3000, 'max.poll.interval.ms': 10000 }],
  };
  const COORDINATOR_CRASH = [{ atMs: 8000, fault: 'crash', node: 'b2' }, { atMs: 14000, fault: 'restart', node: 'b2' }];

  function newCoordinator(out: RunOutput): { node: string; t: number } {
    const load = traced(out, 'coordinator-load').find((r) => r.t > 8_000_000 && r.node !== 'b2');
    expect(load).toBeDefined();
    expect(load!['groups']).toBe(1);
    return { node: load!.node!, t: load!.t };
  }

  test('the group keeps its generation and members: the new coordinator read them from the offsets log', () => {
    const out = run(scripted(CONSUMER, COORDINATOR_CRASH));
    const moved = newCoordinator(out);
    // No rebalance: one assignment, and commits go on in generation 1 at the new coordinator.
    expect(ops(out, 'assign', 'k1')).toHaveLength(1);
    const later = ops(out, 'commit-ok', 'k1').filter((op) => op.t > moved.t);
    expect(later.length).toBeGreaterThan(0);
    for (const op of later) expect(op.generation).toBe(1);
    expect(count(out, 'lost-delivery')).toBe(0);
    expect(count(out, 'unseen')).toBe(0);
  });

  test('a consumer restarted after the move resumes from the offset committed through the crashed coordinator', () => {
    const out = run(scripted(CONSUMER, [...COORDINATOR_CRASH, { atMs: 11000, fault: 'crash', node: 'k1' }, { atMs: 12000, fault: 'restart', node: 'k1' }].sort((a, b) => a.atMs - b.atMs)));
    newCoordinator(out);
    const commits = ops(out, 'commit-ok', 'k1').filter((op) => op.t < 11_000_000);
    const committed = committedOffset(commits[commits.length - 1]!, 0);
    // That commit was answered by b2 before it crashed: it survives only in the replicated log.
    expect(commits[commits.length - 1]!.t).toBeLessThan(8_000_000);
    expect(committed).toBeGreaterThan(0);
    const assign = ops(out, 'assign', 'k1').find((op) => op.t > 12_000_000);
    expect(assign).toBeDefined();
    const firstPoll: OpOf<'poll'> | undefined = ops(out, 'poll', 'k1').find((op) => op.t > assign!.t);
    expect(firstPoll?.records[0]?.offset).toBe(committed);
    expect(count(out, 'lost-delivery')).toBe(0);
    expect(count(out, 'unseen')).toBe(0);
  });
});
