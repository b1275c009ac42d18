// Sharper assertions on the evidence checkers report (type, summaries, order of cases and of the
// replicas named), written for the mutants of the checkers that survived the older tests, which
// matched a few fields only (docs/mutation.md).
import { describe, expect, it } from 'vitest';
import { CaseCollector } from '../../properties/anomaly.js';
import { OffsetTable } from '../../properties/_internals/offset-table.js';
import { ValueSet } from '../../properties/_internals/value-set.js';
import { finalState, history, replica, runChecker, settled, v } from './builders.js';

describe('duplicate: the whole report', () => {
  it('names the anomaly, orders values by their first offset, and says where each stands', () => {
    // v(2)'s second copy comes before v(1)'s, but v(1) stands first: the report lists v(1) first.
    const report = runChecker('duplicate', [], settled([v(1), v(2), v(2), v(1)]));
    expect(report?.type).toBe('duplicate');
    expect(report?.examples.map((e) => [e['value'], e['summary']])).toEqual([
      [v(1), 'p0:1 stands at 2 offsets of partition 0: 0, 3'],
      [v(2), 'p0:2 stands at 2 offsets of partition 0: 1, 2'],
    ]);
  });
});

describe('OffsetTable at the edge of its array', () => {
  it('keeps a value set at exactly the array\'s length (the first offset past its initial 1,024)', () => {
    const table = new OffsetTable(10_000);
    table.set(1024, 7);
    expect(table.get(1024)).toBe(7);
  });
});

describe('ValueSet at its edges', () => {
  it('keeps a counter at exactly its array\'s length (the first past its initial 32 words), and counts its bytes', () => {
    const set = new ValueSet(10_000);
    set.add(v(1));
    expect(set.denseBytes).toBe(32 * 4);
    set.add(v(1024));
    expect(set.has(v(1024))).toBe(true);
    expect(set.has(v(1025))).toBe(false);
  });

  it('keeps values that are not integers apart from the integers beside them', () => {
    const set = new ValueSet(10_000);
    set.add(v(1));
    expect(set.has(v(1) + 0.5)).toBe(false);
    set.add(2.5);
    expect(set.has(2)).toBe(false);
    expect(set.has(2.5)).toBe(true);
  });
});

describe('a report is data: cases added after it do not change it', () => {
  it('keeps the examples it was made with', () => {
    const cases = new CaseCollector('duplicate', 5);
    cases.add(() => ({ summary: 'first' }));
    const report = cases.report();
    cases.add(() => ({ summary: 'second' }));
    expect(report?.examples.map((e) => e.summary)).toEqual(['first']);
    expect(cases.report()?.count).toBe(2);
  });
});

describe('duplicate: values in the order of their first offset, whatever order their copies came in', () => {
  it('three values whose second copies come in another order', () => {
    const report = runChecker('duplicate', [], settled([v(9), v(1), v(2), v(3), v(1), v(3), v(2)]));
    expect(report?.examples.map((e) => e['value'])).toEqual([v(1), v(2), v(3)]);
  });
});

describe('poll-skip: the whole report', () => {
  it('says where the consumer stood, where it polled, and what it jumped over', () => {
    const ops = history().assign('k1').poll('k1', [[0, v(1)]]).poll('k1', [[3, v(4)]]).build();
    const report = runChecker('poll-skip', ops, settled([v(1), v(2), v(3), v(4)]));
    expect(report?.type).toBe('poll-skip');
    expect(report?.examples[0]?.['summary']).toBe(
      'k1 polled offset 3 (p0:4) of partition 0 at 30µs after offset 0 (p0:1) at 20µs, skipping 2 committed record(s): 1=p0:2, 2=p0:3',
    );
    expect(report?.examples[0]).toMatchObject({ skippedCount: 2, rebalance: null });
  });
});

describe('lost-write: the replicas still holding a lost value', () => {
  it('are listed in node order, each with whether the value is below its high watermark there', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).build();
    // The final log (leader b2) lost v(2); b3 and b1 still hold it, b3 above its HW, b1 at its HW's edge.
    const final = {
      partitions: [{ partition: 0, leader: 'b2', leaderEpoch: 2, isr: ['b2'], replicas: ['b3', 'b2', 'b1'] }],
      replicas: [
        replica('b3', [v(1), v(2)], { highWatermark: 1 }),
        replica('b2', [v(1)], { isLeader: true, leaderEpoch: 2 }),
        replica('b1', [v(1), v(2)], { highWatermark: 2 }),
      ],
    };
    const report = runChecker('lost-write', ops, final);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]?.['heldBy']).toEqual([
      { node: 'b1', up: true, offset: 1, epoch: 1, belowHighWatermark: true },
      { node: 'b3', up: true, offset: 1, epoch: 1, belowHighWatermark: false },
    ]);
  });
});

