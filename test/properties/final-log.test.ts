import { describe, expect, it } from 'vitest';
import { buildFinalLogs, finalLogOf, offsetsOf, recordsBetween } from '../../properties/index.js';
import { finalState, replica, settledPartition, v } from './builders.js';

describe('final log', () => {
  it('is the leader log below its high watermark', () => {
    const final = finalState([{
      state: { partition: 0, leader: 'b2', leaderEpoch: 3, isr: ['b2'], replicas: ['b1', 'b2'] },
      replicas: [
        replica('b1', [v(1), v(2), v(3), v(4)]),
        replica('b2', [v(1), v(2), v(9)], { isLeader: true, highWatermark: 2 }),
      ],
    }]);
    const log = finalLogOf(buildFinalLogs(final), 0);
    expect(log.source).toBe('b2');
    expect(log.settled).toBe(true);
    expect(log.records.map((r) => r.value)).toEqual([v(1), v(2)]);
    expect(offsetsOf(log, v(9))).toEqual([]);
  });

  it('falls back to the up replica with the highest HW when nobody leads, unsettled', () => {
    const final = finalState([{
      state: { partition: 0, leader: null, leaderEpoch: 3, isr: [], replicas: ['b1', 'b2', 'b3'] },
      replicas: [
        replica('b1', [v(1), v(2), v(3)], { up: false }),
        replica('b2', [v(1)]),
        replica('b3', [v(1), v(2)]),
      ],
    }]);
    const log = finalLogOf(buildFinalLogs(final), 0);
    expect(log).toMatchObject({ source: 'b3', settled: false, highWatermark: 2 });
  });

  it('does not trust a controller leader whose replica is down or does not lead', () => {
    const final = finalState([{
      state: { partition: 0, leader: 'b1', leaderEpoch: 2, isr: ['b1'], replicas: ['b1', 'b2'] },
      replicas: [replica('b1', [v(1), v(2)], { isLeader: true, up: false }), replica('b2', [v(1)])],
    }]);
    expect(finalLogOf(buildFinalLogs(final), 0)).toMatchObject({ source: 'b2', settled: false });
  });

  it('reads a disk when every broker is down', () => {
    const final = finalState([{
      state: { partition: 0, leader: null, leaderEpoch: 2, isr: [], replicas: ['b1', 'b2'] },
      replicas: [replica('b1', [v(1)], { up: false }), replica('b2', [v(1), v(2)], { up: false })],
    }]);
    expect(finalLogOf(buildFinalLogs(final), 0)).toMatchObject({ source: 'b2', settled: false });
  });

  it('is empty and unsettled for a partition the final state lacks', () => {
    const log = finalLogOf(buildFinalLogs(finalState([settledPartition([v(1)])])), 7);
    expect(log).toMatchObject({ partition: 7, source: null, settled: false, records: [] });
  });

  it('indexes every offset of a value and finds records by offset range', () => {
    const log = finalLogOf(buildFinalLogs(finalState([settledPartition([v(1), v(2), v(1), v(3), v(1)])])), 0);
    expect(offsetsOf(log, v(1))).toEqual([0, 2, 4]);
    expect(offsetsOf(log, v(2))).toEqual([1]);
    expect(recordsBetween(log, 1, 4).map((r) => r.offset)).toEqual([1, 2, 3]);
    expect(recordsBetween(log, 4, 1)).toEqual([]);
  });

  it('finds each value at its lowest offset among many, in any order of values', () => {
    const values = Array.from({ length: 5000 }, (_, i) => v((i * 7919) % 3000, i % 3)); // repeats, out of order
    const log = finalLogOf(buildFinalLogs(finalState([settledPartition(values)])), 0);
    const expected = new Map<number, number[]>();
    values.forEach((value, offset) => expected.set(value, [...(expected.get(value) ?? []), offset]));
    for (const [value, offsets] of expected) {
      expect(offsetsOf(log, value)).toEqual(offsets);
      expect(log.firstOffset.get(value)).toBe(offsets[0]);
    }
    expect(log.firstOffset.has(v(3001)) || log.firstOffset.get(v(3001)) !== undefined).toBe(false);
    expect(log.repeatedOffsets.size).toBe([...expected.values()].filter((o) => o.length > 1).length);
  });

  it('respects logStartOffset', () => {
    const final = finalState([{
      state: { partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] },
      replicas: [replica('b1', [v(5), v(6)], { isLeader: true, logStartOffset: 10 })],
    }]);
    const log = finalLogOf(buildFinalLogs(final), 0);
    // The final log keeps the replica's record objects (with their epoch): offsets and values are what it promises.
    expect(log.records.map(({ offset, value }) => ({ offset, value }))).toEqual([{ offset: 10, value: v(5) }, { offset: 11, value: v(6) }]);
  });
});
