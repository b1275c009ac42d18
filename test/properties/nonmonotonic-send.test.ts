import { describe, expect, it } from 'vitest';
import { history, runChecker, settled, v } from './builders.js';

describe('nonmonotonic-send', () => {
  it('reports a later-invoked send acknowledged below the send before it', () => {
    const ops = history()
      .invoke('p0', v(1)).invoke('p0', v(2)).invoke('p0', v(3))
      .ok('p0', v(2), 0).ok('p0', v(3), 1).ok('p0', v(1), 2)
      .build();
    const report = runChecker('nonmonotonic-send', ops, settled([v(2), v(3), v(1)]));
    // v1 → v2 went back; v2 → v3 went forward again: one reordering, one case (as Jepsen counts).
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      producer: 'p0', partition: 0,
      earlier: { value: v(1), label: 'p0:1', offset: 2, landedBy: 'ack' },
      later: { value: v(2), offset: 0, landedBy: 'ack' },
    });
  });

  it('compares each send with the previous landed one, not the highest so far', () => {
    // One early send far ahead (a truncated acknowledgement, say): one case, not one per later send.
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 9).send('p0', v(3), 1).send('p0', v(4), 2).send('p0', v(5), 3).build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))?.count).toBe(1);
    const twice = history().send('p0', v(1), 5).send('p0', v(2), 3).send('p0', v(3), 6).send('p0', v(4), 4).build();
    expect(runChecker('nonmonotonic-send', twice, settled([]))?.count).toBe(2);
  });

  it('does not flag two sends at the same offset: that is inconsistent-offsets, not a reordering', () => {
    const ops = history().send('p0', v(1), 4).send('p0', v(2), 4).build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))).toBeNull();
    expect(runChecker('inconsistent-offsets', ops, settled([]))?.count).toBe(1);
  });

  it('takes a value acknowledged twice as landed where it was first acknowledged', () => {
    const ops = history().invoke('p0', v(1)).ok('p0', v(1), 5).ok('p0', v(1), 1).send('p0', v(2), 3).build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))?.examples[0]).toMatchObject({ earlier: { offset: 5 }, later: { offset: 3 } });
  });

  it('passes acknowledgements arriving out of order at increasing offsets', () => {
    const ops = history().invoke('p0', v(1)).invoke('p0', v(2)).ok('p0', v(2), 1).ok('p0', v(1), 0).build();
    expect(runChecker('nonmonotonic-send', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('ignores unread unknown-outcome sends and keeps producers and partitions apart', () => {
    const ops = history()
      .invoke('p0', v(1)).ok('p0', v(1), 5)
      .invoke('p0', v(2)).info('p0', v(2))
      .invoke('p1', v(1, 1)).ok('p1', v(1, 1), 0)
      .invoke('p0', v(3), 1).ok('p0', v(3), 0, 1)
      .invoke('p0', v(4)).ok('p0', v(4), 6)
      .build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))).toBeNull();
  });

  describe('unknown-outcome sends are ordered by the offsets polls revealed', () => {
    it('reports an unknown-outcome send a poll found below the send before it', () => {
      const ops = history()
        .invoke('p0', v(1)).invoke('p0', v(2))
        .ok('p0', v(1), 7).info('p0', v(2))
        .poll('k1', [[3, v(2)]])
        .build();
      const report = runChecker('nonmonotonic-send', ops, settled([]));
      expect(report?.count).toBe(1);
      expect(report?.examples[0]).toMatchObject({ earlier: { value: v(1), offset: 7, landedBy: 'ack' }, later: { value: v(2), offset: 3, landedBy: 'poll' } });
    });

    it('orders a send with no outcome at all by its read too, and an acknowledged send after it', () => {
      const ops = history().invoke('p0', v(1)).invoke('p0', v(2)).poll('k1', [[8, v(1)]]).ok('p0', v(2), 2).build();
      expect(runChecker('nonmonotonic-send', ops, settled([]))?.examples[0]).toMatchObject({
        earlier: { value: v(1), offset: 8, landedBy: 'poll' }, later: { value: v(2), offset: 2, landedBy: 'ack' },
      });
    });

    it('passes unknown-outcome sends read in order, and uses the lowest offset a value was read at', () => {
      const ops = history()
        .invoke('p0', v(1)).invoke('p0', v(2)).invoke('p0', v(3))
        .info('p0', v(1)).info('p0', v(2)).ok('p0', v(3), 9)
        .poll('k1', [[4, v(1)], [5, v(2)]]).poll('k2', [[10, v(1)]])
        .build();
      expect(runChecker('nonmonotonic-send', ops, settled([]))).toBeNull();
    });

    it('does not order a failed send by a read of it (that is an aborted read), nor a read in another partition', () => {
      const failed = history().invoke('p0', v(1)).invoke('p0', v(2)).ok('p0', v(1), 7).fail('p0', v(2)).poll('k1', [[3, v(2)]]).build();
      expect(runChecker('nonmonotonic-send', failed, settled([]))).toBeNull();
      const elsewhere = history().invoke('p0', v(1)).invoke('p0', v(2)).ok('p0', v(1), 7).info('p0', v(2)).poll('k1', [[3, v(2)]], 1).build();
      expect(runChecker('nonmonotonic-send', elsewhere, settled([]))).toBeNull();
    });

    it('prefers the acknowledged offset to a read of the same value elsewhere', () => {
      const ops = history().send('p0', v(1), 1).send('p0', v(2), 5).poll('k1', [[0, v(2)]]).build();
      expect(runChecker('nonmonotonic-send', ops, settled([]))).toBeNull();
    });
  });
});
