import { describe, expect, it } from 'vitest';
import { history, runChecker, settled, v } from './builders.js';

describe('nonmonotonic-poll', () => {
  it('reports a consumer going backwards without a reassignment', () => {
    const ops = history().assign('k1').poll('k1', [[0, v(1)], [1, v(2)]]).poll('k1', [[2, v(3)]]).poll('k1', [[1, v(2)]]).build();
    const report = runChecker('nonmonotonic-poll', ops, settled([v(1), v(2), v(3)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      process: 'k1', partition: 0,
      previous: { offset: 2, value: v(3), label: 'p0:3' },
      current: { offset: 1, value: v(2) },
    });
  });

  it('counts re-reading the same offset', () => {
    const ops = history().poll('k1', [[0, v(1)]]).poll('k1', [[0, v(1)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(1)]))?.count).toBe(1);
  });

  it('counts a step backwards inside one poll', () => {
    const ops = history().poll('k1', [[1, v(2)], [0, v(1)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(1), v(2)]))?.count).toBe(1);
  });

  it('passes forward polls', () => {
    const ops = history().poll('k1', [[0, v(1)], [1, v(2)]]).poll('k1', [[2, v(3)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(1), v(2), v(3)]))).toBeNull();
  });

  it('lets a first assignment (or a crash of the consumer) reset the poll order', () => {
    const ops = history()
      .poll('k1', [[0, v(1)], [1, v(2)]]).assign('k1').poll('k1', [[0, v(1)]])
      .poll('k1', [[1, v(2)]]).crash('k1').poll('k1', [[0, v(1)]])
      .build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(1), v(2)]))).toBeNull();
  });

  describe('across a rebalance that keeps the partition (consecutive generations)', () => {
    const log = [v(0), v(1), v(2), v(3), v(4)];
    const readThenRebalance = (commitAt: number | null) => {
      const b = history().assign('k1', [0], 'g1', 1).poll('k1', [[0, v(0)], [1, v(1)], [2, v(2)], [3, v(3)]]);
      if (commitAt !== null) b.commit('k1', commitAt);
      return b.assign('k1', [0], 'g1', 2);
    };

    it('passes a restart at the committed offset, below the position (at-least-once redelivery)', () => {
      const ops = readThenRebalance(2).poll('k1', [[2, v(2)], [3, v(3)], [4, v(4)]]).build();
      expect(runChecker('nonmonotonic-poll', ops, settled(log))).toBeNull();
    });

    it('reports a restart below the group\'s last acknowledged commit', () => {
      const ops = readThenRebalance(2).poll('k1', [[1, v(1)]]).build();
      const report = runChecker('nonmonotonic-poll', ops, settled(log));
      expect(report?.count).toBe(1);
      expect(report?.examples[0]).toMatchObject({
        process: 'k1', partition: 0, previous: { offset: 3, value: v(3) }, current: { offset: 1 },
        rebalance: { group: 'g1', generation: 2, committedOffset: 2 },
      });
    });

    it('judges only the first step after the rebalance by the commit: later steps back are reported', () => {
      const ops = readThenRebalance(2).poll('k1', [[2, v(2)], [3, v(3)]]).poll('k1', [[2, v(2)]]).build();
      expect(runChecker('nonmonotonic-poll', ops, settled(log))?.count).toBe(1);
    });

    it('allows any step back when the group had acknowledged no commit (the committed offset is unknown)', () => {
      const ops = readThenRebalance(null).poll('k1', [[0, v(0)]]).build();
      expect(runChecker('nonmonotonic-poll', ops, settled(log))).toBeNull();
    });

    it('uses the group\'s commit, made by any member', () => {
      const ops = history().assign('k1', [0], 'g1', 1).poll('k1', [[0, v(0)], [1, v(1)], [2, v(2)]])
        .commit('k2', 2, 0, 'g1').commit('k3', 3, 0, 'g2')
        .assign('k1', [0], 'g1', 2).poll('k1', [[2, v(2)]]).build();
      expect(runChecker('nonmonotonic-poll', ops, settled(log))).toBeNull();
    });
  });

  it('forgets a position when the consumer missed a generation or the new assignment lacks the partition', () => {
    const gap = history().assign('k1', [0], 'g1', 1).poll('k1', [[3, v(3)]]).commit('k1', 4).assign('k1', [0], 'g1', 3).poll('k1', [[0, v(0)]]).build();
    expect(runChecker('nonmonotonic-poll', gap, settled([v(0), v(1), v(2), v(3)]))).toBeNull();
    const dropped = history().assign('k1', [0, 1], 'g1', 1).poll('k1', [[3, v(3)]]).commit('k1', 4)
      .assign('k1', [1], 'g1', 2).assign('k1', [0, 1], 'g1', 3).poll('k1', [[0, v(0)]]).build();
    expect(runChecker('nonmonotonic-poll', dropped, settled([v(0), v(1), v(2), v(3)]))).toBeNull();
    const otherGroup = history().assign('k1', [0], 'g1', 1).poll('k1', [[3, v(3)]]).commit('k1', 4).assign('k1', [0], 'g2', 2).poll('k1', [[0, v(0)]]).build();
    expect(runChecker('nonmonotonic-poll', otherGroup, settled([v(0), v(1), v(2), v(3)]))).toBeNull();
  });

  it('forgets across a crash even when the next assignment is the next generation', () => {
    const ops = history().assign('k1', [0], 'g1', 1).poll('k1', [[3, v(3)]]).commit('k1', 4).crash('k1').assign('k1', [0], 'g1', 2).poll('k1', [[0, v(0)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(0), v(1), v(2), v(3)]))).toBeNull();
  });

  describe('a reset re-bases the position', () => {
    it('passes a truncation reset back to the divergence point and the reads after it', () => {
      const ops = history().assign('k1').poll('k1', [[3, v(3)], [4, v(4)]]).reset('k1', 0, 5, 3, 'truncation').poll('k1', [[3, v(13)], [4, v(14)]]).build();
      expect(runChecker('nonmonotonic-poll', ops, settled([v(0), v(1), v(2), v(13), v(14)]))).toBeNull();
    });

    it('reports a read below where the reset put the consumer', () => {
      const ops = history().assign('k1').poll('k1', [[4, v(4)]]).reset('k1', 0, 5, 3, 'truncation').poll('k1', [[2, v(2)]]).build();
      const report = runChecker('nonmonotonic-poll', ops, settled([v(0), v(1), v(2), v(13), v(14)]));
      expect(report?.count).toBe(1);
      expect(report?.examples[0]).toMatchObject({ previous: { resetTo: 3, resetFrom: 5, reason: 'truncation' }, current: { offset: 2 }, rebalance: null });
    });

    it('only re-bases its own consumer and partition', () => {
      const ops = history().assign('k1', [0, 1]).poll('k1', [[4, v(4)]]).reset('k2', 0, 5, 0).reset('k1', 1, 5, 0).poll('k1', [[2, v(2)]]).build();
      expect(runChecker('nonmonotonic-poll', ops, settled([v(0), v(1), v(2), v(3), v(4)]))?.count).toBe(1);
    });
  });

  it('does not let another consumer\'s assignment reset this one', () => {
    const ops = history().poll('k1', [[1, v(2)]]).assign('k2').poll('k1', [[0, v(1)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(1), v(2)]))?.count).toBe(1);
  });

  it('tracks consumers and partitions separately', () => {
    const ops = history().poll('k1', [[5, v(6)]]).poll('k2', [[0, v(1)]]).poll('k1', [[0, v(9)]], 1).build();
    expect(runChecker('nonmonotonic-poll', ops, settled([]))).toBeNull();
  });
});
