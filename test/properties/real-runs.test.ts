// Every checker on real simulated runs: a clean run of the whole model (producers, brokers, a
// consumer group) passes all thirteen; then, for each checker, one anomaly planted into that real
// history or final state is reported. And liveness: a run that cannot settle says so.
import { describe, expect, test } from 'vitest';
import type { FinalState, HistoryOp, ReplicaState } from '../../models/history/history.js';
import type { AnomalyType } from '../../properties/anomaly.js';
import { checkAll } from '../../properties/check.js';
import { forEachPollStep } from '../../properties/_internals/poll-steps.js';
import type { PollStep } from '../../properties/_internals/poll-steps.js';
import type { HistoryInput } from '../../properties/check-input.js';
import type { RunOutput } from '../../scenario/run.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';

const clean: RunOutput = runScenario(parseScenario({
  durationMs: 4000, settleMs: 6000, producers: [{ messagesPerSec: 200 }],
  // earliest: the clean run consumes everything, the records sent before the group started included.
  consumers: [{ count: 1, commit: 'after-process', 'auto.offset.reset': 'earliest', 'session.timeout.ms': 6000 }], faults: { mode: 'none' },
}, 'real'), 1);

const found = (history: HistoryInput, final: FinalState): AnomalyType[] =>
  checkAll(history, final, { consumers: true }).map((a) => a.type);

type Op<K extends HistoryOp['kind']> = Extract<HistoryOp, { kind: K }>;
// One array of the clean run's operations: plants find ops in it by identity.
const cleanOps = clean.history.toArray();
const opsOf = <K extends HistoryOp['kind']>(kind: K) => cleanOps.filter((op): op is Op<K> => op.kind === kind);
const leader = (final: FinalState): ReplicaState => final.replicas.find((r) => r.isLeader)!;
const follower = (final: FinalState): ReplicaState => final.replicas.find((r) => !r.isLeader)!;
const withReplica = (final: FinalState, node: string, change: (r: ReplicaState) => ReplicaState): FinalState =>
  ({ ...final, replicas: final.replicas.map((r) => (r.node === node ? change(r) : r)) });

