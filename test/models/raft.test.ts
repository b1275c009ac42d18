// Raft-replicated partitions (protocol.replication raft, models/raft/): elections without the
// controller, the leader's no-op, commit by majority, fsync before an entry counts, and the clients
// working unchanged against a Raft leader. Runs of a few simulated seconds, read as the checkers do.
import { describe, expect, test } from 'vitest';
import { isNoopValue, noopValue } from '../../models/raft/replica.js';
import { anomalyTypes, ops, records, run, scripted } from './harness.js';

const RAFT = { protocol: { replication: 'raft' }, brokers: 3, topic: { partitions: 1, replicationFactor: 3 } };

describe('Raft partitions', () => {
  test('without faults: one election, the leader\'s no-op first, every acked value committed, every checker passes', () => {
    const out = run(scripted({ ...RAFT, durationMs: 5000 }, []));
    const elected = ops(out, 'leader-elected');
    expect(elected).toHaveLength(1);
    expect(elected[0]).toMatchObject({ partition: 0, term: 1, logEnd: 0 });
    const leader = out.final.replicas.find((r) => r.node === elected[0]!.process)!;
    expect(leader.records[0]).toEqual({ offset: 0, epoch: 1, value: noopValue(0, 1) });
    expect(isNoopValue(leader.records[0]!.value)).toBe(true);
    expect(ops(out, 'send-ok').length).toBeGreaterThan(300);
    expect(out.result.anomalies).toEqual([]);
    expect(out.result.settle.settled).toBe(true);
    // Every replica holds the same log; the leader committed all of it (a follower learns the last commit on its next fetch).
    expect(leader.highWatermark).toBe(leader.logEndOffset);
    for (const replica of out.final.replicas) expect(replica.records).toEqual(leader.records);
    // The controller learnt the leader from it (clients' metadata), as the leader epoch = term.
    expect(out.final.partitions[0]).toMatchObject({ leader: leader.node, leaderEpoch: 1 });
  });

  test('the leader and the controller crash: a majority elects a new leader without the controller, and the producer follows it', () => {
    const first = run(scripted({ ...RAFT, durationMs: 12000 }, []));
    const leader = ops(first, 'leader-elected')[0]!.process;
    const out = run(scripted({ ...RAFT, durationMs: 12000 }, [
      { atMs: 3000, fault: 'crash', node: 'c1' },
      { atMs: 3500, fault: 'crash', node: leader },
    ]));
    const elected = ops(out, 'leader-elected');
    // Term 1, then a later term (a split vote may use up a term in between).
    expect(elected).toHaveLength(2);
    expect(elected[1]!.term).toBeGreaterThan(1);
    const second = elected[1]!;
    expect(second.process).not.toBe(leader);
    // Within the fetch timeout (2 s) plus at most two election timeouts (2 × 2 s) of the crash.
    expect(second.t - 3_500_000).toBeLessThan(6_000_000);
    // Acknowledged sends resume while the controller is still down (it restarts only when the load ends).
    expect(ops(out, 'send-ok').some((op) => op.t > second.t && op.t < 12_000_000)).toBe(true);
    expect(records(out, 'election', 'c1')).toEqual([]);
    expect(out.result.anomalies).toEqual([]);
  });

  test('a follower cut off from the leader for longer than the fetch timeout cannot win a pre-vote against a live leader', () => {
    const first = run(scripted({ ...RAFT, durationMs: 10000 }, []));
    const leader = ops(first, 'leader-elected')[0]!.process;
    const follower = ['b1', 'b2', 'b3'].find((b) => b !== leader)!;
    const out = run(scripted({ ...RAFT, durationMs: 10000 }, [
      { atMs: 2000, fault: 'partition', from: leader, to: follower },
      { atMs: 2000, fault: 'partition', from: follower, to: leader },
      { atMs: 7000, fault: 'heal' },
    ]));
    // It keeps asking (pre-votes), but the third replica still hears the leader and refuses: no new term.
    expect(records(out, 'raft-prevote', follower).length).toBeGreaterThan(0);
    expect(ops(out, 'leader-elected').map((e) => e.term)).toEqual([1]);
    expect(out.result.anomalies).toEqual([]);
  });

  test('a paused voter answering a backlog of vote requests: its grant in an older term does not count in a newer one', () => {
    // Seed 1436 of every fault kind: b3, paused, resumed with vote requests of terms 3 and 4 queued; its
    // term-3 grant to b2 went out after it had moved to term 4 and carried term 4, and b1 and b2 both
    // won term 4 (the model's election-safety assertion stopped the run).
    const out = run({
      ...RAFT, durationMs: 30000, topic: { partitions: 1, replicationFactor: 3 },
      consumers: [{ group: 'g1', count: 2, commit: 'after-process', 'auto.offset.reset': 'earliest' }],
      faults: { mode: 'random', kinds: ['partition', 'crash', 'power-loss', 'pause', 'slow-disk', 'slow-net', 'clock-skew'], meanIntervalMs: 3000 },
    }, 1436);
    const terms = ops(out, 'leader-elected').filter((e) => e.partition === 0).map((e) => e.term);
    expect(new Set(terms).size).toBe(terms.length);
    expect(anomalyTypes(out).filter((t) => t !== 'duplicate-delivery')).toEqual([]);
  });

  const POWER = {
    ...RAFT, brokers: 5, durationMs: 30000, consumers: [],
    faults: { mode: 'random', kinds: ['power-loss', 'crash', 'partition'], meanIntervalMs: 3000, targets: 'any' },
  };

  test('correlated power losses: with raft.fsync nothing acknowledged is lost; without it the same seed loses writes', () => {
    // The first of seeds 1…8 where fsync off loses acknowledged writes (seed 1 as the model stands).
    const lossy = [1, 2, 3, 4, 5, 6, 7, 8].find((seed) => anomalyTypes(run({ ...POWER, raft: { fsync: false } }, seed)).includes('lost-write'));
    expect(lossy).toBeDefined();
    const safe = run({ ...POWER, raft: { fsync: true } }, lossy!);
    expect(anomalyTypes(safe).filter((t) => t !== 'duplicate-delivery')).toEqual([]);
    expect(safe.result.stats.fsyncs).toBeGreaterThan(safe.result.stats.acked / 10);
  }, 60_000);
});
