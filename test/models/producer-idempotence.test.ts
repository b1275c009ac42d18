// Idempotence edge cases as Kafka ≥ 2.5 and KIP-360 handle them: a broker that lost or never had a
// producer's state accepts its batch at any sequence; one that kept an older state answers
// OUT_OF_ORDER_SEQUENCE_NUMBER, and the producer bumps its epoch and retries instead of giving up;
// producer-state snapshots let a restart replay only the log after them; idle producers expire.
// Two sequences where Kafka itself reorders or duplicates despite idempotence are kept as Kafka has
// them (README, "What idempotence does not prevent in Kafka").
import { describe, expect, test } from 'vitest';
import type { RunOutput } from '../../scenario/run.js';
import type { Raw } from './clients-harness.js';
import { count, ops, run, scripted, traced } from './clients-harness.js';

/** Partition 0 lives on b1 alone (RF 1); p1 sends 200 idempotent values a second. */
const rf1 = (extra: Raw = {}): Raw => ({
  durationMs: 8000, settleMs: 15000, consumers: [], topic: { partitions: 1, replicationFactor: 1 },
  producers: [{ messagesPerSec: 200, 'request.timeout.ms': 3000 }], ...extra,
});
const POWER_LOSS = [{ atMs: 3000, fault: 'power-loss', node: 'b1' }, { atMs: 4000, fault: 'restart', node: 'b1' }];

function everySendAcknowledged(out: RunOutput): void {
  expect(ops(out, 'send-info')).toEqual([]);
  expect(ops(out, 'send-fail')).toEqual([]);
  expect(ops(out, 'send-ok')).toHaveLength(ops(out, 'send-invoke').length);
}

describe('a broker that lost the producer\'s state (RF 1, power loss)', () => {
  test('with the whole log lost, the broker has no state and takes the retried batches at their sequences', () => {
    const out = run(scripted(rf1(), POWER_LOSS));
    expect(traced(out, 'disk-loss', 'b1').length).toBeGreaterThan(0);
    everySendAcknowledged(out);
    // Taken at their sequences: no out-of-sequence answer made the producer bump its epoch.
    expect(traced(out, 'epoch-bump', 'p1')).toEqual([]);
    // Acknowledged values went with the power: RF 1 keeps no other copy (the loss is the fault's, not the producer's).
    expect(out.result.anomalies.map((a) => a.type)).toContain('lost-write');
  });

  test('with an older part of the log kept, the next batch is out of sequence: the producer bumps its epoch and retries', () => {
    const out = run(scripted(rf1({ disk: { dirtyExpireMs: 1000 } }), POWER_LOSS));
    expect(traced(out, 'epoch-bump', 'p1').length).toBeGreaterThan(0);
    everySendAcknowledged(out);
  });
});

describe('producer-state snapshots', () => {
  const crashes = [
    { atMs: 5000, fault: 'crash', node: 'b1' }, { atMs: 5500, fault: 'restart', node: 'b1' },
    { atMs: 7000, fault: 'crash', node: 'b1' }, { atMs: 7500, fault: 'restart', node: 'b1' },
  ];
  const loads = (out: RunOutput) => traced(out, 'producer-state-load', 'b1').filter((r) => r['partition'] === 0);

  test('a restart loads the snapshot the previous recovery wrote and replays only the batches after it', () => {
    const out = run(scripted(rf1({ durationMs: 9000 }), crashes));
    const [start, first, second] = loads(out);
    expect(start).toMatchObject({ snapshot: -1, replayed: 0 });
    expect(first!['snapshot']).toBe(0);
    expect(second!['snapshot']).toBeGreaterThan(0);
    expect(second!['replayed'] as number).toBeLessThan(first!['replayed'] as number);
    everySendAcknowledged(out);
  });

  test('a log that rolls segments snapshots at each roll, so a restart replays less than a segment', () => {
    const segmentBytes = 20_000;
    const out = run(scripted(rf1({ durationMs: 9000, broker: { 'log.segment.bytes': segmentBytes } }), crashes.slice(0, 2)));
    const first = loads(out)[1]!;
    expect(first['snapshot']).toBeGreaterThan(0);
    // A batch of this run is at most about 5 records of 110 bytes and its header: a segment holds dozens.
    expect(first['replayed'] as number).toBeLessThan(segmentBytes / 100);
    everySendAcknowledged(out);
  });
});

