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
});
