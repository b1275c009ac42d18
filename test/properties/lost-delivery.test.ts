import { describe, expect, it } from 'vitest';
import { history, runChecker, settled, v } from './builders.js';

const log = [v(1), v(2), v(3), v(4)];

describe('lost-delivery', () => {
  it('reports records below the committed offset that were never processed', () => {
    const ops = history().assign('k1').process('k1', 0, v(1)).commit('k1', 3).process('k1', 2, v(3)).build();
    const report = runChecker('lost-delivery', ops, settled(log));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      group: 'g1', partition: 0, offset: 1, value: v(2), label: 'p0:2', committedOffset: 3, committedBy: 'k1',
    });
  });

  it('passes when everything below the commit was processed; records above it do not count', () => {
    const ops = history().assign('k1').process('k1', 0, v(1)).process('k1', 1, v(2)).commit('k1', 2).build();
    expect(runChecker('lost-delivery', ops, settled(log))).toBeNull();
  });

  it('uses the last successful commit by time, not the highest, and ignores failed commits', () => {
    const ops = history().assign('k1').process('k1', 0, v(1))
      .commit('k1', 4, 0, 'g1', 100).commit('k1', 1, 0, 'g1', 200).commitFail('k1', 4)
      .build();
    expect(runChecker('lost-delivery', ops, settled(log))).toBeNull();
    const reordered = history().assign('k1').process('k1', 0, v(1))
      .commit('k1', 1, 0, 'g1', 200).commit('k1', 3, 0, 'g1', 300).build();
    expect(runChecker('lost-delivery', reordered, settled(log))?.count).toBe(2);
  });

  it('counts processing by any member of the group, but not by another group', () => {
    const ops = history()
      .assign('k1', [0], 'g1').assign('k2', [0], 'g1').assign('k3', [0], 'g2')
      .process('k1', 0, v(1)).process('k2', 1, v(2)).process('k3', 0, v(1))
      .commit('k1', 2, 0, 'g1').commit('k3', 2, 0, 'g2')
      .build();
    const report = runChecker('lost-delivery', ops, settled(log));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ group: 'g2', value: v(2) });
  });

  describe('recorded resets', () => {
    it('does not count offsets a no-offset reset (auto.offset.reset=latest) jumped over', () => {
      const ops = history().assign('k1').reset('k1', 0, null, 2, 'no-offset').process('k1', 2, v(3)).process('k1', 3, v(4)).commit('k1', 4).build();
      expect(runChecker('lost-delivery', ops, settled(log))).toBeNull();
      const unexplained = history().assign('k1').process('k1', 2, v(3)).process('k1', 3, v(4)).commit('k1', 4).build();
      expect(runChecker('lost-delivery', unexplained, settled(log))?.count).toBe(2);
    });

    it('does not count offsets an out-of-range reset jumped over, but counts the others', () => {
      const ops = history().assign('k1').process('k1', 0, v(1)).reset('k1', 0, 1, 2, 'out-of-range').process('k1', 3, v(4)).commit('k1', 4).build();
      const report = runChecker('lost-delivery', ops, settled(log));
      expect(report?.count).toBe(1);
      expect(report?.examples[0]).toMatchObject({ offset: 2, value: v(3) });
    });

    it('does not judge a commit made before a reset back below it by the records the truncated log holds there now', () => {
      // k1 processed and committed offsets 0-3 of the old log; the log was truncated to 2 and now
      // holds n2, n3 there; k1 detected it (KIP-320) and moved back to 2, but the run ended first.
      const truncated = [v(1), v(2), v(12), v(13)];
      const read = () => history().assign('k1').process('k1', 0, v(1)).process('k1', 1, v(2)).process('k1', 2, v(3)).process('k1', 3, v(4)).commit('k1', 4);
      expect(runChecker('lost-delivery', read().reset('k1', 0, 4, 2, 'truncation').build(), settled(truncated))).toBeNull();
      // Without the reset, the commit passed n2 and n3 unprocessed: that the checker reports.
      expect(runChecker('lost-delivery', read().build(), settled(truncated))?.count).toBe(2);
      // A commit after the reset vouches again for everything below it.
      const recommitted = read().reset('k1', 0, 4, 2, 'truncation').commit('k1', 4).build();
      expect(runChecker('lost-delivery', recommitted, settled(truncated))?.count).toBe(2);
      // At one instant, history order decides which came after.
      const sameTime = (resetFirst: boolean) => {
        const b = read();
        return (resetFirst ? b.reset('k1', 0, 4, 2, 'truncation', 500).commit('k1', 4, 0, 'g1', 500) : b.commit('k1', 4, 0, 'g1', 500).reset('k1', 0, 4, 2, 'truncation', 500)).build();
      };
      expect(runChecker('lost-delivery', sameTime(false), settled(truncated))).toBeNull();
      expect(runChecker('lost-delivery', sameTime(true), settled(truncated))?.count).toBe(2);
    });

    it('takes only resets of the group\'s own consumers, on the commit\'s partition', () => {
      const other = history().assign('k1', [0], 'g1').assign('k2', [0], 'g2').reset('k2', 0, null, 4, 'no-offset').reset('k1', 1, null, 4, 'no-offset').commit('k1', 2).build();
      expect(runChecker('lost-delivery', other, settled(log))?.count).toBe(2);
      const ungrouped = history().reset('k1', 0, null, 4, 'no-offset').assign('k1').commit('k1', 2).build();
      expect(runChecker('lost-delivery', ungrouped, settled(log))?.count).toBe(2);
    });
  });
});
