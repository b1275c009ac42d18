// The idempotent producer state a replica keeps (KAFKA.md "Idempotent producer rules"): it learns
// batches as it appends them, and a rebuild from the log must reach the same state. Checked
// through check(), the only thing the leader asks of it.
import { describe, expect, test } from 'vitest';
import { CACHED_BATCHES, ProducerStateTable } from '../../models/producer-state.js';
import type { RecordBatch } from '../../models/records.js';
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
  });

  test('a follower learning batch by batch as it fetches knows what a rebuild from the whole log knows', () => {
    const rebuilt = new ProducerStateTable();
    rebuilt.rebuild(log);
    for (const size of [1, 2, 3]) {
      const follower = new ProducerStateTable();
      for (let from = 0; from < log.length; from += size) follower.observe(log.slice(from, from + size));
      for (const [id, first, count] of [[7, 0, 3], [7, 3, 4], [8, 0, 2], [8, 2, 1], [7, 7, 1], [8, 3, 2]] as const) {
        expect(follower.check(id, 0, first, count)).toEqual(rebuilt.check(id, 0, first, count));
      }
    }
  });

  test('only the last five batches of a producer are kept, and a new epoch starts over', () => {
    const many = logOf([...Array.from({ length: CACHED_BATCHES + 2 }, (_, i) => [3, 0, i * 2, 2] as const), [3, 1, 0, 1]]);
    const table = new ProducerStateTable();
    table.rebuild(many.slice(0, CACHED_BATCHES + 2));
    expect(table.check(3, 0, 0, 2).kind).not.toBe('duplicate');
    expect(table.check(3, 0, 2, 2).kind).not.toBe('duplicate');
    expect(table.check(3, 0, 4, 2)).toEqual({ kind: 'duplicate', baseOffset: 4 });
    expect(table.check(3, 0, 12, 2)).toEqual({ kind: 'duplicate', baseOffset: 12 });
    table.rebuild(many);
    expect(table.check(3, 0, 12, 2)).toEqual({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
    expect(table.check(3, 1, 0, 1)).toEqual({ kind: 'duplicate', baseOffset: 14 });
  });
});
