// The replication model under scripted faults: each test names the behaviour of KAFKA.md it shows
// and fails if the model did otherwise. Fault scripts, not sleeps; every run is deterministic.
import { describe, expect, test } from 'vitest';
import { count, ops, records, run, safetyHolds, scripted } from './harness.js';

const FAST = { 'replica.lag.time.max.ms': 5000, 'broker.session.timeout.ms': 3000 };
const SPLIT_FOLLOWERS = { fault: 'partition', groups: [['b1', 'p1', 'c1'], ['b2', 'b3', 'c1']] };

describe('ISR membership', () => {
  test('a partitioned follower leaves the ISR after the lag time and rejoins after heal', () => {
    const out = run(scripted({ durationMs: 20000, settleMs: 5000, broker: FAST }, [
      // b3 still reaches the controller: it leaves the ISR for lagging, not for being fenced.
      { atMs: 2000, fault: 'partition', groups: [['b1', 'b2', 'p1', 'c1'], ['b3', 'c1']] },
      { atMs: 12000, fault: 'heal' },
    ]));
    const isr = records(out, 'isr', 'b1');
    const shrink = isr.find((r) => !(r.isr as string[]).includes('b3'));
    expect(shrink).toBeDefined();
    // Not before the lag time has passed, and within one more check interval (lag / 2).
    expect(shrink!.t).toBeGreaterThanOrEqual(7_000_000);
    expect(shrink!.t).toBeLessThanOrEqual(9_600_000);
    const rejoin = isr.find((r) => r.t > shrink!.t && (r.isr as string[]).includes('b3'));
    expect(rejoin).toBeDefined();
    expect(rejoin!.t).toBeGreaterThanOrEqual(12_000_000);
    expect(out.final.partitions[0]!.isr).toHaveLength(3);
    expect(safetyHolds(out)).toBe(true);
  });

  test('with min.insync.replicas=2 and ISR={leader}, acks=all sends fail with NOT_ENOUGH_REPLICAS', () => {
    const out = run(scripted({
      durationMs: 16000, settleMs: 5000, broker: { ...FAST, 'min.insync.replicas': 2 },
      producers: [{ 'request.timeout.ms': 1000, 'delivery.timeout.ms': 1500 }],
    }, [{ atMs: 2000, ...SPLIT_FOLLOWERS }, { atMs: 14000, fault: 'heal' }]));
    const shrink = records(out, 'isr', 'b1').find((r) => (r.isr as string[]).length === 1)!;
    expect(shrink).toBeDefined();
    const refused = ops(out, 'send-fail').filter((op) => op.error === 'NOT_ENOUGH_REPLICAS');
    expect(refused.length).toBeGreaterThan(100);
    // Nothing sent after the shrink is acknowledged while the ISR is {leader}.
    const ackedDuring = ops(out, 'send-ok').filter((op) => op.t > shrink.t + 100_000 && op.t < 14_000_000);
    expect(ackedDuring).toHaveLength(0);
    expect(count(out, 'lost-write')).toBe(0);
  });
});

describe('elections', () => {
  test('killing the leader elects another ISR member', () => {
    const out = run(scripted({ durationMs: 12000, settleMs: 5000, broker: FAST }, [{ atMs: 3000, fault: 'crash', node: 'b1' }]));
    const election = records(out, 'election').find((r) => r.t > 3_000_000)!;
    expect(election.how).toBe('clean');
    expect(['b2', 'b3']).toContain(election.leader);
    expect(election.t).toBeLessThan(3_000_000 + 3_500_000);
    expect(safetyHolds(out)).toBe(true);
  });

  const lastIsrMemberDies = [
    { atMs: 2000, ...SPLIT_FOLLOWERS },
    { atMs: 9000, fault: 'crash', node: 'b1' },
    { atMs: 9500, fault: 'heal' },
  ];

  test('with unclean election off and no ISR member alive the partition stays offline', () => {
    const out = run(scripted({ durationMs: 20000, settleMs: 5000, broker: FAST }, lastIsrMemberDies));
    const after = records(out, 'election').filter((r) => r.t > 9_000_000 && r.t < 20_000_000);
    expect(after.map((r) => r.leader)).toEqual([null]);
    expect(ops(out, 'send-ok').filter((op) => op.t > 10_000_000 && op.t < 20_000_000)).toHaveLength(0);
    expect(safetyHolds(out)).toBe(true);
  });

  test('with unclean election on a stale replica leads', () => {
    const out = run(scripted({ durationMs: 20000, settleMs: 5000, broker: { ...FAST, 'unclean.leader.election.enable': true } }, lastIsrMemberDies));
    const election = records(out, 'election').find((r) => r.t > 9_000_000)!;
    expect(election.how).toBe('unclean');
    expect(['b2', 'b3']).toContain(election.leader);
    expect(ops(out, 'send-ok').filter((op) => op.t > 14_000_000 && op.t < 20_000_000).length).toBeGreaterThan(100);
  });
});

