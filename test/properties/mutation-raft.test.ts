// Sharper tests of the four Raft checkers (properties/checkers/raft.ts), written for the mutants the
// planted-anomaly tests of raft-invariants.test.ts leave alive (docs/mutation.md): whole summaries,
// one case per pair of replicas, terms and partitions kept apart, commits merged per term.
import { describe, expect, it } from 'vitest';
import type { HistoryOp, ReplicaState } from '../../models/history/history.js';
import { finalState, replica, runChecker, v } from './builders.js';

const state = { partition: 0, leader: 'b1', leaderEpoch: 2, isr: ['b1', 'b2', 'b3'], replicas: ['b1', 'b2', 'b3'] };
const elected = (process: string, term: number, logEnd = 0, t = term * 1000, partition = 0): HistoryOp =>
  ({ kind: 'leader-elected', t, process, partition, term, logEnd });
const commit = (process: string, epoch: number, records: readonly [number, number][], t: number, partition = 0): HistoryOp =>
  ({ kind: 'hw-advance', t, process, partition, leaderEpoch: epoch, records: records.map(([offset, value]) => ({ offset, value })) });
/** A replica whose records carry the given epochs. */
const withEpochs = (r: ReplicaState, epochs: readonly number[]): ReplicaState => ({ ...r, records: r.records.map((x, i) => ({ ...x, epoch: epochs[i]! })) });
/** A replica holding [offset, value, epoch] entries, with gaps where offsets are missing. */
const gapped = (node: string, entries: readonly [number, number, number][]): ReplicaState => ({
  ...replica(node, []),
  logEndOffset: entries[entries.length - 1]![0] + 1,
  highWatermark: entries[entries.length - 1]![0] + 1,
  records: entries.map(([offset, value, epoch]) => ({ offset, value, epoch })),
});
const clean = finalState([{ state, replicas: [replica('b1', [v(1)], { isLeader: true })] }]);
const raftFinal = (...replicas: ReplicaState[]) => finalState([{ state, replicas }]);

describe('election-safety: the whole report', () => {
  it('says who won which term when, and reports each later winner against the first', () => {
    const report = runChecker('election-safety', [elected('b1', 1, 0, 1000), elected('b2', 1, 0, 1500), elected('b3', 1, 0, 1700)], clean);
    expect(report).toEqual({
      type: 'election-safety',
      count: 2,
      examples: [
        { summary: 'b1 (1000µs) and b2 (1500µs) both won term 1 of partition 0', partition: 0, term: 1, leaders: ['b1', 'b2'], electedAtUs: [1000, 1500] },
        { summary: 'b1 (1000µs) and b3 (1700µs) both won term 1 of partition 0', partition: 0, term: 1, leaders: ['b1', 'b3'], electedAtUs: [1000, 1700] },
      ],
    });
  });

  it('keeps partitions apart: one term of two partitions may have two leaders', () => {
    expect(runChecker('election-safety', [elected('b1', 1, 0, 1000, 0), elected('b2', 1, 0, 1100, 1)], clean)).toBeNull();
  });
});

describe('log-matching: the whole report', () => {
  it('says which entry two logs share and what differs there', () => {
    const report = runChecker('log-matching', [elected('b1', 1)], raftFinal(replica('b1', [v(1), v(2)], { isLeader: true }), replica('b2', [v(1), v(3)])));
    expect(report).toEqual({
      type: 'log-matching',
      count: 1,
      examples: [{
        summary: 'b1 and b2 both hold an entry of epoch 1 at offset 1 of partition 0, but p0:2 and p0:3',
        partition: 0, offset: 1, epoch: 1, nodes: ['b1', 'b2'], firstDifference: 1,
      }],
    });
  });

  it('says where logs agreeing at an entry began to differ, one case per pair however many entries follow', () => {
    const b1 = withEpochs(replica('b1', [v(1), v(2), v(4), v(5)], { isLeader: true }), [1, 1, 3, 3]);
    const b2 = withEpochs(replica('b2', [v(1), v(2), v(4), v(6)]), [1, 2, 3, 3]);
    const report = runChecker('log-matching', [elected('b1', 1)], raftFinal(b1, b2));
    // Offset 1 holds the same value in two epochs: that is a difference too.
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toEqual({
      summary: 'b1 and b2 both hold an entry of epoch 3 at offset 2 of partition 0, but their logs differ from offset 1',
      partition: 0, offset: 2, epoch: 3, nodes: ['b1', 'b2'], firstDifference: 1,
    });
  });

  it('compares every pair of replicas, the first one agreeing with both others', () => {
    const report = runChecker('log-matching', [elected('b1', 1)], raftFinal(
      replica('b3', [v(1), v(8)]), replica('b1', [v(1)], { isLeader: true }), replica('b2', [v(1), v(7)]),
    ));
    expect(report?.examples.map((e) => e['nodes'])).toEqual([['b2', 'b3']]);
  });

  it('reports the first offset where the logs began to differ, not the last', () => {
    // Offsets 0 and 1 hold the same values in other epochs; offset 2 is an entry of epoch 3 on both.
    const b1 = withEpochs(replica('b1', [v(1), v(2), v(3)], { isLeader: true }), [1, 1, 3]);
    const b2 = withEpochs(replica('b2', [v(1), v(2), v(3)]), [2, 2, 3]);
    expect(runChecker('log-matching', [elected('b1', 1)], raftFinal(b1, b2))?.examples[0]).toMatchObject({ offset: 2, firstDifference: 0 });
  });

  it('skips offsets the second log of a pair lacks', () => {
    const full = gapped('b1', [[0, v(1), 1], [1, v(2), 1], [2, v(3), 1]]);
    const holed = gapped('b2', [[0, v(1), 1], [2, v(3), 1]]);
    expect(runChecker('log-matching', [elected('b1', 1)], raftFinal(full, holed))).toBeNull();
  });

  it('skips offsets one log lacks (a log with gaps), and reads the others at their own offsets', () => {
    const x = gapped('b1', [[0, v(1), 1], [2, v(3), 1], [3, v(4), 1]]);
    const y = gapped('b2', [[0, v(1), 1], [1, v(2), 1], [2, v(3), 1], [3, v(4), 1]]);
    expect(runChecker('log-matching', [elected('b1', 1)], raftFinal(x, y))).toBeNull();
    const z = gapped('b2', [[0, v(1), 1], [1, v(2), 1], [2, v(3), 1], [3, v(9), 1]]);
    expect(runChecker('log-matching', [elected('b1', 1)], raftFinal(x, z))?.examples[0]).toMatchObject({ offset: 3, firstDifference: 3 });
  });
});

