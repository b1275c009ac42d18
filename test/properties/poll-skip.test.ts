import { describe, expect, it } from 'vitest';
import { finalState, history, replica, runChecker, settled, v } from './builders.js';

describe('poll-skip', () => {
  it('reports a jump over committed offsets, listing what was skipped', () => {
    const ops = history().poll('k1', [[0, v(1)]]).poll('k1', [[3, v(4)]]).build();
    const report = runChecker('poll-skip', ops, settled([v(1), v(2), v(3), v(4)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      process: 'k1', partition: 0, previous: { offset: 0 }, current: { offset: 3 }, skippedCount: 2,
      skipped: [{ offset: 1, value: v(2), label: 'p0:2' }, { offset: 2, value: v(3) }],
    });
  });

  it('passes consecutive polls', () => {
    const ops = history().poll('k1', [[0, v(1)], [1, v(2)]]).poll('k1', [[2, v(3)]]).build();
    expect(runChecker('poll-skip', ops, settled([v(1), v(2), v(3)]))).toBeNull();
  });

  it('does not count gaps the final log does not fill', () => {
    const ops = history().poll('k1', [[0, v(1)]]).poll('k1', [[3, v(4)]]).build();
    const final = finalState([{
      state: { partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] },
      replicas: [{ ...replica('b1', [], { isLeader: true }), logEndOffset: 4, highWatermark: 4, records: [{ offset: 0, epoch: 1, value: v(1) }, { offset: 3, epoch: 1, value: v(4) }] }],
    }]);
    expect(runChecker('poll-skip', ops, final)).toBeNull();
  });

  it('does not count a jump across a first assignment, or one after a missed generation', () => {
    const ops = history().poll('k1', [[0, v(1)]]).assign('k1').poll('k1', [[3, v(4)]]).build();
    expect(runChecker('poll-skip', ops, settled([v(1), v(2), v(3), v(4)]))).toBeNull();
    const gap = history().assign('k1', [0], 'g1', 4).poll('k1', [[0, v(1)]]).assign('k1', [0], 'g1', 6).poll('k1', [[3, v(4)]]).build();
    expect(runChecker('poll-skip', gap, settled([v(1), v(2), v(3), v(4)]))).toBeNull();
  });

  it('counts a jump across a rebalance that kept the partition (consecutive generations)', () => {
    const ops = history().assign('k1', [0, 1], 'g1', 4).poll('k1', [[0, v(1)]]).commit('k1', 1)
      .assign('k1', [0], 'g1', 5).poll('k1', [[3, v(4)]]).build();
    const report = runChecker('poll-skip', ops, settled([v(1), v(2), v(3), v(4)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ previous: { offset: 0 }, current: { offset: 3 }, skippedCount: 2, rebalance: { generation: 5, committedOffset: 1 } });
  });

  it('does not count a jump a recorded reset explains, but counts a jump past where the reset put the consumer', () => {
    const log = [v(1), v(2), v(3), v(4), v(5), v(6)];
    const explained = history().assign('k1').poll('k1', [[0, v(1)]]).reset('k1', 0, 1, 3, 'out-of-range').poll('k1', [[3, v(4)]])
      .reset('k1', 0, 4, 1, 'truncation').poll('k1', [[1, v(2)]]).build();
    expect(runChecker('poll-skip', explained, settled(log))).toBeNull();
    const fresh = history().assign('k1').reset('k1', 0, null, 2, 'no-offset').poll('k1', [[2, v(3)]]).build();
    expect(runChecker('poll-skip', fresh, settled(log))).toBeNull();
    const past = history().assign('k1').reset('k1', 0, null, 2, 'no-offset').poll('k1', [[4, v(5)]]).build();
    const report = runChecker('poll-skip', past, settled(log));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ previous: { resetTo: 2, resetFrom: null, reason: 'no-offset' }, skippedCount: 2, skipped: [{ offset: 2 }, { offset: 3 }] });
  });

  it('counts a jump inside one poll', () => {
    const ops = history().poll('k1', [[0, v(1)], [2, v(3)]]).build();
    expect(runChecker('poll-skip', ops, settled([v(1), v(2), v(3)]))?.count).toBe(1);
  });
});