describe('durability', () => {
  const single = { brokers: 1, producers: [{ acks: '1' }], durationMs: 8000, settleMs: 4000 };
  const powerLoss = [{ atMs: 5000, fault: 'power-loss', node: 'b1' }, { atMs: 5500, fault: 'restart', node: 'b1' }];

  test('a power loss with no flush loses the unflushed tail', () => {
    const out = run(scripted(single, powerLoss));
    expect(count(out, 'lost-write')).toBeGreaterThan(400);
    const loss = records(out, 'disk-loss', 'b1').find((r) => String(r.file).startsWith('log-'));
    expect(loss).toBeDefined();
  });

  test('with flush.messages=1 a power loss loses nothing acknowledged', () => {
    const out = run(scripted({ ...single, broker: { 'flush.messages': 1 } }, powerLoss));
    expect(count(out, 'lost-write')).toBe(0);
    expect(ops(out, 'send-ok').length).toBeGreaterThan(400);
  });
});

// KAFKA.md "Known anomalies": each reproduced by a fault script where the configuration allows it,
// and absent under the setting or protocol that fixes it.
describe('known anomalies', () => {
  test('1: ISR shrinks to the leader, then unclean election loses acknowledged writes', () => {
    const steps = [
      { atMs: 3000, ...SPLIT_FOLLOWERS },
      { atMs: 12000, fault: 'crash', node: 'b1' },
      { atMs: 13000, fault: 'heal' },
      { atMs: 22000, fault: 'restart', node: 'b1' },
    ];
    const base = { durationMs: 25000, settleMs: 10000, broker: { 'replica.lag.time.max.ms': 5000 } };
    const allowed = run(scripted({ ...base, broker: { ...base.broker, 'unclean.leader.election.enable': true } }, steps));
    expect(count(allowed, 'lost-write')).toBeGreaterThan(100);
    expect(records(allowed, 'truncate', 'b1').length).toBeGreaterThan(0);
    const fixed = run(scripted({ ...base, broker: { ...base.broker, 'min.insync.replicas': 2 } }, steps));
    expect(safetyHolds(fixed)).toBe(true);
  });

  test('2: acks=1 and a leader crash before the followers fetched loses the acknowledged write', () => {
    const steps = [
      { atMs: 5000, ...SPLIT_FOLLOWERS },
      { atMs: 5500, fault: 'crash', node: 'b1' },
      { atMs: 6000, fault: 'heal' },
      { atMs: 15000, fault: 'restart', node: 'b1' },
    ];
    const base = { durationMs: 18000, settleMs: 8000, broker: { 'broker.session.timeout.ms': 3000 } };
    const allowed = run(scripted({ ...base, producers: [{ acks: '1' }] }, steps));
    expect(count(allowed, 'lost-write')).toBeGreaterThan(10);
    const fixed = run(scripted({ ...base, producers: [{ acks: 'all' }] }, steps));
    expect(safetyHolds(fixed)).toBe(true);
  });

  test('3: acks=all with min.insync.replicas=1 acks on the leader alone, then its power loss loses them', () => {
    const steps = [
      { atMs: 2000, ...SPLIT_FOLLOWERS },
      { atMs: 10000, fault: 'power-loss', node: 'b1' },
      { atMs: 10500, fault: 'heal' },
      { atMs: 11000, fault: 'restart', node: 'b1' },
    ];
    // Write-back after 1 s: what b1 acked with followers is durable; what it acked alone is not.
    const base = { durationMs: 15000, settleMs: 8000, broker: { 'replica.lag.time.max.ms': 5000 }, disk: { dirtyExpireMs: 1000 }, producers: [{ messagesPerSec: 300 }] };
    const allowed = run(scripted(base, steps));
    expect(count(allowed, 'lost-write')).toBeGreaterThan(100);
    const fixed = run(scripted({ ...base, broker: { ...base.broker, 'min.insync.replicas': 2 } }, steps));
    expect(count(fixed, 'lost-write')).toBe(0);
  });

  test('4: high-watermark truncation then an immediate election loses a committed write (KIP-101 #1)', () => {
    // b2 restarts, truncates to its stale HW checkpoint; b1 dies before b2 refetches; b2 leads.
    const steps = [
      { atMs: 9000, fault: 'crash', node: 'b2' },
      { atMs: 9100, fault: 'restart', node: 'b2' },
      { atMs: 9100, fault: 'crash', node: 'b1' },
      { atMs: 20000, fault: 'restart', node: 'b1' },
    ];
    const base = { brokers: 2, durationMs: 22000, settleMs: 8000 };
    const allowed = run(scripted({ ...base, protocol: { truncation: 'high-watermark' } }, steps));
    expect(count(allowed, 'committed-record-lost')).toBeGreaterThan(0);
    expect(count(allowed, 'lost-write')).toBeGreaterThan(0);
    const fixed = run(scripted({ ...base, protocol: { truncation: 'leader-epoch' } }, steps));
    expect(safetyHolds(fixed)).toBe(true);
  });

  test('5: a double power loss leaves the replicas diverged (KIP-101 #2)', () => {
    // b2 lost power early, so its copy is newer in the page cache than on disk; b1 was written back.
    // Both lose power; b2 returns first, leads and writes new records where b1 has old ones.
    const steps = [
      { atMs: 20000, fault: 'power-loss', node: 'b2' },
      { atMs: 20500, fault: 'restart', node: 'b2' },
      { atMs: 40000, fault: 'power-loss', node: 'b1' },
      { atMs: 40000, fault: 'power-loss', node: 'b2' },
      { atMs: 41000, fault: 'restart', node: 'b2' },
      { atMs: 55000, fault: 'restart', node: 'b1' },
    ];
    // A short request timeout so the producer moves to b2 soon (a power loss resets no connection).
    const base = { brokers: 2, durationMs: 60000, settleMs: 10000, producers: [{ messagesPerSec: 100, 'request.timeout.ms': 2000 }] };
    const allowed = run(scripted({ ...base, protocol: { truncation: 'high-watermark' } }, steps));
    expect(count(allowed, 'log-divergence')).toBeGreaterThan(0);
    const fixed = run(scripted({ ...base, protocol: { truncation: 'leader-epoch' } }, steps));
    expect(count(fixed, 'log-divergence')).toBe(0);
  });

  test('9: the last replica standing loses power and comes back as the only ISR member (KIP-966)', () => {
    const steps = [
      { atMs: 2000, fault: 'partition', groups: [['b1', 'b2', 'p1', 'c1'], ['b3', 'c1']] },
      { atMs: 9000, fault: 'partition', groups: [['b1', 'p1', 'c1'], ['b2', 'c1']] },
      { atMs: 16000, fault: 'power-loss', node: 'b1' },
      { atMs: 16500, fault: 'heal' },
      { atMs: 17000, fault: 'restart', node: 'b1' },
    ];
    const base = { durationMs: 20000, settleMs: 10000, broker: { 'min.insync.replicas': 2, 'replica.lag.time.max.ms': 5000 } };
    const allowed = run(scripted(base, steps));
    expect(count(allowed, 'lost-write')).toBeGreaterThan(100);
    const flushed = run(scripted({ ...base, broker: { ...base.broker, 'flush.messages': 1 } }, steps));
    expect(count(flushed, 'lost-write')).toBe(0);
    const elr = run(scripted({ ...base, broker: { ...base.broker, 'eligible.leader.replicas.enable': true } }, steps));
    expect(count(elr, 'lost-write')).toBe(0);
    expect(records(elr, 'election').some((r) => r.how === 'elr')).toBe(true);
  });
});

describe('request timeouts', () => {
  test('a follower whose fetch answers are lost retries after the request timeout, no sooner and not never', () => {
    // b1 → b3 is cut for 20 s, b3 → b1 stays open: b3's fetches arrive, the answers do not.
    const out = run(scripted({ durationMs: 26000, settleMs: 3000, broker: { 'replica.lag.time.max.ms': 30000 } }, [
      { atMs: 2000, fault: 'partition', from: 'b1', to: 'b3' },
      { atMs: 22000, fault: 'heal' },
    ]));
    const fetches = records(out, 'send', 'b3').filter((r) => r.msg === 'fetch' && r.to === 'b1' && r.t > 2_100_000 && r.t < 22_000_000);
    // 20 s at 0.5 s long poll + 5 s request timeout per attempt: about 3 or 4 attempts.
    expect(fetches.length).toBeGreaterThanOrEqual(3);
    expect(fetches.length).toBeLessThanOrEqual(5);
  });
});
