import { describe, expect, it } from 'vitest';
import { finalState, runChecker, settled, settledPartition, v } from './builders.js';

describe('duplicate', () => {
  it('reports a value at two or more offsets, once per value', () => {
    const report = runChecker('duplicate', [], settled([v(1), v(2), v(1), v(3), v(1), v(2)]));
    expect(report?.count).toBe(2);
    expect(report?.examples[0]).toMatchObject({ value: v(1), label: 'p0:1', partition: 0, copies: 3, offsets: [0, 2, 4] });
    expect(report?.examples[1]).toMatchObject({ value: v(2), offsets: [1, 5] });
  });

  it('passes a log of distinct values', () => {
    expect(runChecker('duplicate', [], settled([v(1), v(2), v(3)]))).toBeNull();
  });

  it('does not count one value in two partitions (values are judged per partition)', () => {
    expect(runChecker('duplicate', [], finalState([settledPartition([v(1)], 0), settledPartition([v(1)], 1)]))).toBeNull();
  });

  it('ignores copies above the high watermark', () => {
    const final = settled([v(1), v(2)]);
    const leader = final.replicas[0];
    if (leader === undefined) throw new Error('no leader');
    const withTail = { ...final, replicas: [{ ...leader, records: [...leader.records, { offset: 2, epoch: 1, value: v(1) }], logEndOffset: 3 }] };
    expect(runChecker('duplicate', [], withTail)).toBeNull();
  });
});
