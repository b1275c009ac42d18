import { describe, expect, it } from 'vitest';
import { finalState, replica, runChecker, v } from './builders.js';

const state = { partition: 0, leader: 'b2', leaderEpoch: 2, isr: ['b1', 'b2'], replicas: ['b1', 'b2'] };

describe('log-divergence', () => {
  it('reports an offset committed as different values on two replicas (KIP-101 scenario 2)', () => {
    const final = finalState([{
      state,
      replicas: [replica('b1', [v(1), v(2)]), replica('b2', [v(1), v(3)], { isLeader: true })],
    }]);
    const report = runChecker('log-divergence', [], final);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      partition: 0, offset: 1,
      replicas: [{ node: 'b1', value: v(2), label: 'p0:2', highWatermark: 2 }, { node: 'b2', value: v(3) }],
    });
  });

  it('ignores differences above either replica\'s high watermark', () => {
    const final = finalState([{
      state,
      replicas: [replica('b1', [v(1), v(2)], { highWatermark: 1 }), replica('b2', [v(1), v(3)], { isLeader: true })],
    }]);
    expect(runChecker('log-divergence', [], final)).toBeNull();
  });

  it('passes identical replicas and a follower that is merely behind', () => {
    const final = finalState([{
      state,
      replicas: [replica('b1', [v(1)]), replica('b2', [v(1), v(2)], { isLeader: true })],
    }]);
    expect(runChecker('log-divergence', [], final)).toBeNull();
  });

  it('includes down replicas, and counts every divergent offset', () => {
    const final = finalState([{
      state: { ...state, replicas: ['b1', 'b2', 'b3'] },
      replicas: [
        replica('b1', [v(1), v(2), v(4)], { up: false }),
        replica('b2', [v(1), v(3), v(5)], { isLeader: true }),
        replica('b3', [v(1), v(3), v(5)]),
      ],
    }]);
    const report = runChecker('log-divergence', [], final);
    expect(report?.count).toBe(2);
    expect(report?.examples[0]?.['replicas']).toMatchObject([{ node: 'b1', up: false, value: v(2) }, { node: 'b2', value: v(3) }, { node: 'b3', value: v(3) }]);
  });
});
