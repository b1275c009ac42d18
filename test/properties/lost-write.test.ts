import { describe, expect, it } from 'vitest';
import { finalState, history, replica, runChecker, settled, v } from './builders.js';

describe('lost-write', () => {
  it('reports an acknowledged value missing from the final log, with where it still is', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).send('p0', v(3), 2).build();
    const final = finalState([{
      state: { partition: 0, leader: 'b2', leaderEpoch: 2, isr: ['b2'], replicas: ['b1', 'b2'] },
      replicas: [replica('b1', [v(1), v(2), v(3)], { highWatermark: 2 }), replica('b2', [v(1), v(3)], { isLeader: true })],
    }]);
    const report = runChecker('lost-write', ops, final);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      value: v(2), label: 'p0:2', partition: 0, ackedOffset: 1, producer: 'p0',
      finalLogSource: 'b2', settled: true,
      heldBy: [{ node: 'b1', offset: 1, belowHighWatermark: true }],
    });
    expect(report?.examples[0]?.summary).toContain('p0:2');
  });

  it('passes when every acknowledged value is in the final log', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).build();
    expect(runChecker('lost-write', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('never counts unknown (send-info) or failed (send-fail) sends as lost', () => {
    const ops = history().send('p0', v(1), 0).invoke('p0', v(2)).info('p0', v(2)).invoke('p0', v(3)).fail('p0', v(3)).build();
    expect(runChecker('lost-write', ops, settled([v(1)]))).toBeNull();
  });

  it('counts a value above the final HW as lost (it is not committed)', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).build();
    const final = finalState([{
      state: { partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] },
      replicas: [replica('b1', [v(1), v(2)], { isLeader: true, highWatermark: 1 })],
    }]);
    expect(runChecker('lost-write', ops, final)?.count).toBe(1);
  });

  it('judges each partition against its own log, and an unknown partition as empty', () => {
    const ops = history().send('p0', v(1), 0, 0).send('p0', v(2), 0, 1).send('p0', v(3), 0, 5).build();
    const report = runChecker('lost-write', ops, settled([v(1), v(2)]));
    expect(report?.count).toBe(2);
    expect(report?.examples.map((e) => e['value'])).toEqual([v(2), v(3)]);
    expect(report?.examples[1]).toMatchObject({ partition: 5, finalLogSource: null, settled: false });
  });

  it('counts a value acknowledged twice once', () => {
    const ops = history().send('p0', v(1), 0).ok('p0', v(1), 0).build();
    expect(runChecker('lost-write', ops, settled([]))?.count).toBe(1);
  });

  it('caps examples but keeps the full count', () => {
    const b = history();
    for (let i = 0; i < 20; i++) b.send('p0', v(i), i);
    const report = runChecker('lost-write', b.build(), settled([]), { maxExamples: 3 });
    expect(report?.count).toBe(20);
    expect(report?.examples.map((e) => e['ackedOffset'])).toEqual([0, 1, 2]);
  });
});
