// The producer's record accumulator (Kafka's RecordAccumulator and BufferPool): records join the
// last batch of their partition until batch.size bytes; linger.ms only says when the first batch is
// sendable; every batch holds batch.size bytes of buffer.memory, and a send finding none waits,
// first in first out, until a batch completes or max.block.ms passes.
import { describe, expect, test } from 'vitest';
import type { AccumulatorConfig } from '../../models/clients/accumulator.js';
import { RecordAccumulator } from '../../models/clients/accumulator.js';
import { Arrivals } from '../../models/clients/arrivals.js';
import { batchBytes } from '../../models/replication/records.js';

const CONFIG: AccumulatorConfig = { partitions: 2, batchSize: 16384, valueBytes: 100, bufferMemory: 33554432, lingerUs: 5000, retryBackoffUs: 100_000 };

function valuesOf(acc: RecordAccumulator, p: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < acc.deques[p]!.length; i++) out.push(acc.deques[p]!.at(i)!.values);
  return out;
}

describe('RecordAccumulator', () => {
  test('batch.size is bytes: as many 100-byte records as fit after the batch header, at least one', () => {
    const acc = new RecordAccumulator(CONFIG);
    expect(acc.batchLimit).toBe(148);
    expect(batchBytes(148, 100)).toBeLessThanOrEqual(16384);
    expect(batchBytes(149, 100)).toBeGreaterThan(16384);
    expect(new RecordAccumulator({ ...CONFIG, valueBytes: 1000 }).batchLimit).toBe(16);
    expect(new RecordAccumulator({ ...CONFIG, batchSize: 0 }).batchLimit).toBe(1);
  });

  test('a record joins its partition\'s last batch until it is full; then a new batch starts', () => {
    const acc = new RecordAccumulator({ ...CONFIG, valueBytes: 4000 }); // 4 records a batch
    for (let v = 0; v < 10; v++) acc.append(v % 2, v, v);
    expect(valuesOf(acc, 0)).toEqual([[0, 2, 4, 6], [8]]);
    expect(valuesOf(acc, 1)).toEqual([[1, 3, 5, 7], [9]]);
    expect(acc.deques[0]!.at(0)!.closed).toBe(true);
    expect(acc.deques[0]!.at(1)!.closed).toBe(false);
  });

  test('the first batch is sendable when it lingered, filled, or has batches behind it; an empty deque when the next arrival would make it so', () => {
    const acc = new RecordAccumulator({ ...CONFIG, partitions: 1, valueBytes: 4000 });
    // One value every 1,000 µs from t = 1,000.
    const arrivals = new Arrivals(1000, 1000, 1_000_000, 1, acc.batchLimit);
    expect(acc.sendableAt(0, arrivals, 0)).toBe(4000); // the 4th arrival (t = 4,000) fills it before linger ends (6,000)
    acc.append(0, 0, 1000);
    expect(acc.sendableAt(0, arrivals, 1)).toBe(4000);
    const slow = new Arrivals(1000, 10_000, 1_000_000, 1, acc.batchLimit);
    expect(acc.sendableAt(0, slow, 1)).toBe(1000 + 5000); // lingered before the next value comes
    for (let v = 1; v < 5; v++) acc.append(0, v, 1000 + v);
    expect(acc.sendableAt(0, arrivals, 5)).toBe(1000); // full, and a batch behind it
  });

  test('without memory a send waits; a completed batch lets the waiting sends in, oldest first, into one new batch', () => {
    const acc = new RecordAccumulator({ ...CONFIG, partitions: 1, valueBytes: 4000, bufferMemory: 2 * 16384 });
    for (let v = 0; v < 8; v++) acc.append(0, v, v); // two full batches use all memory
    acc.append(0, 8, 100);
    acc.append(0, 9, 200);
    expect(acc.blockedSends).toBe(2);
    expect(acc.exhausted).toBe(true);
    expect(acc.nextBlockedDeadline(1000)).toBe(1100);
    const first = acc.deques[0]!.shift()!;
    acc.deallocate(first, 300);
    expect(acc.blockedSends).toBe(0);
    expect(valuesOf(acc, 0)).toEqual([[4, 5, 6, 7], [8, 9]]);
    expect(acc.deques[0]!.at(1)!.createdUs).toBe(300);
  });

  test('a send that waited max.block.ms leaves the queue (it fails); one that arrives behind waiting sends waits too', () => {
    const acc = new RecordAccumulator({ ...CONFIG, partitions: 1, valueBytes: 4000, bufferMemory: 16384 });
    for (let v = 0; v < 5; v++) acc.append(0, v, v * 100);
    expect(acc.blockedSends).toBe(1);
    const expired: number[] = [];
    acc.expireBlocked(1399, 1000, (send) => expired.push(send.value));
    expect(expired).toEqual([]);
    acc.expireBlocked(1400, 1000, (send) => expired.push(send.value));
    expect(expired).toEqual([4]);
    expect(acc.exhausted).toBe(false);
  });

  test('a retried batch goes back in sequence order and is sendable once its backoff passes', () => {
    const acc = new RecordAccumulator({ ...CONFIG, partitions: 1, valueBytes: 4000 });
    for (let v = 0; v < 12; v++) acc.append(0, v, v);
    const [a, b] = [acc.deques[0]!.shift()!, acc.deques[0]!.shift()!];
    a.baseSequence = 0;
    b.baseSequence = 4;
    // a first, then b: b (sequence 4) must go behind a, not to the front.
    acc.reenqueue(a, 60_000, true);
    acc.reenqueue(b, 50_000, true);
    expect(valuesOf(acc, 0)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]);
    expect(acc.backingOff(a, 159_999)).toBe(true);
    expect(acc.backingOff(a, 160_000)).toBe(false);
    expect(acc.sendableAt(0, new Arrivals(0, 1000, 0, 1, acc.batchLimit), 12)).toBe(160_000);
  });
});
