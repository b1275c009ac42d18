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

  it('lets a reassignment (or a crash of the consumer) reset the poll order', () => {
    const ops = history()
      .poll('k1', [[0, v(1)], [1, v(2)]]).assign('k1').poll('k1', [[0, v(1)]])
      .poll('k1', [[1, v(2)]]).crash('k1').poll('k1', [[0, v(1)]])
      .build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(1), v(2)]))).toBeNull();
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
