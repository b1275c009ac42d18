// KIP-320 on the consumer side, under KAFKA.md's anomaly 1 as a fault script: the ISR shrinks to the
// leader b1 (its followers are cut off), a consumer keeps reading from b1 what b1 alone commits, b1
// crashes and an unclean election promotes the stale b2, which takes new writes at the offsets b1
// had used. The consumer learns of the new leader epoch, asks b2 OffsetsForLeaderEpoch for the
// epoch of the last record it read, finds the log ends below its position, and (with a reset
// policy) moves back to that divergence point and reads b2's records there; with
// auto.offset.reset=none it fails with LogTruncationException instead. Before KIP-320
// (protocol.truncation high-watermark) nothing validates: the fetch beyond b2's log end is
// OFFSET_OUT_OF_RANGE and auto.offset.reset decides.
import { describe, expect, test } from 'vitest';
import type { RunOutput } from '../../scenario/run.js';
import type { TraceRecord } from '../../sim/trace-record.js';
import type { OpOf, Raw } from './clients-harness.js';
import { ops, run, scripted, traced } from './clients-harness.js';

const UNCLEAN = {
  durationMs: 16000, settleMs: 10000,
  broker: { 'min.insync.replicas': 1, 'unclean.leader.election.enable': true, 'replica.lag.time.max.ms': 3000, 'broker.session.timeout.ms': 3000 },
  producers: [{ acks: 'all', messagesPerSec: 20, 'request.timeout.ms': 2000, 'delivery.timeout.ms': 4000 }],
};
/** k1 bridges both sides: it reads from b1 and reaches the coordinator b2 throughout. */
const ISR_SHRINKS_THEN_UNCLEAN_ELECTION = [
  { atMs: 2000, fault: 'partition', groups: [['b1', 'p1', 'c1', 'k1'], ['b2', 'b3', 'c1', 'k1']] },
  { atMs: 7000, fault: 'crash', node: 'b1' },
  { atMs: 7500, fault: 'heal' },
  { atMs: 12000, fault: 'restart', node: 'b1' },
];

function unclean(consumer: Raw, truncation = 'leader-epoch'): RunOutput {
  return run(scripted({ ...UNCLEAN, protocol: { truncation }, consumers: [{ commit: 'after-process', ...consumer }] }, ISR_SHRINKS_THEN_UNCLEAN_ELECTION));
}

/** The final leader's log: the epoch of each offset, and the first offset of its newest epoch. */
function finalLeaderLog(out: RunOutput): { values: Map<number, number>; newEpochStart: number } {
  const leader = out.final.replicas.find((r) => r.isLeader && r.partition === 0);
  expect(leader?.node).not.toBe('b1');
  const newest = Math.max(...leader!.records.map((r) => r.epoch));
  return {
    values: new Map(leader!.records.map((r) => [r.offset, r.value])),
    newEpochStart: leader!.records.find((r) => r.epoch === newest)!.offset,
  };
}

function polledOffsets(out: RunOutput, from: number, to: number): { offset: number; value: number }[] {
  return ops(out, 'poll', 'k1').filter((p) => p.t >= from && p.t < to).flatMap((p) => p.records.map((r) => ({ offset: r.offset, value: r.value })));
}

describe('KIP-320: a consumer detects the truncation of an unclean election', () => {
  test('it resets to the first offset known to diverge (recorded as a truncation reset) and reads the new leader\'s records there', () => {
    const out = unclean({ 'auto.offset.reset': 'earliest' });
    const { values, newEpochStart } = finalLeaderLog(out);
    const resets = ops(out, 'reset', 'k1');
    const truncation = resets.filter((r) => r.reason === 'truncation');
    expect(truncation).toHaveLength(1);
    const reset = truncation[0]!;
    // The divergence point is where the new leader's epoch begins: b2 holds nothing of b1's epoch beyond it.
    expect(reset.to).toBe(newEpochStart);
    // It had read past it from b1, and resets from exactly where it was.
    const before = polledOffsets(out, 0, reset.t);
    expect(reset.from).toBe(before[before.length - 1]!.offset + 1);
    expect(reset.from!).toBeGreaterThan(reset.to);
    // What it read there from b1 is gone from the final log (b1 truncated it on rejoining).
    const readFromOldLeader = before.filter((r) => r.offset >= reset.to);
    expect(readFromOldLeader.length).toBe(reset.from! - reset.to);
    for (const r of readFromOldLeader) expect(values.get(r.offset)).not.toBe(r.value);
    // After the reset it reads on from the divergence point, b2's records, contiguously.
    const after = polledOffsets(out, reset.t, Infinity);
    expect(after[0]?.offset).toBe(reset.to);
    after.forEach((r, i) => {
      expect(r.offset).toBe(reset.to + i);
      expect(r.value).toBe(values.get(r.offset));
    });
    const detected = traced(out, 'truncation-detected', 'k1');
    expect(detected).toHaveLength(1);
    expect(detected[0]).toMatchObject({ position: reset.from, endOffset: reset.to });
  });

  test('auto.offset.reset=none: LogTruncationException, traced; no reset, nothing more read, the poll throws from then on', () => {
    const out = noneTakesOver('leader-epoch');
    const { newEpochStart } = finalLeaderLog(out);
    const error = failedOnce(out, 'LogTruncationException');
    expect(error['divergentOffset']).toBe(newEpochStart);
    // The restarted k1 resumes from k2's committed offset, validates it (committed offsets carry
    // their leader epoch), and finds the same truncation.
    const k1Reset = ops(out, 'reset', 'k1').find((r) => r.reason === 'truncation');
    expect(k1Reset).toMatchObject({ to: newEpochStart });
  });
});