describe('producer.id.expiration.ms', () => {
  test('a producer idle longer than the expiration is forgotten; its next batch is taken at whatever sequence it has', () => {
    const out = run({
      durationMs: 30000, settleMs: 5000, consumers: [], faults: { mode: 'none' },
      broker: { 'producer.id.expiration.ms': 3000, 'producer.id.expiration.check.interval.ms': 1000 },
      producers: [{ messagesPerSec: 0.2 }],
    });
    expect(traced(out, 'producer-expire').length).toBeGreaterThan(3);
    everySendAcknowledged(out);
    expect(traced(out, 'epoch-bump', 'p1')).toEqual([]);
    expect(ops(out, 'send-ok')).toHaveLength(5);
    const quiet = run({ durationMs: 30000, settleMs: 5000, consumers: [], faults: { mode: 'none' }, producers: [{ messagesPerSec: 0.2 }] });
    expect(traced(quiet, 'producer-expire')).toEqual([]);
  });
});

describe('a retried batch that expires (delivery.timeout.ms) after OUT_OF_ORDER_SEQUENCE_NUMBER answers', () => {
  // b3 paused holds partition 0's high watermark, so batches A and B, sent to b1 and copied to b2,
  // stay unacknowledged; b1 and p1 are cut off, b2 takes over partition 0 with A and B in its log.
  // At the heal p1 sends new batches to b2 while A and B still wait on b1, which answers
  // NOT_LEADER_OR_FOLLOWER only a second later: by then b2 keeps five newer batches of p1, so A's
  // retries are out of sequence (not the next one, so no epoch bump) until A expires.
  const steps = [
    { atMs: 3000, fault: 'pause', node: 'b3' },
    { atMs: 3100, fault: 'partition', groups: [['b1', 'p1'], ['b2', 'b3', 'c1']] },
    { atMs: 6000, fault: 'partition', groups: [['b1', 'p1'], ['p1', 'b2', 'b3', 'c1']] },
    { atMs: 6000, fault: 'resume', node: 'b3' },
    { atMs: 9000, fault: 'heal' },
  ];
  const scenario = scripted({
    durationMs: 25000, settleMs: 30000, consumers: [], topic: { partitions: 2, replicationFactor: 3 },
    broker: { 'min.insync.replicas': 2, 'broker.session.timeout.ms': 2000 },
    producers: [{ 'max.in.flight.requests.per.connection': 2, 'request.timeout.ms': 10000, 'delivery.timeout.ms': 15000, 'linger.ms': 0 }],
  }, steps);

  test('the expiry is a timeout, not a gap: the batch behind it is not renumbered and written twice', () => {
    const out = run(scenario);
    // The sequence happened: A ended unknown, its last answer out of sequence.
    const expired = ops(out, 'send-info', 'p1').filter((op) => op.partition === 0);
    expect(expired.length).toBeGreaterThan(0);
    expect(expired[0]!.error).toBe('OUT_OF_ORDER_SEQUENCE_NUMBER');
    // Before the fix the expiry bumped the epoch at once, and B went again as sequence 0 of the new epoch.
    expect(count(out, 'duplicate')).toBe(0);
    expect(count(out, 'nonmonotonic-send')).toBe(0);
  });

  test('as in Kafka, the batch behind it is written twice when it is younger by more than retry.backoff.ms', () => {
    // The same story with 4 brokers (partition 1 then avoids b1) and batches of partition 0 125 ms
    // apart. A expires (a timeout: no bump) and is marked unresolved; B, now first, is sent and
    // answered out of sequence; being the next after the unresolved sequence, it makes
    // TransactionManager.canRetry bump the epoch (isNextSequenceForUnresolvedPartition), so B goes
    // again as sequence 0 of the new epoch once its backoff is over — still before its own
    // delivery timeout — and is appended a second time. Kafka's client does the same; ksim keeps it.
    const out = run(scripted({
      durationMs: 30000, settleMs: 30000, brokers: 4, consumers: [], topic: { partitions: 2, replicationFactor: 3 },
      broker: { 'min.insync.replicas': 2, 'broker.session.timeout.ms': 2000 },
      producers: [{ 'max.in.flight.requests.per.connection': 2, 'request.timeout.ms': 15000, 'delivery.timeout.ms': 20000, 'linger.ms': 0, messagesPerSec: 16 }],
    }, [
      { atMs: 3000, fault: 'pause', node: 'b3' },
      { atMs: 3300, fault: 'partition', groups: [['b1', 'p1'], ['b2', 'b3', 'b4', 'c1']] },
      { atMs: 6000, fault: 'partition', groups: [['b1', 'p1'], ['p1', 'b2', 'b3', 'b4', 'c1']] },
      { atMs: 6000, fault: 'resume', node: 'b3' },
      // The heal resets p1's broken connections (it learns the new leader); b1 stays cut off a while longer.
      { atMs: 9000, fault: 'heal' },
      { atMs: 9000, fault: 'partition', groups: [['b1', 'p1'], ['p1', 'b2', 'b3', 'b4', 'c1']] },
      { atMs: 14000, fault: 'heal' },
    ]));
    const expired = ops(out, 'send-info', 'p1').filter((op) => op.partition === 0);
    expect(expired.map((op) => op.error)).toEqual(['OUT_OF_ORDER_SEQUENCE_NUMBER']);
    expect(count(out, 'duplicate')).toBe(1);
  });
});

