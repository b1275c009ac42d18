// The final log's choices that the older tests left open (docs/mutation.md): which replica an
// unsettled partition is read from when several tie, the order of partitions and of records, and
// a replica whose records come out of offset order.
import { describe, expect, it } from 'vitest';
import type { ReplicaState } from '../../models/history/history.js';
import { buildFinalLogs, finalLogOf } from '../../properties/index.js';
import { finalState, replica, v } from './builders.js';

const leaderless = { partition: 0, leader: null, leaderEpoch: 3, isr: [], replicas: ['b1', 'b2', 'b3'] };
const sourceOf = (replicas: readonly ReplicaState[]): string | null =>
  finalLogOf(buildFinalLogs(finalState([{ state: leaderless, replicas }])), 0).source;
/** Both orders of the replicas give the same source: the choice does not depend on input order. */
const bothOrders = (a: ReplicaState, b: ReplicaState): (string | null)[] => [sourceOf([a, b]), sourceOf([b, a])];

describe('final log of a partition nobody leads: the most advanced replica', () => {
  it('is the one with the highest HW, whatever its epoch or log end', () => {
    const high = replica('b2', [v(1), v(2)], { leaderEpoch: 1 });
    const low = replica('b1', [v(1), v(2), v(3)], { leaderEpoch: 5, highWatermark: 1 });
    expect(bothOrders(high, low)).toEqual(['b2', 'b2']);
  });

  it('at equal HW, the one with the higher leader epoch, whatever its log end', () => {
    const newer = replica('b2', [v(1), v(2)], { leaderEpoch: 4 });
    const older = replica('b1', [v(1), v(2), v(3)], { leaderEpoch: 3, highWatermark: 2 });
    expect(bothOrders(newer, older)).toEqual(['b2', 'b2']);
  });

  it('at equal HW and epoch, the one with the longer log', () => {
    const longer = replica('b3', [v(1), v(2), v(9)], { highWatermark: 2 });
    const shorter = replica('b1', [v(1), v(2)]);
    expect(bothOrders(longer, shorter)).toEqual(['b3', 'b3']);
  });

  it('at a full tie, the lowest node name', () => {
    expect(bothOrders(replica('b2', [v(1)]), replica('b1', [v(1)]))).toEqual(['b1', 'b1']);
    expect(bothOrders(replica('b3', [v(1)]), replica('b2', [v(1)]))).toEqual(['b2', 'b2']);
  });

  it('is not a replica that says it leads when the controller names another leader', () => {
    // The controller's leader b1 is up but does not lead (yet); b2 still claims to lead from an old epoch.
    const state = { ...leaderless, leader: 'b1' };
    const replicas = [replica('b1', [v(1)]), replica('b2', [v(1)], { isLeader: true }), replica('b3', [v(1), v(2)])];
    expect(finalLogOf(buildFinalLogs(finalState([{ state, replicas }])), 0)).toMatchObject({ source: 'b3', settled: false });
  });

  it('is an up replica before any replica that is down, however advanced', () => {
    const down = replica('b1', [v(1), v(2), v(3)], { up: false, leaderEpoch: 9 });
    expect(bothOrders(down, replica('b2', [v(1)]))).toEqual(['b2', 'b2']);
  });
});

describe('final logs: order and contents', () => {
  it('lists partitions in ascending order, those known only from a replica or only from the controller included', () => {
    const final = {
      partitions: [
        { partition: 4, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] },
        { partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] },
      ],
      replicas: [replica('b1', [v(1)], { partition: 2 }), replica('b1', [v(2)], { partition: 0, isLeader: true })],
    };
    const logs = buildFinalLogs(final);
    expect([...logs.keys()]).toEqual([0, 2, 4]);
    expect([...logs.values()].map((l) => [l.partition, l.source, l.settled, l.records.map((r) => r.value)])).toEqual([
      [0, 'b1', true, [v(2)]],
      [2, 'b1', false, [v(1)]],
      [4, null, false, []],
    ]);
    expect(finalLogOf(logs, 4)).toMatchObject({ highWatermark: 0, records: [] });
  });

  it('lists partitions numerically, not as strings (10 after 9)', () => {
    const parts = [10, 9, 1].map((partition) => ({ partition, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1'] }));
    const replicas = [10, 9, 1].map((partition) => replica('b1', [v(partition)], { partition, isLeader: true }));
    expect([...buildFinalLogs({ partitions: parts, replicas }).keys()]).toEqual([1, 9, 10]);
  });

  it('sorts records a replica holds out of offset order, and still indexes each value at its lowest offset', () => {
    const base = replica('b1', [v(1), v(2), v(1), v(3)], { isLeader: true });
    const shuffled: ReplicaState = { ...base, records: [base.records[2]!, base.records[0]!, base.records[3]!, base.records[1]!] };
    const log = finalLogOf(buildFinalLogs(finalState([{ state: { ...leaderless, leader: 'b1' }, replicas: [shuffled] }])), 0);
    expect(log.records.map((r) => r.offset)).toEqual([0, 1, 2, 3]);
    expect(log.firstOffset.get(v(1))).toBe(0);
    expect(log.repeatedOffsets.get(v(1))).toEqual([0, 2]);
  });

  it('keeps one repeated value at all three of its offsets, and a value held once out of the repeated index', () => {
    const log = finalLogOf(buildFinalLogs(finalState([{
      state: { ...leaderless, leader: 'b1' },
      replicas: [replica('b1', [v(7), v(8), v(7), v(7)], { isLeader: true })],
    }])), 0);
    expect([...log.repeatedOffsets]).toEqual([[v(7), [0, 2, 3]]]);
  });
});