/**
 * A none consumer needs a committed offset to start from: k1 (earliest) consumes and commits, crashes,
 * and k2 (none) takes the partition over from k1's commit; then the unclean election, with k2 reading.
 */
function noneTakesOver(truncation: string): RunOutput {
  return run(scripted({
    ...UNCLEAN, durationMs: 26000, protocol: { truncation },
    consumers: [
      { 'auto.offset.reset': 'earliest', commit: 'after-process', 'session.timeout.ms': 6000 },
      { 'auto.offset.reset': 'none', commit: 'after-process', 'session.timeout.ms': 6000 },
    ],
  }, [
    { atMs: 5000, fault: 'crash', node: 'k1' },
    { atMs: 12000, fault: 'partition', groups: [['b1', 'p1', 'c1', 'k2'], ['b2', 'b3', 'c1', 'k2']] },
    { atMs: 17000, fault: 'crash', node: 'b1' },
    { atMs: 17500, fault: 'heal' },
    { atMs: 22000, fault: 'restart', node: 'b1' },
  ]));
}

/** k2 read from the old leader, then failed once with `error` at its position, and throws at every poll until reassigned. */
function failedOnce(out: RunOutput, error: string): TraceRecord {
  expect(ops(out, 'assign', 'k2').some((a) => a.partitions.includes(0))).toBe(true);
  const errors = traced(out, 'consumer-error', 'k2');
  expect(errors.map((r) => r['error'])).toEqual([error]);
  const failed = errors[0]!;
  const polls = ops(out, 'poll', 'k2');
  expect(polls.length).toBeGreaterThan(0);
  expect(polls[polls.length - 1]!.t).toBeLessThan(failed.t);
  expect(failed['position']).toBe(polls[polls.length - 1]!.records.at(-1)!.offset + 1);
  expect(ops(out, 'reset', 'k2')).toEqual([]);
  // Until the partition is reassigned (k1 is back in the settle phase), every poll throws.
  const reassigned = ops(out, 'assign', 'k2').find((a) => a.t > failed.t)?.t ?? Infinity;
  const pollErrors = traced(out, 'poll-error', 'k2').filter((r) => r.t < reassigned);
  expect(pollErrors.length).toBeGreaterThan(3);
  expect(pollErrors.every((r) => r['error'] === error)).toBe(true);
  return failed;
}

describe('before KIP-320 (protocol.truncation high-watermark) nothing validates the position', () => {
  function outOfRange(out: RunOutput): OpOf<'reset'> {
    expect(traced(out, 'truncation-detected')).toEqual([]);
    const resets = ops(out, 'reset', 'k1').filter((r) => r.reason !== 'no-offset');
    expect(resets.map((r) => r.reason)).toEqual(['out-of-range']);
    return resets[0]!;
  }

  test('earliest: the fetch past the new leader\'s log end is OFFSET_OUT_OF_RANGE, and the consumer starts over at 0', () => {
    const out = unclean({ 'auto.offset.reset': 'earliest' }, 'high-watermark');
    const reset = outOfRange(out);
    const before = polledOffsets(out, 0, reset.t);
    expect(reset.from).toBe(before[before.length - 1]!.offset + 1);
    expect(reset.to).toBe(0);
    expect(polledOffsets(out, reset.t, Infinity)[0]?.offset).toBe(0);
  });

  test('latest: it jumps to the new leader\'s high watermark', () => {
    const out = unclean({ 'auto.offset.reset': 'latest' }, 'high-watermark');
    const reset = outOfRange(out);
    expect(reset.to).toBeGreaterThan(0);
    expect(reset.to).toBeLessThan(reset.from!);
    expect(polledOffsets(out, reset.t, Infinity)[0]?.offset).toBe(reset.to);
  });

  test('none: OffsetOutOfRangeException, and no reset', () => {
    const out = noneTakesOver('high-watermark');
    expect(traced(out, 'truncation-detected')).toEqual([]);
    const error = failedOnce(out, 'OffsetOutOfRangeException');
    expect(error['divergentOffset']).toBe(-1);
  });
});