describe('leader-completeness: the whole report and what it counts as committed', () => {
  it('says what the leader lacked', () => {
    const report = runChecker('leader-completeness', [elected('b1', 1), commit('b1', 1, [[0, v(1)], [1, v(2)]], 5000), elected('b2', 2, 1, 20_000)], clean);
    expect(report).toEqual({
      type: 'leader-completeness',
      count: 1,
      examples: [{
        summary: 'b2 won term 2 of partition 0 with its log ending at 1, but term 1 had committed up to offset 1',
        partition: 0, term: 2, leader: 'b2', logEnd: 1, committedTerm: 1, committedEnd: 2,
      }],
    });
  });

  it('takes the highest offset a term committed, over several commits in any order', () => {
    const rising = [elected('b1', 1), commit('b1', 1, [[0, v(1)]], 5000), commit('b1', 1, [[1, v(2)], [2, v(3)]], 6000), elected('b2', 2, 2, 20_000)];
    expect(runChecker('leader-completeness', rising, clean)?.examples[0]).toMatchObject({ committedEnd: 3 });
    const falling = [elected('b1', 1), commit('b1', 1, [[0, v(1)], [1, v(2)], [2, v(3)]], 5000), commit('b1', 1, [[0, v(1)]], 6000), elected('b2', 2, 2, 20_000)];
    expect(runChecker('leader-completeness', falling, clean)?.examples[0]).toMatchObject({ committedEnd: 3 });
  });

  it('ignores a commit with no records', () => {
    // An empty commit of partition 0 after partition 1 committed up to offset 5: nothing is committed on partition 0.
    const ops = [elected('b1', 1), elected('c1', 1, 0, 1000, 1), commit('c1', 1, [[5, v(6)]], 4000, 1), commit('b1', 1, [], 5000), elected('b2', 2, 0, 20_000)];
    expect(runChecker('leader-completeness', ops, clean)).toBeNull();
  });

  it('takes only commits (hw-advance) for committed, not what a consumer polled', () => {
    const poll: HistoryOp = { kind: 'poll', t: 5000, process: 'k1', records: [0, 1, 2].map((offset) => ({ partition: 0, offset, value: v(offset + 1) })) };
    expect(runChecker('leader-completeness', [elected('b1', 1), poll, elected('b2', 2, 0, 20_000)], clean)).toBeNull();
    const stale: HistoryOp = { kind: 'poll', t: 6000, process: 'k1', records: [{ partition: 0, offset: 0, value: v(9) }] };
    expect(runChecker('state-machine-safety', [elected('b1', 1), commit('b1', 1, [[0, v(1)]], 5000), stale], clean)).toBeNull();
  });

  it('judges a leader only against earlier terms of its own partition', () => {
    // The term's own leader, a later term's commit, another partition's commit: none is a case.
    const ops = [
      elected('b1', 1, 0), commit('b1', 1, [[0, v(1)], [1, v(2)]], 5000),
      commit('b3', 3, [[0, v(1)], [1, v(2)], [2, v(3)]], 6000),
      elected('c1', 1, 0, 1000, 1), commit('c1', 1, [[0, v(1)], [1, v(2)], [2, v(3)], [3, v(4)]], 7000, 1),
      elected('b2', 2, 2, 20_000),
    ];
    expect(runChecker('leader-completeness', ops, clean)).toBeNull();
  });
});

describe('state-machine-safety: the whole report and every change of value', () => {
  it('says who committed what at the offset, and compares each commit with the latest', () => {
    const ops = [
      elected('b1', 1), commit('b1', 1, [[0, v(1)], [1, v(2)]], 5000), commit('b2', 2, [[1, v(3)]], 30_000), commit('b3', 3, [[1, v(2)]], 40_000),
    ];
    const report = runChecker('state-machine-safety', ops, clean);
    expect(report).toEqual({
      type: 'state-machine-safety',
      count: 2,
      examples: [
        {
          summary: 'offset 1 of partition 0 was committed as p0:2 (by b1, epoch 1) and later as p0:3 (by b2, epoch 2)',
          partition: 0, offset: 1, values: [v(2), v(3)], leaders: ['b1', 'b2'], epochs: [1, 2],
        },
        {
          summary: 'offset 1 of partition 0 was committed as p0:3 (by b2, epoch 2) and later as p0:2 (by b3, epoch 3)',
          partition: 0, offset: 1, values: [v(3), v(2)], leaders: ['b2', 'b3'], epochs: [2, 3],
        },
      ],
    });
  });

  it('keeps partitions apart: one offset of two Raft partitions may hold two values', () => {
    const ops = [elected('b1', 1), elected('c1', 1, 0, 1000, 1), commit('b1', 1, [[0, v(1)]], 5000), commit('c1', 1, [[0, v(2)]], 6000, 1)];
    expect(runChecker('state-machine-safety', ops, clean)).toBeNull();
  });
});
