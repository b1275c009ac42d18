// The idempotent producer's sequence bookkeeping (models/replication/idempotence.ts, after Kafka's
// TransactionManager and TxnPartitionEntry), driven directly: the drain rules that keep a partition's
// batches in order across an epoch bump and an unresolved sequence, which the scenario tests reach
// only rarely (mutants of them survived `npm run mutation`, docs/mutation.md).
import { describe, expect, it } from 'vitest';
import type { ProducerBatch } from '../../models/clients/accumulator.js';
import { IdempotenceState } from '../../models/replication/idempotence.js';

function batch(partition: number, records = 2): ProducerBatch {
  return {
    partition, values: Array.from({ length: records }, (_, i) => i + 1), createdUs: 0, lastAttemptUs: 0, attempts: 0, closed: true,
    baseSequence: -1, producerEpoch: -1, sequenceReset: false, maybeWritten: false, lastError: null, requestId: -1, done: false,
  };
}

function state(partitions = 2): IdempotenceState {
  const s = new IdempotenceState(partitions);
  s.producerId = 7;
  return s;
}

describe('IdempotenceState drain rules', () => {
  it('drains nothing before the producer id is known', () => {
    const s = new IdempotenceState(1);
    expect(s.mayDrain(batch(0))).toBe(false);
    s.producerId = 1;
    expect(s.mayDrain(batch(0))).toBe(true);
  });

  it('numbers batches in order and lets a retried batch go only when it is the first in flight', () => {
    const s = state();
    const [a, b] = [batch(0, 3), batch(0, 2)];
    s.assign(a);
    s.assign(b);
    expect([a.baseSequence, b.baseSequence, a.producerEpoch]).toEqual([0, 3, 0]);
    expect(s.mayDrain(b)).toBe(false);
    expect(s.mayDrain(a)).toBe(true);
    expect(s.mayDrain(batch(0))).toBe(true);
    s.completed(a);
    expect(s.mayDrain(b)).toBe(true);
  });

  it('after an epoch bump, a new batch waits for the batches still in flight under the old epoch', () => {
    const s = state();
    const old = batch(0);
    s.assign(old);
    const gap = batch(1);
    s.assign(gap);
    s.failed(gap, 'OUT_OF_ORDER_SEQUENCE_NUMBER', true);
    s.maybeResolveAndBump();
    expect(s.epoch).toBe(1);
    const next = batch(0);
    expect(s.mayDrain(next)).toBe(false);
    s.completed(old);
    expect(s.mayDrain(next)).toBe(true);
    s.assign(next);
    // The partition moves to the new epoch once its old batches are done, from sequence 0.
    expect([next.producerEpoch, next.baseSequence]).toEqual([1, 0]);
  });

  it('an expired batch leaves its partition unresolved: nothing new drains until its fate is known', () => {
    const s = state(1);
    const [a, b] = [batch(0), batch(0)];
    s.assign(a);
    s.assign(b);
    s.markUnresolved(a);
    expect(s.mayDrain(batch(0))).toBe(false);
    s.maybeResolveAndBump();
    expect(s.mayDrain(batch(0))).toBe(false); // b is still in flight
    s.completed(b);
    s.maybeResolveAndBump();
    // b's acknowledgement reaches the next sequence: resolved without a bump.
    expect(s.epoch).toBe(0);
    expect(s.mayDrain(batch(0))).toBe(true);
  });

  it('an unresolved gap that no acknowledgement closes bumps the epoch', () => {
    const s = state(1);
    const [x, y] = [batch(0), batch(0)];
    s.assign(x);
    s.assign(y);
    s.markUnresolved(x);
    s.failed(y, 'REQUEST_TIMED_OUT', false);
    s.maybeResolveAndBump();
    expect(s.epoch).toBe(1);
    expect(s.mayDrain(batch(0))).toBe(true);
  });

  it('OUT_OF_ORDER_SEQUENCE_NUMBER on the batch right after the last acknowledged one is a real gap: retried under a new epoch', () => {
    const s = state(1);
    const [a, b] = [batch(0), batch(0)];
    s.assign(a);
    s.assign(b);
    s.completed(a);
    expect(s.canRetry(b, 'OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(true);
    s.maybeResolveAndBump();
    expect([s.epoch, b.baseSequence, b.producerEpoch, b.sequenceReset]).toEqual([1, 0, 1, true]);
  });

  it('OUT_OF_ORDER_SEQUENCE_NUMBER on a later batch is retried as is (an earlier one is still on its way)', () => {
    const s = state(1);
    const [a, b] = [batch(0), batch(0)];
    s.assign(a);
    s.assign(b);
    expect(s.canRetry(b, 'OUT_OF_ORDER_SEQUENCE_NUMBER')).toBe(true);
    s.maybeResolveAndBump();
    expect([s.epoch, b.baseSequence]).toEqual([0, 2]);
  });
});