describe('records looked up by offset in a log that does not start at 0', () => {
  it('log-divergence compares the replicas offset by offset from their log start', () => {
    const final = {
      partitions: [{ partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1', 'b2'], replicas: ['b1', 'b2'] }],
      replicas: [
        replica('b1', [v(5), v(6), v(7)], { isLeader: true, logStartOffset: 5 }),
        replica('b2', [v(5), v(9), v(7)], { logStartOffset: 5 }),
      ],
    };
    const report = runChecker('log-divergence', [], final);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ offset: 6 });
    const same = { ...final, replicas: [final.replicas[0]!, replica('b2', [v(5), v(6), v(7)], { logStartOffset: 5 })] };
    expect(runChecker('log-divergence', [], same)).toBeNull();
  });
});

describe('lost-delivery: the whole report, its order, and which commit and resets count', () => {
  const log4 = [v(1), v(2), v(3), v(4)];
  const two = {
    partitions: [0, 1].map((partition) => ({ partition, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] })),
    replicas: [0, 1].map((partition) => replica('b1', [v(1 + 10 * partition), v(2 + 10 * partition)], { partition, isLeader: true })),
  };

  it('says which commit passed which record, with where the final log came from', () => {
    const ops = history().assign('k1').commit('k1', 1).build();
    expect(runChecker('lost-delivery', ops, settled(log4))).toEqual({
      type: 'lost-delivery',
      count: 1,
      examples: [{
        summary: 'group g1 committed offset 1 of partition 0 (k1 at 20µs) but never processed p0:1 at offset 0',
        group: 'g1', partition: 0, offset: 0, value: v(1), label: 'p0:1',
        committedOffset: 1, committedBy: 'k1', committedAtUs: 20,
        finalLogSource: 'b1', settled: true, finalHighWatermark: 4,
      }],
    });
  });

  it('lists cases by group name, then partition, then offset, whatever order the commits came in', () => {
    const ops = history().assign('k2', [0, 1], 'g2').assign('k1', [0, 1], 'g1')
      .commit('k2', 1, 1, 'g2').commit('k2', 1, 0, 'g2').commit('k1', 2, 1, 'g1').commit('k1', 1, 0, 'g1').build();
    const report = runChecker('lost-delivery', ops, two, { maxExamples: 10 });
    expect(report?.examples.map((e) => [e['group'], e['partition'], e['offset']])).toEqual([
      ['g1', 0, 0], ['g1', 1, 0], ['g1', 1, 1], ['g2', 0, 0], ['g2', 1, 0],
    ]);
  });

  it('of two commits at the same time, takes the later one in the history', () => {
    const ops = history().assign('k1').process('k1', 0, v(1)).commit('k1', 4, 0, 'g1', 100).commit('k1', 1, 0, 'g1', 100).build();
    expect(runChecker('lost-delivery', ops, settled(log4))).toBeNull();
    const reversed = history().assign('k1').process('k1', 0, v(1)).commit('k1', 1, 0, 'g1', 100).commit('k1', 4, 0, 'g1', 100).build();
    expect(runChecker('lost-delivery', reversed, settled(log4))?.count).toBe(3);
  });

  it('excuses only the offsets a reset jumped over from its own position, not those below it', () => {
    // k1 stood at 1 (it never processed offset 0) and an out-of-range reset moved it to 2.
    const ops = history().assign('k1').reset('k1', 0, 1, 2, 'out-of-range').process('k1', 2, v(3)).commit('k1', 3).build();
    const report = runChecker('lost-delivery', ops, settled(log4));
    expect(report?.examples.map((e) => e['offset'])).toEqual([0]);
  });

  it('lists groups by name also when the first group by name committed first', () => {
    const ops = history().assign('k1', [0], 'g1').assign('k2', [0], 'g2').commit('k1', 1, 0, 'g1').commit('k2', 1, 0, 'g2').build();
    expect(runChecker('lost-delivery', ops, settled(log4))?.examples.map((e) => e['group'])).toEqual(['g1', 'g2']);
  });

  it('takes the last commit by time even when a skewed clock recorded it earlier in the history', () => {
    // k2's commit of 4 comes later in the history but at an earlier time (its clock is behind): the commit of 1 is the last.
    const ops = history().assign('k1').assign('k2').process('k1', 0, v(1)).commit('k1', 1, 0, 'g1', 200).commit('k2', 4, 0, 'g1', 100).build();
    expect(runChecker('lost-delivery', ops, settled(log4))).toBeNull();
  });

  it('lowers the judged range only for resets after the commit by time, not for one later in the history at an earlier time', () => {
    // The reset back to 2 is recorded after the commit but happened before it (t=400 < 500): offset 3 is still judged.
    const ops = history().assign('k1').process('k1', 0, v(1)).process('k1', 1, v(2)).process('k1', 2, v(3))
      .commit('k1', 4, 0, 'g1', 500).reset('k1', 0, 4, 2, 'truncation', 400).build();
    expect(runChecker('lost-delivery', ops, settled(log4))?.examples.map((e) => e['offset'])).toEqual([3]);
  });

  it('keeps every reset of a group, on every partition', () => {
    const two4 = {
      partitions: [0, 1].map((partition) => ({ partition, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] })),
      replicas: [0, 1].map((partition) => replica('b1', [v(1 + 10 * partition), v(2 + 10 * partition), v(3 + 10 * partition), v(4 + 10 * partition), v(5 + 10 * partition)], { partition, isLeader: true })),
    };
    // Partition 0: a no-offset reset to 2, then an out-of-range reset from 3 to 4; partition 1: a no-offset reset to 5.
    const ops = history().assign('k1', [0, 1])
      .reset('k1', 0, null, 2, 'no-offset').reset('k1', 1, null, 5, 'no-offset').process('k1', 2, v(3)).reset('k1', 0, 3, 4, 'out-of-range')
      .process('k1', 4, v(5)).commit('k1', 5, 0).commit('k1', 5, 1).build();
    expect(runChecker('lost-delivery', ops, two4)).toBeNull();
  });

  it('counts a value processed before its consumer named a group for every group', () => {
    const ops = history().process('k1', 0, v(1)).assign('k1', [0], 'g1').assign('k2', [0], 'g2').commit('k1', 1, 0, 'g1').commit('k2', 1, 0, 'g2').build();
    expect(runChecker('lost-delivery', ops, settled(log4))).toBeNull();
  });
});

