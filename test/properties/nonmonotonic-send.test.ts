import { describe, expect, it } from 'vitest';
import { history, runChecker, settled, v } from './builders.js';

describe('nonmonotonic-send', () => {
  it('reports a later-invoked send acknowledged at a lower offset', () => {
    const ops = history()
      .invoke('p0', v(1)).invoke('p0', v(2)).invoke('p0', v(3))
      .ok('p0', v(2), 0).ok('p0', v(3), 1).ok('p0', v(1), 2)
      .build();
    const report = runChecker('nonmonotonic-send', ops, settled([v(2), v(3), v(1)]));
    expect(report?.count).toBe(2);
    expect(report?.examples[0]).toMatchObject({
      producer: 'p0', partition: 0,
      earlier: { value: v(1), label: 'p0:1', offset: 2 },
      later: { value: v(2), offset: 0 },
    });
  });

  it('passes acknowledgements arriving out of order at increasing offsets', () => {
    const ops = history().invoke('p0', v(1)).invoke('p0', v(2)).ok('p0', v(2), 1).ok('p0', v(1), 0).build();
    expect(runChecker('nonmonotonic-send', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('ignores unacknowledged sends and keeps producers and partitions apart', () => {
    const ops = history()
      .invoke('p0', v(1)).ok('p0', v(1), 5)
      .invoke('p0', v(2)).info('p0', v(2))
      .invoke('p1', v(1, 1)).ok('p1', v(1, 1), 0)
      .invoke('p0', v(3), 1).ok('p0', v(3), 0, 1)
      .invoke('p0', v(4)).ok('p0', v(4), 6)
      .build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))).toBeNull();
  });
});