describe('Kafka\'s own reordering at a new leader, which ksim keeps (KAFKA-14312, KAFKA-15591, KAFKA-19880)', () => {
  // Seed 2: p2's first batch for partition 0 (p2:0, sequence 0) reaches its leader before the broker
  // has applied its leadership and is refused NOT_LEADER_OR_FOLLOWER; its second (p2:2, sequence 1)
  // arrives just after and is appended at offset 0: a replica with no state for a producer takes
  // any sequence (ProducerAppendInfo.checkSequence, Kafka ≥ 2.5; Kafka 4.5 refuses this one, on a
  // partition that never held a record, and takes it on one that did). The first batch's retry is
  // then out of sequence while p2:2 is still unacknowledged, so it is "the next sequence" after the
  // last acknowledged (none) and TransactionManager.canRetry bumps the epoch: it is rewritten as
  // sequence 0 of the new epoch and lands behind p2:2.
  const raw = {
    durationMs: 1500, settleMs: 5000, consumers: [], faults: { mode: 'none' },
    topic: { partitions: 2, replicationFactor: 3 }, broker: { 'min.insync.replicas': 2 },
    producers: [{ count: 2, 'linger.ms': 0, messagesPerSec: 400 }],
  };

  test('with no fault at all, a producer\'s first batch lands behind its second, and nothing is written twice', () => {
    const out = run(raw, 2);
    expect(count(out, 'nonmonotonic-send')).toBe(1);
    expect(count(out, 'duplicate')).toBe(0);
    expect(traced(out, 'epoch-bump', 'p2').length).toBeGreaterThan(0);
    const toPartition0 = ops(out, 'send-invoke', 'p2').filter((op) => op.partition === 0);
    const offsetOf = (value: number) => ops(out, 'send-ok', 'p2').find((op) => op.value === value)!.offset;
    const [first, second] = [toPartition0[0]!.value, toPartition0[1]!.value];
    expect(offsetOf(first)).toBeGreaterThan(offsetOf(second));
  });
});

