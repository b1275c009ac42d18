import { describe, expect, it } from 'vitest';
import { history, runChecker, settled, v } from './builders.js';

describe('duplicate-delivery', () => {
  it('reports a value processed more than once, with every delivery', () => {
    const ops = history().process('k1', 0, v(1)).process('k1', 1, v(2)).crash('k1').process('k2', 0, v(1)).process('k2', 0, v(1)).build();
    const report = runChecker('duplicate-delivery', ops, settled([v(1), v(2)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      value: v(1), label: 'p0:1', partition: 0, times: 3,
      deliveries: [{ process: 'k1', offset: 0 }, { process: 'k2', offset: 0 }, { process: 'k2', offset: 0 }],
    });
  });

  it('passes values processed once, even if polled twice', () => {
    const ops = history().poll('k1', [[0, v(1)]]).poll('k1', [[0, v(1)]]).process('k1', 0, v(1)).process('k1', 1, v(2)).build();
    expect(runChecker('duplicate-delivery', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('judges each group by itself: one processing in each of two groups is no duplicate', () => {
    const ops = history().assign('k1', [0], 'g1').assign('k2', [0], 'g2')
      .process('k1', 0, v(1)).process('k2', 0, v(1)).process('k1', 1, v(2)).process('k2', 1, v(2)).build();
    expect(runChecker('duplicate-delivery', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('still reports a value processed twice within one of two groups, naming the group', () => {
    const ops = history().assign('k1', [0], 'g1').assign('k2', [0], 'g2').assign('k3', [0], 'g2', 2)
      .process('k1', 0, v(1)).process('k2', 0, v(1)).process('k3', 0, v(1)).build();
    const report = runChecker('duplicate-delivery', ops, settled([v(1)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ group: 'g2', times: 2, deliveries: [{ process: 'k2' }, { process: 'k3' }] });
    expect(report?.examples[0]?.summary).toMatch(/in group g2/);
  });
});
