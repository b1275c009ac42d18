import { describe, expect, it } from 'vitest';
import { finalState, history, runChecker, settled, settledPartition, v } from './builders.js';

describe('unseen', () => {
  it('reports committed records no read returned', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).send('p0', v(3), 2).poll('k1', [[0, v(1)]]).build();
    const report = runChecker('unseen', ops, settled([v(1), v(2), v(3)]));
    expect(report?.count).toBe(2);
    expect(report?.examples[0]).toMatchObject({ value: v(2), label: 'p0:2', partition: 0, offset: 1, highestPolledOffset: 0, highestDrainedOffset: null });
  });

  it('passes when every record was polled, by any consumer', () => {
    const ops = history().poll('k1', [[0, v(1)]]).poll('k2', [[1, v(2)]]).build();
    expect(runChecker('unseen', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('counts the final drain as a read: a group that never caught up is no unseen record', () => {
    // k1 processed only offset 0; the drain read the whole log, so every record is readable.
    const ops = history().poll('k1', [[0, v(1)]]).poll('drain', [[0, v(1)], [1, v(2)], [2, v(3)]]).build();
    expect(runChecker('unseen', ops, settled([v(1), v(2), v(3)]))).toBeNull();
  });

  it('reports what even the drain did not return, with how far the drain got', () => {
    // A planted hole: the drain's poll skips offset 1 (a fetch path that lost a record).
    const ops = history().poll('drain', [[0, v(1)], [2, v(3)]]).build();
    const report = runChecker('unseen', ops, settled([v(1), v(2), v(3)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ value: v(2), offset: 1, highestDrainedOffset: 2, highestPolledOffset: 2 });
    expect(report?.examples[0]?.summary).toMatch(/no read returned it \(the final drain read up to offset 2 there/);
  });

  it('is off when the run had no reader at all', () => {
    expect(runChecker('unseen', [], settled([v(1)]), { consumers: false })).toBeNull();
  });

  it('says when nothing at all was read from a partition', () => {
    const report = runChecker('unseen', [], finalState([settledPartition([v(1)], 0), settledPartition([v(2)], 1)]));
    expect(report?.count).toBe(2);
    expect(report?.examples[1]).toMatchObject({ partition: 1, highestPolledOffset: null, highestDrainedOffset: null });
  });

  it('matches values per partition', () => {
    const ops = history().poll('drain', [[0, v(1)]], 1).build();
    expect(runChecker('unseen', ops, settled([v(1)]))?.count).toBe(1);
  });
});
