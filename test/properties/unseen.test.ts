import { describe, expect, it } from 'vitest';
import { finalState, history, runChecker, settled, settledPartition, v } from './builders.js';

describe('unseen', () => {
  it('reports committed records no consumer polled', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).send('p0', v(3), 2).poll('k1', [[0, v(1)]]).build();
    const report = runChecker('unseen', ops, settled([v(1), v(2), v(3)]));
    expect(report?.count).toBe(2);
    expect(report?.examples[0]).toMatchObject({ value: v(2), label: 'p0:2', partition: 0, offset: 1, highestPolledOffset: 0 });
  });

  it('passes when every record was polled, by any consumer', () => {
    const ops = history().poll('k1', [[0, v(1)]]).poll('k2', [[1, v(2)]]).build();
    expect(runChecker('unseen', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('is off for runs without consumers', () => {
    expect(runChecker('unseen', [], settled([v(1)]), { consumers: false })).toBeNull();
  });

  it('says when nothing at all was polled from a partition', () => {
    const report = runChecker('unseen', [], finalState([settledPartition([v(1)], 0), settledPartition([v(2)], 1)]));
    expect(report?.count).toBe(2);
    expect(report?.examples[1]).toMatchObject({ partition: 1, highestPolledOffset: null });
  });

  it('matches values per partition', () => {
    const ops = history().poll('k1', [[0, v(1)]], 1).build();
    expect(runChecker('unseen', ops, settled([v(1)]))?.count).toBe(1);
  });
});
