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
      reads: [{ value: v(2), label: 'p0:2', process: 'k1' }, { value: v(3), process: 'k2' }, { value: v(4), process: 'k3' }],
    });
  });

  it('does not count the same value polled twice at one offset', () => {
    const ops = history().poll('k1', [[0, v(1)]]).assign('k1').poll('k1', [[0, v(1)]]).poll('k2', [[0, v(1)]]).build();
    expect(runChecker('inconsistent-offsets', ops, settled([v(1)]))).toBeNull();
  });

  it('keeps partitions apart', () => {
    const ops = history().poll('k1', [[0, v(1)]], 0).poll('k1', [[0, v(2)]], 1).build();
    expect(runChecker('inconsistent-offsets', ops, settled([]))).toBeNull();
  });

  it('counts each inconsistent offset once', () => {
    const ops = history().poll('k1', [[0, v(1)], [1, v(2)]]).poll('k2', [[0, v(3)], [1, v(4)]]).poll('k3', [[0, v(5)]]).build();
    expect(runChecker('inconsistent-offsets', ops, settled([]))?.count).toBe(2);
  });
});
