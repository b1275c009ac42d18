import { describe, expect, it } from 'vitest';
import { history, runChecker, settled, v } from './builders.js';

describe('aborted-read', () => {
  it('reports a polled value whose send definitely failed', () => {
    const ops = history()
      .invoke('p0', v(1)).fail('p0', v(1), 0, 'NOT_LEADER_OR_FOLLOWER')
      .poll('k1', [[0, v(1)]]).poll('k2', [[0, v(1)]])
      .build();
    const report = runChecker('aborted-read', ops, settled([v(1)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      value: v(1), label: 'p0:1', producer: 'p0', error: 'NOT_LEADER_OR_FOLLOWER',
      firstRead: { process: 'k1', partition: 0, offset: 0 }, reads: 2,
    });
  });

  it('does not count reading an unknown-outcome send', () => {
    const ops = history().invoke('p0', v(1)).info('p0', v(1)).poll('k1', [[0, v(1)]]).build();
    expect(runChecker('aborted-read', ops, settled([v(1)]))).toBeNull();
  });

  it('passes reads of acknowledged values', () => {
    const ops = history().send('p0', v(1), 0).poll('k1', [[0, v(1)]]).build();
    expect(runChecker('aborted-read', ops, settled([v(1)]))).toBeNull();
  });

  it('counts a failed value read before its failure was recorded', () => {
    const ops = history().invoke('p0', v(1)).poll('k1', [[0, v(1)]]).fail('p0', v(1)).build();
    expect(runChecker('aborted-read', ops, settled([v(1)]))?.count).toBe(1);
  });
});