describe('nonmonotonic-poll: the whole report', () => {
  const log5 = [v(0), v(1), v(2), v(3), v(4)];

  it('with nothing recorded that moved the consumer back', () => {
    const ops = history().assign('k1').poll('k1', [[0, v(0)], [1, v(1)]]).poll('k1', [[1, v(1)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled(log5))).toEqual({
      type: 'nonmonotonic-poll',
      count: 1,
      examples: [{
        summary: 'k1 polled offset 1 (p0:1) of partition 0 at 30µs after offset 1 (p0:1) at 20µs, with nothing recorded that moved it back',
        process: 'k1', partition: 0,
        previous: { offset: 1, value: v(1), label: 'p0:1', atUs: 20 },
        current: { offset: 1, value: v(1), label: 'p0:1', atUs: 30 },
        rebalance: null,
      }],
    });
  });

  it('below the commit a rebalance restarted the consumer from', () => {
    const ops = history().assign('k1', [0], 'g1', 1).poll('k1', [[0, v(0)], [1, v(1)], [2, v(2)], [3, v(3)]]).commit('k1', 2)
      .assign('k1', [0], 'g1', 2).poll('k1', [[1, v(1)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled(log5))?.examples).toEqual([{
      summary: 'k1 polled offset 1 (p0:1) of partition 0 at 50µs after offset 3 (p0:3) at 20µs, ' +
        'below the offset 2 group g1 had committed before its rebalance to generation 2',
      process: 'k1', partition: 0,
      previous: { offset: 3, value: v(3), label: 'p0:3', atUs: 20 },
      current: { offset: 1, value: v(1), label: 'p0:1', atUs: 50 },
      rebalance: { group: 'g1', generation: 2, assignedAtUs: 40, committedOffset: 2 },
    }]);
  });

  it('below where a reset put the consumer', () => {
    const ops = history().reset('k1', 0, 3, 1, 'truncation').poll('k1', [[0, v(0)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled(log5))?.examples).toEqual([{
      summary: 'k1 polled offset 0 (p0:0) of partition 0 at 20µs after a truncation reset to offset 1 at 10µs, with nothing recorded that moved it back',
      process: 'k1', partition: 0,
      previous: { resetTo: 1, resetFrom: 3, reason: 'truncation', atUs: 10 },
      current: { offset: 0, value: v(0), label: 'p0:0', atUs: 20 },
      rebalance: null,
    }]);
  });
});

describe('committed-record-lost: the whole report', () => {
  it('says who committed the record, where the final log came from (or that there is none), and who still holds it', () => {
    const ops = history().hw('b1', [[0, v(1)], [1, v(2)]], 0, 1).hw('b1', [[0, v(5)]], 3, 1).build();
    const final = finalState([{
      state: { partition: 0, leader: 'b2', leaderEpoch: 2, isr: ['b2'], replicas: ['b1', 'b2'] },
      replicas: [replica('b1', [v(1), v(2)], { up: false }), replica('b2', [v(1), v(3)], { isLeader: true })],
    }]);
    expect(runChecker('committed-record-lost', ops, final)).toEqual({
      type: 'committed-record-lost',
      count: 2,
      examples: [
        {
          summary: 'p0:2 was committed at offset 1 of partition 0 by leader b1 (epoch 1, 10µs) but is not in the final committed log (from b2)',
          value: v(2), label: 'p0:2', partition: 0, committedOffset: 1, leader: 'b1', leaderEpoch: 1, committedAtUs: 10,
          finalLogSource: 'b2', settled: true, finalHighWatermark: 2,
          heldBy: [{ node: 'b1', up: false, offset: 1, epoch: 1, belowHighWatermark: true }],
        },
        {
          summary: 'p0:5 was committed at offset 0 of partition 3 by leader b1 (epoch 1, 20µs) but is not in the final committed log (from no replica)',
          value: v(5), label: 'p0:5', partition: 3, committedOffset: 0, leader: 'b1', leaderEpoch: 1, committedAtUs: 20,
          finalLogSource: null, settled: false, finalHighWatermark: 0, heldBy: [],
        },
      ],
    });
  });

  it('takes control records (value -1) for no data', () => {
    const ops = history().hw('b1', [[0, v(1)], [1, -1]]).build();
    expect(runChecker('committed-record-lost', ops, settled([v(1)]))).toBeNull();
  });
});

describe('log-divergence: every replica, every committed offset', () => {
  const state3 = { partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1', 'b2', 'b3'], replicas: ['b1', 'b2', 'b3'] };

  it('says which replica holds what, in node order, whatever order the final state lists them in', () => {
    const final = finalState([{ state: state3, replicas: [replica('b2', [v(1), v(3)]), replica('b1', [v(1), v(2)], { isLeader: true })] }]);
    expect(runChecker('log-divergence', [], final)).toEqual({
      type: 'log-divergence',
      count: 1,
      examples: [{
        summary: 'offset 1 of partition 0 is committed as p0:2 on b1 but as p0:3 on b2',
        partition: 0, offset: 1,
        replicas: [
          { node: 'b1', up: true, value: v(2), label: 'p0:2', epoch: 1, highWatermark: 2 },
          { node: 'b2', up: true, value: v(3), label: 'p0:3', epoch: 1, highWatermark: 2 },
        ],
      }],
    });
  });

  it('looks from the lowest log start to the highest HW: a replica behind or truncated at its start hides nothing', () => {
    // b3 starts at offset 2 with its HW at 3; b1 and b2 differ at offset 1 (below b3's start) and at 4 (above b3's HW).
    const final = finalState([{
      state: state3,
      replicas: [
        replica('b1', [v(1), v(2), v(3), v(4), v(5)], { isLeader: true }),
        replica('b2', [v(1), v(9), v(3), v(4), v(8)]),
        replica('b3', [v(3)], { logStartOffset: 2 }),
      ],
    }]);
    expect(runChecker('log-divergence', [], final)?.examples.map((e) => e['offset'])).toEqual([1, 4]);
  });

  it('reads a log with gaps at its own offsets, and skips the offsets it lacks', () => {
    const gappy = { ...replica('b2', [v(1), v(3), v(4)]), records: [0, 2, 3].map((offset, i) => ({ offset, epoch: 1, value: [v(1), v(3), v(4)][i]! })), logEndOffset: 4, highWatermark: 4 };
    const b1 = replica('b1', [v(1), v(2), v(3), v(4)], { isLeader: true });
    expect(runChecker('log-divergence', [], finalState([{ state: state3, replicas: [b1, gappy] }]))).toBeNull();
    // A gap at the end: offsets 2 and 3 below b2's log end hold no record there.
    const shortTail = { ...gappy, records: gappy.records.slice(0, 1) };
    expect(runChecker('log-divergence', [], finalState([{ state: state3, replicas: [b1, shortTail] }]))).toBeNull();
    const differing = { ...gappy, records: gappy.records.map((r) => (r.offset === 3 ? { ...r, value: v(7) } : r)) };
    expect(runChecker('log-divergence', [], finalState([{ state: state3, replicas: [b1, differing] }]))?.examples.map((e) => e['offset'])).toEqual([3]);
  });
});

describe('whole reports of the other checkers, each summary branch', () => {
  it('duplicate-delivery names the group and every delivery', () => {
    const ops = history().assign('k1', [0], 'g1').process('k1', 0, v(1)).process('k1', 0, v(1)).build();
    expect(runChecker('duplicate-delivery', ops, settled([v(1), v(2)]))).toEqual({
      type: 'duplicate-delivery',
      count: 1,
      examples: [{
        summary: 'p0:1 was processed 2 times in group g1: k1 at 20µs (offset 0), k1 at 30µs (offset 0)',
        value: v(1), label: 'p0:1', group: 'g1', partition: 0, times: 2,
        deliveries: [{ process: 'k1', offset: 0, atUs: 20 }, { process: 'k1', offset: 0, atUs: 30 }],
      }],
    });
  });

  it('duplicate-delivery names no group when the consumer had named none', () => {
    const ops = history().process('k1', 0, v(1)).process('k1', 0, v(1)).build();
    const example = runChecker('duplicate-delivery', ops, settled([v(1)]))?.examples[0];
    expect(example?.summary).toBe('p0:1 was processed 2 times: k1 at 10µs (offset 0), k1 at 20µs (offset 0)');
    expect(example?.['group']).toBeNull();
  });

  it('inconsistent-offsets says who read or was told what, polls and acknowledgements alike', () => {
    const ops = history().poll('k1', [[0, v(1)], [1, v(2)]]).poll('k2', [[1, v(3)]]).send('p0', v(5), 1).build();
    expect(runChecker('inconsistent-offsets', ops, settled([v(1), v(2)]))).toEqual({
      type: 'inconsistent-offsets',
      count: 1,
      examples: [{
        summary: 'offset 1 of partition 0 was read by k1 as p0:2 at 10µs, then read by k2 as p0:3 at 20µs, then acknowledged to p0 as p0:5 at 40µs',
        partition: 0, offset: 1, distinctValues: 3,
        observations: [
          { value: v(2), label: 'p0:2', source: 'poll', process: 'k1', atUs: 10 },
          { value: v(3), label: 'p0:3', source: 'poll', process: 'k2', atUs: 20 },
          { value: v(5), label: 'p0:5', source: 'ack', process: 'p0', atUs: 40 },
        ],
      }],
    });
  });

  it('unseen says how far reads and the drain got, or that they got nowhere', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).poll('k1', [[0, v(1)]]).build();
    expect(runChecker('unseen', ops, settled([v(1), v(2)]))).toEqual({
      type: 'unseen',
      count: 1,
      examples: [{
        summary: 'p0:2 at offset 1 of partition 0 is committed but no read returned it (the final drain read up to offset none there; the highest offset any read returned: 0)',
        value: v(2), label: 'p0:2', partition: 0, offset: 1, highestPolledOffset: 0, highestDrainedOffset: null,
        finalLogSource: 'b1', settled: true, finalHighWatermark: 2,
      }],
    });
    const none = runChecker('unseen', history().send('p0', v(1), 0).build(), settled([v(1)]));
    expect(none?.examples[0]?.summary).toBe(
      'p0:1 at offset 0 of partition 0 is committed but no read returned it (the final drain read up to offset none there; the highest offset any read returned: none)',
    );
    expect(none?.examples[0]).toMatchObject({ highestPolledOffset: null, highestDrainedOffset: null });
  });

  it('lost-write says where the final log came from, or that there is none', () => {
    const final = finalState([{
      state: { partition: 0, leader: 'b2', leaderEpoch: 2, isr: ['b2'], replicas: ['b1', 'b2'] },
      replicas: [replica('b1', [v(1), v(2), v(3)], { highWatermark: 2 }), replica('b2', [v(1), v(3)], { isLeader: true })],
    }]);
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).send('p0', v(3), 2).build();
    expect(runChecker('lost-write', ops, final)).toEqual({
      type: 'lost-write',
      count: 1,
      examples: [{
        summary: 'p0:2 was acknowledged to p0 at offset 1 of partition 0 (t=40µs) but is not in the final committed log (from b2, HW 2)',
        value: v(2), label: 'p0:2', partition: 0, ackedOffset: 1, producer: 'p0', ackedAtUs: 40,
        finalLogSource: 'b2', settled: true, finalHighWatermark: 2,
        heldBy: [{ node: 'b1', up: true, offset: 1, epoch: 1, belowHighWatermark: true }],
      }],
    });
    const nowhere = runChecker('lost-write', history().send('p0', v(1), 0, 4).build(), settled([]));
    expect(nowhere?.examples[0]?.summary).toBe(
      'p0:1 was acknowledged to p0 at offset 0 of partition 4 (t=20µs) but is not in the final committed log (from no replica, HW 0)',
    );
  });

  it('nonmonotonic-send says which two sends landed in the wrong order', () => {
    const ops = history().invoke('p0', v(1)).invoke('p0', v(2)).invoke('p0', v(3)).ok('p0', v(2), 0).ok('p0', v(3), 1).ok('p0', v(1), 2).build();
    expect(runChecker('nonmonotonic-send', ops, settled([v(2), v(3), v(1)]))).toEqual({
      type: 'nonmonotonic-send',
      count: 1,
      examples: [{
        summary: 'p0 sent p0:1 (at 10µs) before p0:2 (at 20µs) to partition 0, but they landed at offsets 2 and 0',
        producer: 'p0', partition: 0,
        earlier: { value: v(1), label: 'p0:1', offset: 2, landedBy: 'ack', invokedAtUs: 10 },
        later: { value: v(2), label: 'p0:2', offset: 0, landedBy: 'ack', invokedAtUs: 20 },
      }],
    });
  });

  it('poll-skip says when a rebalance kept the position, and when a reset set it', () => {
    const log4 = settled([v(1), v(2), v(3), v(4)]);
    const kept = history().assign('k1', [0], 'g1', 1).poll('k1', [[0, v(1)]]).commit('k1', 1).assign('k1', [0], 'g1', 2).poll('k1', [[3, v(4)]]).build();
    expect(runChecker('poll-skip', kept, log4)?.examples).toEqual([{
      summary: 'k1 polled offset 3 (p0:4) of partition 0 at 50µs after offset 0 (p0:1) at 20µs (kept across its rebalance to generation 2), ' +
        'skipping 2 committed record(s): 1=p0:2, 2=p0:3',
      process: 'k1', partition: 0,
      previous: { offset: 0, value: v(1), label: 'p0:1', atUs: 20 },
      current: { offset: 3, value: v(4), label: 'p0:4', atUs: 50 },
      rebalance: { group: 'g1', generation: 2, assignedAtUs: 40, committedOffset: 1 },
      skippedCount: 2,
      skipped: [{ offset: 1, value: v(2), label: 'p0:2' }, { offset: 2, value: v(3), label: 'p0:3' }],
    }]);
    const reset = history().reset('k1', 0, 3, 0).poll('k1', [[2, v(3)]]).build();
    expect(runChecker('poll-skip', reset, log4)?.examples[0]).toMatchObject({
      summary: 'k1 polled offset 2 (p0:3) of partition 0 at 20µs after a truncation reset to offset 0 at 10µs, skipping 2 committed record(s): 0=p0:1, 1=p0:2',
      previous: { resetTo: 0, resetFrom: 3, reason: 'truncation', atUs: 10 },
    });
  });

  it('poll-skip lists at most ten skipped records, and counts them all', () => {
    const values = Array.from({ length: 14 }, (_, i) => v(i + 1));
    const ops = history().poll('k1', [[0, v(1)]]).poll('k1', [[13, v(14)]]).build();
    const example = runChecker('poll-skip', ops, settled(values))?.examples[0];
    expect(example?.['skippedCount']).toBe(12);
    expect((example?.['skipped'] as unknown[]).length).toBe(10);
    expect(example?.summary).toMatch(/skipping 12 committed record\(s\): 1=p0:2, .*, 10=p0:11$/);
  });
});

describe('the poll steps across a rebalance', () => {
  const log5 = [v(0), v(1), v(2), v(3), v(4)];

  it('forget the position when the consumer moves to another group, even at the next generation number', () => {
    // g2 had committed 2; k1 comes from g1 (where it stood at 3) and starts at 0 in g2: no step back of g2's.
    const ops = history().assign('k1', [0], 'g1', 1).poll('k1', [[3, v(3)]]).assign('k2', [0], 'g2', 1).commit('k2', 2, 0, 'g2')
      .assign('k1', [0], 'g2', 2).poll('k1', [[0, v(0)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled(log5))).toBeNull();
  });

  it('remember the group\'s commits on every partition, made in separate commits', () => {
    const ops = history().assign('k1', [0, 1], 'g1', 1).poll('k1', [[3, v(3)]], 0).commit('k1', 2, 0).commit('k1', 5, 1)
      .assign('k1', [0, 1], 'g1', 2).poll('k1', [[1, v(1)]], 0).build();
    expect(runChecker('nonmonotonic-poll', ops, settled(log5))?.examples[0]?.['rebalance']).toMatchObject({ committedOffset: 2 });
  });
});

describe('lists in a case are capped at ten, with the full count beside them', () => {
  it('duplicate: twelve offsets of one value', () => {
    const example = runChecker('duplicate', [], settled(Array.from({ length: 12 }, () => v(1))))?.examples[0];
    expect(example?.['offsets']).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(example?.summary).toBe('p0:1 stands at 12 offsets of partition 0: 0, 1, 2, 3, 4, 5, 6, 7, 8, 9');
  });

  it('duplicate-delivery: twelve deliveries of one value', () => {
    const b = history();
    for (let n = 0; n < 12; n++) b.process('k1', 0, v(1));
    const example = runChecker('duplicate-delivery', b.build(), settled([v(1)]))?.examples[0];
    expect(example?.['times']).toBe(12);
    expect((example?.['deliveries'] as unknown[]).length).toBe(10);
    expect(example?.summary.split(', ').length).toBe(10);
  });

  it('inconsistent-offsets: twelve values read at one offset', () => {
    const b = history();
    for (let n = 1; n <= 12; n++) b.poll(`k${n}`, [[0, v(n)]]);
    const example = runChecker('inconsistent-offsets', b.build(), settled([]))?.examples[0];
    expect(example?.['distinctValues']).toBe(12);
    expect((example?.['observations'] as unknown[]).length).toBe(10);
    expect(example?.summary.split(', then ').length).toBe(10);
  });
});

describe('a consumer\'s group, learnt from any op that names one', () => {
  it('a failed commit names the group too: what its consumer processed then counts for that group only', () => {
    // k1's only op naming a group is a failed commit for g1; g2's commit passed v(1), which only k1 processed.
    const ops = history().commitFail('k1', 1, 0, 'g1').process('k1', 0, v(1)).assign('k2', [0], 'g2').commit('k2', 1, 0, 'g2').build();
    expect(runChecker('lost-delivery', ops, settled([v(1)]))?.examples.map((e) => [e['group'], e['value']])).toEqual([['g2', v(1)]]);
    // Ungrouped (no op names k1's group), the same processing counts for every group.
    const ungrouped = history().process('k1', 0, v(1)).assign('k2', [0], 'g2').commit('k2', 1, 0, 'g2').build();
    expect(runChecker('lost-delivery', ungrouped, settled([v(1)]))).toBeNull();
  });

  it('so does a successful commit, without an assign', () => {
    const ops = history().commit('k1', 0, 0, 'g1').process('k1', 0, v(1)).assign('k2', [0], 'g2').commit('k2', 1, 0, 'g2').build();
    expect(runChecker('lost-delivery', ops, settled([v(1)]))?.examples.map((e) => e['group'])).toEqual(['g2']);
  });
});

describe('edges the planted histories did not reach', () => {
  it('nonmonotonic-send compares a send with the previous one that landed, passing over a send that never did', () => {
    const ops = history().send('p0', v(1), 5).invoke('p0', v(2)).info('p0', v(2)).send('p0', v(3), 3).build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))?.examples[0]).toMatchObject({ earlier: { value: v(1), offset: 5 }, later: { value: v(3), offset: 3 } });
  });

  it('nonmonotonic-send keeps each producer\'s sends apart when two producers interleave', () => {
    const ops = history().send('p0', v(1), 5).send('p1', v(1, 1), 0).send('p0', v(2), 3).build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))?.examples.map((e) => e['producer'])).toEqual(['p0']);
  });

  it('nonmonotonic-send finds a send with no outcome at all where a poll read it, at its lowest offset', () => {
    // v(2) was invoked and never answered (no send-info either); it was read at 4, then at 1.
    const ops = history().send('p0', v(1), 2).invoke('p0', v(2)).poll('k1', [[4, v(2)]]).poll('k2', [[1, v(2)]]).build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))?.examples[0]).toMatchObject({ later: { value: v(2), offset: 1, landedBy: 'poll' } });
  });

  it('inconsistent-offsets lists each value read at an offset once, however often it is read', () => {
    const ops = history().poll('k1', [[1, v(2)]]).poll('k2', [[1, v(3)]]).poll('k3', [[1, v(3)]]).poll('k1', [[1, v(2)]]).build();
    const example = runChecker('inconsistent-offsets', ops, settled([]))?.examples[0];
    expect(example?.['distinctValues']).toBe(2);
    expect((example?.['observations'] as { process: string }[]).map((o) => o.process)).toEqual(['k1', 'k2']);
  });

  it('a crash of a consumer that never polled changes nothing', () => {
    const ops = history().crash('k9').poll('k1', [[0, v(1)]]).poll('k1', [[0, v(1)]]).build();
    expect(runChecker('nonmonotonic-poll', ops, settled([v(1)]))?.count).toBe(1);
  });
});