describe('checkers on a real run', () => {
  test('a clean run of the whole model passes all thirteen checkers', () => {
    expect(opsOf('poll').length).toBeGreaterThan(10);
    expect(opsOf('commit-ok').length).toBeGreaterThan(5);
    expect(found(clean.history, clean.final)).toEqual([]);
    expect(clean.result.settle).toMatchObject({ settled: true, problems: [] });
    expect(clean.result.liveness).toEqual([]);
  });

  // Each plant takes the real history and final state and returns them with one anomaly in.
  // log-matching and state-machine-safety judge only Raft runs: a history with a Raft election.
  const raftElection: HistoryOp = { kind: 'leader-elected', t: 4_999_999, process: 'b1', partition: 0, term: 1, logEnd: 0 };
  const plants: Record<AnomalyType, () => [HistoryInput, FinalState]> = {
    // Raft's four (properties/checkers/raft.ts), planted into the ISR run's history and final state.
    'election-safety': () => [[...cleanOps, ...['b1', 'b2'].map((process, i): HistoryOp => (
      { kind: 'leader-elected', t: 5_000_000 + i, process, partition: 0, term: 7, logEnd: 0 }))], clean.final],
    'log-matching': () => {
      const f = follower(clean.final);
      return [[...cleanOps, raftElection], withReplica(clean.final, f.node, (r) => ({ ...r, records: r.records.map((x) => (x.offset === 3 ? { ...x, value: 999_999_998 } : x)) }))];
    },
    'leader-completeness': () => [[...cleanOps, { kind: 'leader-elected', t: 5_000_000, process: 'b2', partition: 0, term: 99, logEnd: 0 }], clean.final],
    'state-machine-safety': () => {
      const hw = opsOf('hw-advance')[0]!;
      return [[...cleanOps, raftElection, { ...hw, t: 5_000_000, records: [{ offset: hw.records[0]!.offset, value: 999_999_997 }] }], clean.final];
    },
    'lost-write': () => {
      const l = leader(clean.final);
      return [clean.history, withReplica(clean.final, l.node, (r) => ({ ...r, records: r.records.filter((x) => x.offset !== 10) }))];
    },
    'unseen': () => [cleanOps.filter((op) => !(op.kind === 'poll' && op.records.some((r) => r.offset === l0end() - 1))), clean.final],
    'duplicate': () => {
      const l = leader(clean.final);
      const first = l.records[0]!;
      const extra = { offset: l.logEndOffset, epoch: first.epoch, value: first.value };
      return [clean.history, withReplica(clean.final, l.node, (r) => ({ ...r, records: [...r.records, extra], logEndOffset: r.logEndOffset + 1, highWatermark: r.highWatermark + 1 }))];
    },
    'inconsistent-offsets': () => {
      const poll = opsOf('poll')[0]!;
      const bad = { ...poll, t: poll.t + 1, records: [{ ...poll.records[0]!, value: 999_999_999 }] };
      return [[...clean.history, bad], clean.final];
    },
    'nonmonotonic-poll': () => {
      const last = opsOf('poll').at(-1)!;
      return [[...clean.history, { ...last, t: last.t + 1, records: [opsOf('poll')[0]!.records[0]!] }], clean.final];
    },
    'poll-skip': () => {
      const middle = opsOf('poll')[Math.floor(opsOf('poll').length / 2)]!;
      return [cleanOps.filter((op) => op !== middle), clean.final];
    },
    'nonmonotonic-send': () => {
      const oks = opsOf('send-ok');
      const [a, b] = [oks[5]!, oks[400]!];
      return [cleanOps.map((op) => (op === a ? { ...a, offset: b.offset } : op === b ? { ...b, offset: a.offset } : op)), clean.final];
    },
    'aborted-read': () => {
      const ok = opsOf('send-ok')[3]!;
      return [cleanOps.map((op) => (op === ok ? { kind: 'send-fail', t: ok.t, process: ok.process, value: ok.value, partition: ok.partition, error: 'NOT_ENOUGH_REPLICAS' } as const : op)), clean.final];
    },
    'log-divergence': () => {
      const f = follower(clean.final);
      return [clean.history, withReplica(clean.final, f.node, (r) => ({ ...r, records: r.records.map((x) => (x.offset === 7 ? { ...x, value: 999_999_998 } : x)) }))];
    },
    'committed-record-lost': () => {
      const hw = opsOf('hw-advance')[0]!;
      return [[...clean.history, { ...hw, t: hw.t + 1, records: [{ offset: 0, value: 999_999_997 }] }], clean.final];
    },
    'duplicate-delivery': () => {
      const p = opsOf('process')[2]!;
      return [[...clean.history, { ...p, t: p.t + 1 }], clean.final];
    },
    'lost-delivery': () => {
      const p = opsOf('process')[2]!;
      return [cleanOps.filter((op) => op !== p), clean.final];
    },
    'intermediate-read': () => {
      // The consumer reads read_committed, and the polled value's producer asked to commit it only after the poll.
      const poll = opsOf('poll')[0]!;
      const value = poll.records[0]!.value;
      const invoke = opsOf('send-invoke').find((op) => op.value === value)!;
      const assign = opsOf('assign')[0]!;
      return [[
        ...cleanOps.map((op) => (op === assign ? { ...assign, readCommitted: true } : op)),
        { kind: 'txn-end', t: poll.t + 1, process: invoke.process, transactionalId: 'tx', commit: true, values: [value] },
      ], clean.final];
    },
    // A pipeline's transform ops (properties/checkers/pipeline.ts) over the clean run's committed records.
    'pipeline-duplicate': () => {
      const [input, a, b] = leader(clean.final).records;
      const read = { partition: 0, offset: input!.offset, value: input!.value };
      const transform = (output: number, t: number): HistoryOp => ({ kind: 'transform', t, process: 't1', group: 'pipeline', transactionalId: 'pipeline-1', inputs: [read], outputs: [output], offsets: [] });
      return [[...cleanOps, transform(a!.value, 5_000_000), transform(b!.value, 5_000_001)], clean.final];
    },
    'pipeline-lost': () => {
      const records = leader(clean.final).records;
      const read = { partition: 0, offset: records[5]!.offset, value: records[5]!.value };
      return [[...cleanOps, {
        kind: 'transform', t: 5_000_000, process: 't1', group: 'pipeline', transactionalId: 'pipeline-1', inputs: [read], outputs: [records[6]!.value],
        offsets: [{ partition: 0, offset: 10 }],
      }], clean.final];
    },
  };
  const l0end = () => leader(clean.final).highWatermark;

  test('inconsistent-offsets: an acknowledgement alone, with no poll, reports a rewritten offset', () => {
    const oks = opsOf('send-ok');
    const [a, b] = [oks[20]!, oks[21]!];
    const withoutPolls = cleanOps.filter((op) => op.kind !== 'poll').map((op) => (op === b ? { ...b, offset: a.offset } : op));
    expect(found(withoutPolls, clean.final)).toContain('inconsistent-offsets');
    expect(found(cleanOps.filter((op) => op.kind !== 'poll'), clean.final)).not.toContain('inconsistent-offsets');
  });

  for (const [type, plant] of Object.entries(plants) as [AnomalyType, () => [HistoryInput, FinalState]][]) {
    test(`${type}: planted into the real run, it is reported`, () => {
      const [history, final] = plant();
      expect(found(history, final)).toContain(type);
    });
  }
});

