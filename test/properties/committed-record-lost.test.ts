import { describe, expect, it } from 'vitest';
import { finalState, history, replica, runChecker, settled, v } from './builders.js';

describe('committed-record-lost', () => {
  it('reports a record once below a leader HW that the final log lacks', () => {
    const ops = history().hw('b1', [[0, v(1)], [1, v(2)]], 0, 1).hw('b2', [[1, v(3)]], 0, 2).build();
    const final = finalState([{
      state: { partition: 0, leader: 'b2', leaderEpoch: 2, isr: ['b2'], replicas: ['b1', 'b2'] },
      replicas: [replica('b1', [v(1), v(2)], { up: false }), replica('b2', [v(1), v(3)], { isLeader: true })],
    }]);
    const report = runChecker('committed-record-lost', ops, final);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({
      value: v(2), label: 'p0:2', partition: 0, committedOffset: 1, leader: 'b1', leaderEpoch: 1,
      finalLogSource: 'b2', heldBy: [{ node: 'b1', up: false, offset: 1 }],
    });
  });

  it('passes when every committed record survived', () => {
    const ops = history().hw('b1', [[0, v(1)]]).hw('b1', [[1, v(2)]]).build();
    expect(runChecker('committed-record-lost', ops, settled([v(1), v(2)]))).toBeNull();
  });

  it('needs no acknowledgement: a committed acks=0 record counts', () => {
    const ops = history().invoke('p0', v(1)).info('p0', v(1), 0, 'acks=0').hw('b1', [[0, v(1)]]).build();
    expect(runChecker('committed-record-lost', ops, settled([]))?.count).toBe(1);
  });

  it('counts a value committed twice once', () => {
    const ops = history().hw('b1', [[0, v(1)]]).hw('b2', [[0, v(1)]], 0, 2).build();
    expect(runChecker('committed-record-lost', ops, settled([]))?.count).toBe(1);
  });
});