describe('each row\'s own records, not the next row\'s', () => {
  it('aborted-read reads a poll\'s records only, not those of the row recorded after it', () => {
    const ops = history().invoke('p0', v(1)).fail('p0', v(1)).pollMany('k1', []).hw('b1', [[0, v(1)]]).build();
    expect(runChecker('aborted-read', ops, settled([v(1)]))).toBeNull();
  });

  it('committed-record-lost takes a commit\'s records only, not those of the poll recorded after it', () => {
    const ops = history().hw('b1', [[0, v(1)]]).poll('k1', [[1, v(9)]]).build();
    expect(runChecker('committed-record-lost', ops, settled([v(1)]))).toBeNull();
  });

  it('unseen counts a poll\'s records as read, not those of the commit recorded after it', () => {
    const ops = history().send('p0', v(1), 0).send('p0', v(2), 1).poll('k1', [[0, v(1)]]).hw('b1', [[1, v(2)]]).build();
    expect(runChecker('unseen', ops, settled([v(1), v(2)]))?.examples.map((e) => e['value'])).toEqual([v(2)]);
  });

  it('nonmonotonic-send finds where a send of unknown outcome landed in polls only, not in the commit after one', () => {
    const ops = history().send('p0', v(1), 5).invoke('p0', v(2)).info('p0', v(2)).pollMany('k1', []).hw('b1', [[3, v(2)]]).build();
    expect(runChecker('nonmonotonic-send', ops, settled([]))).toBeNull();
  });

  it('inconsistent-offsets and the poll steps take a poll\'s records only, not those of the commit after it', () => {
    const ops = history().poll('k1', [[0, v(1)]]).hw('b1', [[0, v(2)]]).build();
    expect(runChecker('inconsistent-offsets', ops, settled([v(1)]))).toBeNull();
    const again = history().poll('k1', [[0, v(1)]]).hw('b1', [[0, v(1)]]).build();
    expect(runChecker('nonmonotonic-poll', again, settled([v(1)]))).toBeNull();
  });
});