describe('positions across a real rebalance', () => {
  // Three consumers on three partitions under crashes, pauses and partitions: rebalances within
  // consecutive generations, some of which restart a kept partition below where its consumer stood
  // (an eager rebalance restarts at the committed offset). The first seed showing one is used.
  const scenario = parseScenario({
    durationMs: 15000, settleMs: 15000, topic: { partitions: 3 },
    consumers: [{ count: 3, commit: 'auto', 'session.timeout.ms': 6000, 'auto.commit.interval.ms': 2000 }],
    // Random nodes: the consumers must be hit too, which only the count targets do.
    faults: { mode: 'random', kinds: ['crash', 'pause', 'partition'], targets: 'any' },
  }, 'rebalances');
  const stepBack = (out: RunOutput): PollStep | undefined => {
    let found: PollStep | undefined;
    forEachPollStep(out.history, (step) => {
      if (found === undefined && step.rebalance !== null && step.current.offset < step.previous.next) found = step;
    });
    return found;
  };
  let run: { out: RunOutput; step: PollStep } | undefined;
  for (let seed = 1; seed <= 100 && run === undefined; seed++) {
    const out = runScenario(scenario, seed);
    const step = stepBack(out);
    if (step !== undefined) run = { out, step };
  }

  test('a restart at the committed offset below the position is at-least-once, not nonmonotonic-poll', () => {
    if (run === undefined) throw new Error('no seed in 1…100 restarts a kept partition below its position');
    expect(run.step.current.offset).toBeGreaterThanOrEqual(run.step.rebalance!.committed ?? -Infinity);
    const types = found(run.out.history, run.out.final);
    expect(types).not.toContain('nonmonotonic-poll');
    expect(types).not.toContain('poll-skip');
  });

  test('the same restart below a planted later commit of the group is reported', () => {
    if (run === undefined) throw new Error('no seed in 1…100 restarts a kept partition below its position');
    const { step } = run;
    const rebalance = step.rebalance!;
    const ops = run.out.history.toArray();
    const assignAt = ops.findIndex((op) => op.kind === 'assign' && op.process === step.process && op.generation === rebalance.generation);
    const commit = {
      kind: 'commit-ok', t: rebalance.assignedAtUs, process: step.process, group: rebalance.group,
      generation: rebalance.generation - 1, offsets: [{ partition: step.partition, offset: step.current.offset + 1 }],
    } as const;
    const planted = [...ops.slice(0, assignAt), commit, ...ops.slice(assignAt)];
    expect(found(planted, run.out.final)).toContain('nonmonotonic-poll');
  });
});

describe('liveness', () => {
  test('a run whose settle phase is too short to heal says it did not settle', () => {
    const out = runScenario(parseScenario({
      // b2 is fenced and leaves the ISR; the settle phase restarts it but ends before it rejoins.
      durationMs: 6000, settleMs: 0, consumers: [], broker: { 'broker.session.timeout.ms': 3000 },
      faults: { mode: 'script', steps: [{ atMs: 1000, fault: 'crash', node: 'b2' }] },
    }, 'short-settle'), 1);
    expect(out.result.settle.settled).toBe(false);
    expect(out.result.settle.problems.join('\n')).toMatch(/p0: ISR \[.*\] lacks b2 \(up\)/);
    expect(out.result.liveness.map((r) => r.type)).toEqual(['not-settled']);
  });

  test('the same faults with time to settle end settled', () => {
    const out = runScenario(parseScenario({
      durationMs: 6000, settleMs: 8000, consumers: [], broker: { 'broker.session.timeout.ms': 3000 },
      faults: { mode: 'script', steps: [{ atMs: 1000, fault: 'crash', node: 'b2' }] },
    }, 'settled'), 1);
    expect(out.result.settle).toMatchObject({ settled: true, problems: [] });
  });
});
