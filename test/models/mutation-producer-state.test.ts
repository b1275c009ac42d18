// What the idempotent producer state answers for a batch that is not the next one, checked exactly
// (the older tests ask only "not a duplicate"): Kafka's ProducerAppendInfo.checkSequence refuses any
// sequence of the current epoch that does not follow the last one with OUT_OF_ORDER_SEQUENCE_NUMBER,
// whether it fell out of the five cached batches or overlaps one without matching it. Appending it
// instead would store a retried record a second time. Written to kill the mutants docs/mutation.md
// lists for models/replication/producer-state.ts.
import { describe, expect, test } from 'vitest';
import { CACHED_BATCHES, ProducerStateTable } from '../../models/replication/producer-state.js';
import type { RecordBatch } from '../../models/replication/records.js';
import { logBatch } from './records.js';

const OUT_OF_ORDER = { kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' } as const;
const OLD_EPOCH = { kind: 'error', error: 'INVALID_PRODUCER_EPOCH' } as const;

/** Producer 3, epoch 0: `n` batches of two records, sequences 0-1, 2-3, ..., at offsets 0, 2, 4, .... */
function twoRecordBatches(n: number, appendTimeUs = 0): RecordBatch[] {
  return Array.from({ length: n }, (_, i) => ({ ...logBatch(2 * i, 1, 2, { id: 3, epoch: 0, baseSequence: 2 * i }), appendTimeUs }));
}

describe('sequences that are neither a duplicate nor the next', () => {
  test('a batch evicted from the five cached is out of order, not appended again', () => {
    const table = new ProducerStateTable();
    table.observe(twoRecordBatches(CACHED_BATCHES + 2)); // sequences 0-13; 0-1 and 2-3 evicted
    expect(table.check(3, 0, 0, 2)).toEqual(OUT_OF_ORDER);
    expect(table.check(3, 0, 2, 2)).toEqual(OUT_OF_ORDER);
    expect(table.check(3, 0, 4, 2)).toEqual({ kind: 'duplicate', baseOffset: 4 }); // the oldest one kept
    expect(table.check(3, 0, 14, 1)).toEqual({ kind: 'append' });
  });

  test('a batch overlapping a cached one without matching its range is out of order', () => {
    const table = new ProducerStateTable();
    table.observe(twoRecordBatches(3)); // sequences 0-1, 2-3, 4-5
    expect(table.check(3, 0, 4, 1)).toEqual(OUT_OF_ORDER); // same first sequence, shorter
    expect(table.check(3, 0, 4, 3)).toEqual(OUT_OF_ORDER); // same first sequence, longer
    expect(table.check(3, 0, 3, 2)).toEqual(OUT_OF_ORDER); // same last sequence, other first
    expect(table.check(3, 0, 5, 1)).toEqual(OUT_OF_ORDER); // inside the last batch
    expect(table.check(3, 0, 1, 4)).toEqual(OUT_OF_ORDER); // across two batches
    expect(table.check(3, 0, 6, 1)).toEqual({ kind: 'append' });
  });

  test('an older epoch is refused before its sequence is looked at; a newer one must start at 0', () => {
    const table = new ProducerStateTable();
    table.observe([logBatch(0, 1, 2, { id: 3, epoch: 2, baseSequence: 0 })]);
    expect(table.check(3, 1, 0, 2)).toEqual(OLD_EPOCH); // even the very batch of the same sequences
    expect(table.check(3, 1, 2, 1)).toEqual(OLD_EPOCH);
    expect(table.check(3, 3, 0, 1)).toEqual({ kind: 'append' });
    expect(table.check(3, 3, 2, 1)).toEqual(OUT_OF_ORDER);
    expect(table.check(3, 2, 2, 1)).toEqual({ kind: 'append' });
  });

  test('a batch of an older epoch than the state holds does not start the producer over', () => {
    const table = new ProducerStateTable();
    table.observe([logBatch(0, 1, 2, { id: 3, epoch: 2, baseSequence: 0 }), logBatch(2, 1, 1, { id: 3, epoch: 1, baseSequence: 7 })]);
    // The later batch joined epoch 2's entry (the model's choice; the leader never appends one): 7 is the last sequence.
    expect(table.check(3, 2, 8, 1)).toEqual({ kind: 'append' });
    expect(table.check(3, 2, 2, 1)).toEqual(OUT_OF_ORDER);
  });

  test('batches without a producer id leave no state', () => {
    const table = new ProducerStateTable();
    table.observe([logBatch(0, 1, 2), logBatch(2, 1, 1, { id: 0, epoch: 0, baseSequence: 0 })]);
    expect(table.size).toBe(1); // producer id 0 is a producer; -1 is none
    expect(table.check(0, 0, 0, 1)).toEqual({ kind: 'duplicate', baseOffset: 2 });
  });

  test('observe starts at the index given', () => {
    const table = new ProducerStateTable();
    const batches = twoRecordBatches(3);
    table.observe(batches, 1); // sequences 2-3 and 4-5 only
    expect(table.check(3, 0, 0, 2)).toEqual(OUT_OF_ORDER);
    expect(table.check(3, 0, 2, 2)).toEqual({ kind: 'duplicate', baseOffset: 2 });
  });
});

describe('expiry counts from the latest batch', () => {
  test('a producer is idle from the append time of its newest batch, not its first', () => {
    const table = new ProducerStateTable();
    table.observe([
      { ...logBatch(0, 1, 1, { id: 3, epoch: 0, baseSequence: 0 }), appendTimeUs: 1_000 },
      { ...logBatch(1, 1, 1, { id: 3, epoch: 0, baseSequence: 1 }), appendTimeUs: 8_000 },
      // A batch appended with an older timestamp (a follower replaying) does not move it back.
      { ...logBatch(2, 1, 1, { id: 3, epoch: 0, baseSequence: 2 }), appendTimeUs: 2_000 },
    ]);
    expect(table.removeExpired(17_999, 10_000)).toBe(0);
    expect(table.size).toBe(1);
    expect(table.removeExpired(18_000, 10_000)).toBe(1);
    expect(table.size).toBe(0);
  });

  test('a new epoch starts its idle time at its own first batch', () => {
    const table = new ProducerStateTable();
    table.observe([
      { ...logBatch(0, 1, 1, { id: 3, epoch: 0, baseSequence: 0 }), appendTimeUs: 9_000 },
      { ...logBatch(1, 1, 1, { id: 3, epoch: 1, baseSequence: 0 }), appendTimeUs: 5_000 },
    ]);
    expect(table.removeExpired(14_999, 10_000)).toBe(0);
    expect(table.removeExpired(15_000, 10_000)).toBe(1);
  });
});

describe('snapshots', () => {
  test('a snapshot keeps its offset and only the producers with a batch below it', () => {
    const table = new ProducerStateTable();
    table.observe([logBatch(0, 1, 2, { id: 3, epoch: 0, baseSequence: 0 }), logBatch(2, 1, 1, { id: 4, epoch: 0, baseSequence: 0 })]);
    const snap = table.snapshot(2);
    expect(snap.offset).toBe(2);
    expect(snap.producers.map((p) => p.producerId)).toEqual([3]);
    expect(table.snapshot(0).producers).toEqual([]);
  });

  test('a loaded snapshot is a copy: batches observed afterwards do not change it', () => {
    const table = new ProducerStateTable();
    table.observe(twoRecordBatches(2));
    const snap = table.snapshot(4);
    const restored = new ProducerStateTable();
    restored.load(snap);
    restored.observe(twoRecordBatches(CACHED_BATCHES + 1).slice(2));
    expect(snap.producers[0]!.batches).toHaveLength(2);
    const again = new ProducerStateTable();
    again.load(snap);
    expect(again.check(3, 0, 0, 2)).toEqual({ kind: 'duplicate', baseOffset: 0 });
    expect(again.check(3, 0, 4, 1)).toEqual({ kind: 'append' });
  });

  test('loading replaces what the table held', () => {
    const table = new ProducerStateTable();
    table.observe(twoRecordBatches(1));
    table.load({ offset: 0, producers: [] });
    expect(table.size).toBe(0);
    expect(table.check(3, 0, 9, 1)).toEqual({ kind: 'append' });
  });
});
