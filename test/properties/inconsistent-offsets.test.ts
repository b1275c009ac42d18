import { describe, expect, it } from 'vitest';
import { history, runChecker, settled, v } from './builders.js';

describe('inconsistent-offsets', () => {
  it('reports one offset read as different values, with who read what', () => {
    const ops = history()
      .poll('k1', [[0, v(1)], [1, v(2)]])
      .poll('k2', [[1, v(3)]])
      .poll('k1', [[1, v(2)]])
      .poll('k3', [[1, v(4)]])
      .build();
    const report = runChecker('inconsistent-offsets', ops, settled([]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      partition: 0, offset: 1, distinctValues: 3,
      observations: [
        { value: v(2), label: 'p0:2', source: 'poll', process: 'k1' },
        { value: v(3), source: 'poll', process: 'k2' },
        { value: v(4), source: 'poll', process: 'k3' },
      ],
    });
  });

  it('does not count the same value polled twice at one offset', () => {
    const ops = history().poll('k1', [[0, v(1)]]).assign('k1').poll('k1', [[0, v(1)]]).poll('k2', [[0, v(1)]]).build();
    expect(runChecker('inconsistent-offsets', ops, settled([v(1)]))).toBeNull();
  });

  it('keeps partitions apart', () => {
    const ops = history().poll('k1', [[0, v(1)]], 0).poll('k1', [[0, v(2)]], 1).send('p0', v(3), 0, 2).build();
    expect(runChecker('inconsistent-offsets', ops, settled([]))).toBeNull();
  });

  it('counts each inconsistent offset once', () => {
    const ops = history().poll('k1', [[0, v(1)], [1, v(2)]]).poll('k2', [[0, v(3)], [1, v(4)]]).poll('k3', [[0, v(5)]]).build();
    expect(runChecker('inconsistent-offsets', ops, settled([]))?.count).toBe(2);
  });

  describe('acknowledged sends are a source too (send-ok carries the offset)', () => {
    it('reports two acknowledged sends at one offset, with no consumer at all', () => {
      const ops = history().send('p0', v(1), 5).send('p1', v(1, 1), 5).build();
      const report = runChecker('inconsistent-offsets', ops, settled([]), { consumers: false });
      expect(report?.count).toBe(1);
      expect(report?.examples[0]).toMatchObject({
        offset: 5, distinctValues: 2,
        observations: [{ value: v(1), source: 'ack', process: 'p0' }, { value: v(1, 1), source: 'ack', process: 'p1' }],
      });
      expect(report?.examples[0]?.summary).toBe('offset 5 of partition 0 was acknowledged to p0 as p0:1 at 20µs, then acknowledged to p1 as p1:1 at 40µs');
    });

    it('reports an acknowledged offset read as another value, either way round', () => {
      const ackFirst = history().send('p0', v(1), 3).poll('k1', [[3, v(2)]]).build();
      expect(runChecker('inconsistent-offsets', ackFirst, settled([]))?.examples[0]).toMatchObject({
        observations: [{ value: v(1), source: 'ack' }, { value: v(2), source: 'poll', process: 'k1' }],
      });
      const readFirst = history().poll('k1', [[3, v(2)]]).send('p0', v(1), 3).build();
      expect(runChecker('inconsistent-offsets', readFirst, settled([]))?.count).toBe(1);
    });

    it('passes an acknowledgement and reads that agree', () => {
      const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).poll('k1', [[0, v(1)], [1, v(2)]]).poll('k2', [[1, v(2)]]).build();
      expect(runChecker('inconsistent-offsets', ops, settled([v(1), v(2)]))).toBeNull();
    });

    it('learns the offset of an unknown-outcome send from the read that proves it committed', () => {
      // p0's send of v1 timed out; k1 read it at 4, and p1's acknowledged send says 4 holds v(1, 1).
      const ops = history().invoke('p0', v(1)).info('p0', v(1)).poll('k1', [[4, v(1)]]).send('p1', v(1, 1), 4).build();
      expect(runChecker('inconsistent-offsets', ops, settled([]))?.examples[0]).toMatchObject({
        offset: 4, observations: [{ value: v(1), source: 'poll' }, { value: v(1, 1), source: 'ack' }],
      });
      // An unknown-outcome send nobody read teaches nothing: no offset, no conflict.
      const unread = history().invoke('p0', v(1)).info('p0', v(1)).send('p1', v(1, 1), 4).build();
      expect(runChecker('inconsistent-offsets', unread, settled([]))).toBeNull();
    });

    it('ignores failed sends (no offset) and keeps a stray huge offset apart from the dense ones', () => {
      const ops = history().invoke('p0', v(1)).fail('p0', v(1)).send('p0', v(2), 2 ** 40).send('p0', v(3), 0).poll('k1', [[2 ** 40, v(2)], [0, v(3)]]).build();
      expect(runChecker('inconsistent-offsets', ops, settled([]))).toBeNull();
      const clash = history().send('p0', v(2), 2 ** 40).poll('k1', [[2 ** 40, v(4)]]).build();
      expect(runChecker('inconsistent-offsets', clash, settled([]))?.examples[0]).toMatchObject({ offset: 2 ** 40 });
    });
  });
});