describe('a truncation writes a producer snapshot at the new log end (UnifiedLog.rebuildProducerState)', () => {
  // A scenario drawn by properties/generated.ts inside the safe envelope (flush.messages 1, so every
  // log write is synced), at seed 1. At 7.6 s every broker loses power; b4, which lost the last batch
  // of partition 1 (p3's, never acknowledged, at offset 1876), leads it again, and b2, which wrote a
  // snapshot at 1877 after recovery, truncates to 1876, deleting that snapshot. p1's next batch is
  // then written and acknowledged at 1876, and at 19.5 s b2 loses power again. Kafka writes and syncs
  // a snapshot at 1876 after the truncation, and that sync makes the deletion durable too (the
  // journal commit a new file's fsync forces). Without it the deleted snapshot came back with the
  // power, the restart loaded it, and p3's retry of its truncated batch, 30 s later, was answered as
  // a duplicate at 1876: an acknowledged write in no log.
  const raw = {
    durationMs: 23719, brokers: 6, topic: { partitions: 4, replicationFactor: 4 },
    broker: {
      'min.insync.replicas': 2, 'unclean.leader.election.enable': false, 'replica.lag.time.max.ms': 10000,
      'replica.fetch.wait.max.ms': 500, 'broker.session.timeout.ms': 9000, 'eligible.leader.replicas.enable': true,
      'flush.messages': 1,
    },
    protocol: { truncation: 'leader-epoch' },
    producers: [
      { count: 1, 'max.in.flight.requests.per.connection': 3, 'request.timeout.ms': 10000, 'linger.ms': 0, messagesPerSec: 25 },
      { count: 2, 'max.in.flight.requests.per.connection': 1, 'request.timeout.ms': 30000, 'linger.ms': 5, messagesPerSec: 485 },
    ].map((p) => ({ acks: 'all', 'enable.idempotence': true, 'delivery.timeout.ms': 120000, ...p })),
    consumers: [
      { group: 'g1', count: 3, 'group.instance.id': 'g1-member', 'session.timeout.ms': 300000 },
      { group: 'g2', count: 1, 'group.instance.id': 'g2-member', 'session.timeout.ms': 45000 },
    ].map((c) => ({ commit: 'after-process', 'auto.offset.reset': 'latest', 'max.poll.interval.ms': 300000, processingMs: 0.1, ...c })),
    faults: {
      mode: 'random', meanIntervalMs: 8354, targets: 'any',
      kinds: ['partition', 'crash', 'pause', 'slow-disk', 'slow-net', 'clock-skew', 'power-loss'],
    },
  };

  test('the snapshot written after the truncation is the one a restart after power loss loads', () => {
    const out = run(raw, 1);
    const truncated = traced(out, 'truncate', 'b2').find((r) => r['partition'] === 1 && r['to'] === 1876);
    expect(truncated).toBeDefined();
    const writes = traced(out, 'disk-write', 'b2').filter((r) => r['file'] === 'producer-snapshots-1' && r.t >= truncated!.t);
    const powerLoss = traced(out, 'node', 'b2').find((r) => r['state'] === 'powered-off' && r.t > truncated!.t);
    expect(powerLoss).toBeDefined();
    expect(writes[0]!.t).toBeLessThan(powerLoss!.t);
    const reload = traced(out, 'producer-state-load', 'b2').find((r) => r['partition'] === 1 && r.t > powerLoss!.t);
    expect(reload?.['snapshot']).toBe(1876);
    expect(count(out, 'lost-write')).toBe(0);
    expect(count(out, 'inconsistent-offsets')).toBe(0);
    expect(out.result.anomalies.map((a) => a.type)).toEqual(['duplicate-delivery']);
  });
});
