// Producer retries (KAFKA.md anomaly 10, "Idempotent producer rules"): without idempotence a
// retry after a lost answer appends the batch again, and with several requests in flight a retried
// batch lands behind later ones; the idempotent producer's sequence numbers prevent both. Partition
// 0 is led by b1 (the preferred replica); the producer p1 sends 100 values a second.
import { describe, expect, test } from 'vitest';
import type { RunOutput } from '../../scenario/run.js';
import { count, ops, run, scripted } from './clients-harness.js';

const producer = (idempotence: boolean, extra: Record<string, unknown> = {}) => ({
  durationMs: 8000, settleMs: 5000, consumers: [],
  producers: [{ acks: 'all', 'enable.idempotence': idempotence, 'request.timeout.ms': 1500, ...extra }],
});
/** The leader's answers to p1 are cut for longer than request.timeout.ms; its requests still arrive. */
const LOST_ANSWERS = [{ atMs: 2000, fault: 'partition', from: 'b1', to: 'p1' }, { atMs: 4000, fault: 'heal' }];
/** p1's requests are cut briefly: what it sent then never arrives and is retried after the timeout. */
const LOST_REQUESTS = [{ atMs: 2000, fault: 'partition', from: 'p1', to: 'b1' }, { atMs: 2100, fault: 'heal' }];

function everySendAcked(out: RunOutput): void {
  expect(ops(out, 'send-ok')).toHaveLength(ops(out, 'send-invoke').length);
}

/**
 * Some value was acknowledged only after a retry: the script did hit the producer. A retry follows
 * the heal's connection reset (or, failing that, the request timeout), so its ack comes well past the
 * 100 ms cut, where an ordinary ack takes about 10 ms.
 */
function someRetried(out: RunOutput): void {
  const invoked = new Map(ops(out, 'send-invoke').map((op) => [op.value, op.t]));
  expect(ops(out, 'send-ok').some((op) => op.t - invoked.get(op.value)! > 90_000)).toBe(true);
}

describe('lost answers and retries', () => {
  test('without idempotence, a retried batch the leader already appended stands at two offsets', () => {
    const out = run(scripted(producer(false), LOST_ANSWERS));
    expect(count(out, 'duplicate')).toBeGreaterThan(0);
    // The duplicated values are those whose answers the cut swallowed.
    const invoked = new Map(ops(out, 'send-invoke').map((op) => [op.value, op.t]));
    const report = out.result.anomalies.find((a) => a.type === 'duplicate')!;
    for (const example of report.examples) {
      const t = invoked.get(example['value'] as number)!;
      expect(t).toBeGreaterThan(2_000_000 - 1_500_000);
      expect(t).toBeLessThan(4_000_000);
    }
    everySendAcked(out);
  });

  test('with idempotence, the same lost answers leave every value at one offset', () => {
    const out = run(scripted(producer(true), LOST_ANSWERS));
    someRetried(out);
    expect(count(out, 'duplicate')).toBe(0);
    expect(count(out, 'nonmonotonic-send')).toBe(0);
    expect(out.result.anomalies).toEqual([]);
    everySendAcked(out);
  });
});

describe('lost requests and ordering', () => {
  test('without idempotence and max.in.flight 5, a batch retried after a lost request lands behind later ones', () => {
    const out = run(scripted(producer(false), LOST_REQUESTS));
    expect(count(out, 'nonmonotonic-send')).toBeGreaterThan(0);
    // Nothing was appended twice: the lost requests never arrived.
    expect(count(out, 'duplicate')).toBe(0);
    const example = out.result.anomalies.find((a) => a.type === 'nonmonotonic-send')!.examples[0]!;
    const earlier = example['earlier'] as { invokedAtUs: number; offset: number };
    const later = example['later'] as { invokedAtUs: number; offset: number };
    expect(earlier.invokedAtUs).toBeLessThan(later.invokedAtUs);
    expect(earlier.offset).toBeGreaterThan(later.offset);
    everySendAcked(out);
  });

  test('with idempotence, order holds and no send fails: retries go first, later batches wait behind them', () => {
    const out = run(scripted(producer(true), LOST_REQUESTS));
    someRetried(out);
    expect(count(out, 'nonmonotonic-send')).toBe(0);
    expect(out.result.anomalies).toEqual([]);
    // No epoch bump gave up on anything (KIP-360 is for real sequence gaps, not for a retry in backoff).
    expect(ops(out, 'send-fail')).toHaveLength(0);
    expect(ops(out, 'send-info')).toHaveLength(0);
    everySendAcked(out);
  });

  test('without idempotence but one request in flight, nothing can overtake a retry', () => {
    const out = run(scripted(producer(false, { 'max.in.flight.requests.per.connection': 1 }), LOST_REQUESTS));
    someRetried(out);
    expect(count(out, 'nonmonotonic-send')).toBe(0);
  });
});
