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

  it('does not count a jump across a reassignment', () => {
    const ops = history().poll('k1', [[0, v(1)]]).assign('k1').poll('k1', [[3, v(4)]]).build();
    expect(runChecker('poll-skip', ops, settled([v(1), v(2), v(3), v(4)]))).toBeNull();
  });

  it('counts a jump inside one poll', () => {
    const ops = history().poll('k1', [[0, v(1)], [2, v(3)]]).build();
    expect(runChecker('poll-skip', ops, settled([v(1), v(2), v(3)]))?.count).toBe(1);
  });
});
