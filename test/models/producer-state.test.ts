// The idempotent producer state a replica keeps (KAFKA.md "Idempotent producer rules"): it learns
// batches as it appends them, and a snapshot plus the replay of the log after it must reach the
// state of a whole replay. Checked
// through check(), the only thing the leader asks of it.
import { describe, expect, test } from 'vitest';
import { CACHED_BATCHES, ProducerStateTable } from '../../models/replication/producer-state.js';
import type { RecordBatch } from '../../models/replication/records.js';
import { logBatch as batchOf } from './records.js';

/** A log built batch by batch, as a leader appends: [producerId (-1: not idempotent), epoch, first sequence, count]. */
function logOf(specs: readonly (readonly [number, number, number, number])[]): RecordBatch[] {
  const log: RecordBatch[] = [];
  let offset = 0;
  for (const [id, epoch, baseSequence, count] of specs) {
    log.push(batchOf(offset, 1, count, id >= 0 ? { id, epoch, baseSequence } : null));
    offset += count;
  }
  return log;
}

describe('ProducerStateTable', () => {
  const log = logOf([[7, 0, 0, 3], [-1, 0, 0, 2], [8, 0, 0, 2], [7, 0, 3, 4], [8, 0, 2, 1]]);

  test('a retried batch is a duplicate with its first offset; the next sequence appends; gaps and old epochs are errors', () => {
    const table = new ProducerStateTable();
    table.observe(log);
    expect(table.check(7, 0, 0, 3)).toEqual({ kind: 'duplicate', baseOffset: 0 });
    expect(table.check(7, 0, 3, 4)).toEqual({ kind: 'duplicate', baseOffset: 7 });
    expect(table.check(8, 0, 2, 1)).toEqual({ kind: 'duplicate', baseOffset: 11 });
    expect(table.check(7, 0, 7, 2)).toEqual({ kind: 'append' });
    expect(table.check(7, 0, 8, 2)).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    expect(table.check(7, 1, 0, 2)).toEqual({ kind: 'append' });
    expect(table.check(7, 1, 5, 2)).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
    // A producer with no state here (never seen, expired, or lost with the log) writes at any sequence (Kafka ≥ 2.5).
    expect(table.check(9, 0, 0, 1)).toEqual({ kind: 'append' });
    expect(table.check(9, 3, 41, 1)).toEqual({ kind: 'append' });
  });

  test('only the last five batches of a producer are kept, and a new epoch starts over', () => {
    const many = logOf([...Array.from({ length: CACHED_BATCHES + 2 }, (_, i) => [3, 0, i * 2, 2] as const), [3, 1, 0, 1]]);
    const table = new ProducerStateTable();
    table.observe(many.slice(0, CACHED_BATCHES + 2));
    expect(table.check(3, 0, 0, 2).kind).not.toBe('duplicate');
    expect(table.check(3, 0, 2, 2).kind).not.toBe('duplicate');
    expect(table.check(3, 0, 4, 2)).toEqual({ kind: 'duplicate', baseOffset: 4 });
    expect(table.check(3, 0, 12, 2)).toEqual({ kind: 'duplicate', baseOffset: 12 });
    table.load(null);
    table.observe(many);
    expect(table.check(3, 0, 12, 2)).toEqual({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
    expect(table.check(3, 1, 0, 1)).toEqual({ kind: 'duplicate', baseOffset: 14 });
  });
});

describe('snapshots and expiry', () => {
  const log = logOf([[7, 0, 0, 3], [8, 0, 0, 2], [7, 0, 3, 4], [8, 0, 2, 1], [7, 0, 7, 2]]);

  test('a snapshot loaded, then the batches after it replayed, is the state a whole replay builds', () => {
    const whole = new ProducerStateTable();
    whole.observe(log);
    for (let cut = 0; cut <= log.length; cut++) {
      const before = new ProducerStateTable();
      before.observe(log.slice(0, cut));
      const offset = cut === log.length ? 12 : log[cut]!.baseOffset;
      const restored = new ProducerStateTable();
      restored.load(before.snapshot(offset));
      restored.observe(log, cut);
      for (const [id, first, count] of [[7, 0, 3], [7, 3, 4], [7, 7, 2], [8, 0, 2], [8, 2, 1], [7, 9, 1], [8, 3, 1], [7, 8, 1]] as const) {
        expect(restored.check(id, 0, first, count), `cut ${cut}: ${id}/${first}`).toEqual(whole.check(id, 0, first, count));
      }
    }
  });

  test('a snapshot leaves out batches at or above its offset (a leader records them before its write completes)', () => {
    const table = new ProducerStateTable();
    table.observe(log);
    const snap = table.snapshot(9); // the batches at 0, 3 and 5 are in it; those at 9 and 10 are left out
    const restored = new ProducerStateTable();
    restored.load(snap);
    expect(restored.check(8, 0, 2, 1)).toEqual({ kind: 'append' });
    expect(restored.check(7, 0, 3, 4)).toEqual({ kind: 'duplicate', baseOffset: 5 });
  });

  test('producers idle for the expiration time are forgotten, and may then write at any sequence', () => {
    const table = new ProducerStateTable();
    table.observe([batchOf(0, 1, 2, { id: 7, epoch: 0, baseSequence: 0 }), { ...batchOf(2, 1, 1, { id: 8, epoch: 0, baseSequence: 0 }), appendTimeUs: 5_000 }]);
    expect(table.check(7, 0, 9, 1).kind).toBe('error');
    expect(table.removeExpired(9_999, 10_000)).toBe(0);
    expect(table.removeExpired(10_000, 10_000)).toBe(1); // producer 7 (last batch at 0)
    expect(table.size).toBe(1);
    expect(table.check(7, 0, 9, 1)).toEqual({ kind: 'append' });
    expect(table.check(8, 0, 9, 1).kind).toBe('error');
  });
});
