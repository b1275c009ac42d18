// The four Raft invariant checkers (properties/checkers/raft.ts) on hand-made histories: each
// catches its planted anomaly and passes the clean case; none judges an ISR history.
import { describe, expect, it } from 'vitest';
import type { HistoryOp, ReplicaState } from '../../models/history/history.js';
import { finalState, replica, runChecker, v } from './builders.js';

const state = { partition: 0, leader: 'b1', leaderEpoch: 2, isr: ['b1', 'b2', 'b3'], replicas: ['b1', 'b2', 'b3'] };
const elected = (process: string, term: number, logEnd = 0, t = term * 1000): HistoryOp => ({ kind: 'leader-elected', t, process, partition: 0, term, logEnd });
const commit = (process: string, epoch: number, records: readonly [number, number][], t = 10_000): HistoryOp =>
  ({ kind: 'hw-advance', t, process, partition: 0, leaderEpoch: epoch, records: records.map(([offset, value]) => ({ offset, value })) });
/** A replica whose records carry the given epochs. */
const withEpochs = (r: ReplicaState, epochs: readonly number[]): ReplicaState => ({ ...r, records: r.records.map((x, i) => ({ ...x, epoch: epochs[i]! })) });
const clean = finalState([{ state, replicas: [replica('b1', [v(1), v(2)], { isLeader: true }), replica('b2', [v(1), v(2)]), replica('b3', [v(1)])] }]);

describe('election-safety', () => {
  it('reports two leaders of one term', () => {
    const report = runChecker('election-safety', [elected('b1', 1), elected('b2', 1, 0, 1500)], clean);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ partition: 0, term: 1, leaders: ['b1', 'b2'] });
  });
  it('passes one leader per term, the same leader recorded twice included', () => {
    expect(runChecker('election-safety', [elected('b1', 1), elected('b2', 2), elected('b2', 2, 0, 2500), elected('b1', 3)], clean)).toBeNull();
  });
});

describe('log-matching', () => {
  it('reports an entry of one epoch at one offset with two values', () => {
    const final = finalState([{ state, replicas: [replica('b1', [v(1), v(2)], { isLeader: true }), replica('b2', [v(1), v(3)])] }]);
    const report = runChecker('log-matching', [elected('b1', 1)], final);
    expect(report?.examples[0]).toMatchObject({ offset: 1, epoch: 1, nodes: ['b1', 'b2'], firstDifference: 1 });
  });
  it('reports logs that agree at an entry of one epoch but differ before it', () => {
    const b1 = withEpochs(replica('b1', [v(1), v(2), v(4)], { isLeader: true }), [1, 1, 3]);
    const b2 = withEpochs(replica('b2', [v(1), v(5), v(4)]), [1, 2, 3]);
    const report = runChecker('log-matching', [elected('b1', 1)], finalState([{ state, replicas: [b1, b2] }]));
    expect(report?.examples[0]).toMatchObject({ offset: 2, epoch: 3, firstDifference: 1 });
  });
  it('passes a follower behind, and a conflicting suffix of another epoch (to be truncated)', () => {
    const b1 = withEpochs(replica('b1', [v(1), v(2), v(3)], { isLeader: true }), [1, 2, 2]);
    const b2 = withEpochs(replica('b2', [v(1), v(9)]), [1, 1]);
    expect(runChecker('log-matching', [elected('b1', 1)], finalState([{ state, replicas: [b1, b2, replica('b3', [v(1)])] }]))).toBeNull();
  });
  it('does not judge an ISR run (no leader-elected operation)', () => {
    const final = finalState([{ state, replicas: [replica('b1', [v(1), v(2)], { isLeader: true }), replica('b2', [v(1), v(3)])] }]);
    expect(runChecker('log-matching', [], final)).toBeNull();
  });
});

describe('leader-completeness', () => {
  it('reports a leader whose log ended below what an earlier term committed', () => {
    const report = runChecker('leader-completeness', [elected('b1', 1), commit('b1', 1, [[0, v(1)], [1, v(2)]]), elected('b2', 2, 1, 20_000)], clean);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ term: 2, leader: 'b2', logEnd: 1, committedTerm: 1, committedEnd: 2 });
  });
  it('passes a later leader holding every committed offset', () => {
    expect(runChecker('leader-completeness', [elected('b1', 1), commit('b1', 1, [[0, v(1)], [1, v(2)]]), elected('b2', 2, 2, 20_000)], clean)).toBeNull();
  });
});

describe('state-machine-safety', () => {
  it('reports one offset committed as two values', () => {
    const report = runChecker('state-machine-safety', [elected('b1', 1), commit('b1', 1, [[0, v(1)], [1, v(2)]]), commit('b2', 2, [[1, v(3)]], 30_000)], clean);
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ offset: 1, values: [v(2), v(3)], leaders: ['b1', 'b2'], epochs: [1, 2] });
  });
  it('passes the same value committed again by a later leader', () => {
    expect(runChecker('state-machine-safety', [elected('b1', 1), commit('b1', 1, [[0, v(1)], [1, v(2)]]), commit('b2', 2, [[1, v(2)]], 30_000)], clean)).toBeNull();
  });
  it('does not judge an ISR run', () => {
    expect(runChecker('state-machine-safety', [commit('b1', 1, [[1, v(2)]]), commit('b2', 2, [[1, v(3)]], 30_000)], clean)).toBeNull();
  });
  it('does not judge an ISR partition beside a Raft group of another partition (a controller quorum\'s metadata log)', () => {
    const metadataLeader: HistoryOp = { kind: 'leader-elected', t: 1000, process: 'c1', partition: 1, term: 1, logEnd: 0 };
    expect(runChecker('state-machine-safety', [metadataLeader, commit('b1', 1, [[1, v(2)]]), commit('b2', 2, [[1, v(3)]], 30_000)], clean)).toBeNull();
    const final = finalState([{ state, replicas: [replica('b1', [v(1), v(2)], { isLeader: true }), replica('b2', [v(1), v(3)])] }]);
    expect(runChecker('log-matching', [metadataLeader], final)).toBeNull();
  });
});
