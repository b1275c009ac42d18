// The idempotent producer state a replica keeps (KAFKA.md "Idempotent producer rules"): it learns
// batches from the records it appends, whole or cut across fetches, and a rebuild from the log
// must reach the same state. Checked through check(), the only thing the leader asks of it.
import { describe, expect, test } from 'vitest';
import { CACHED_BATCHES, ProducerStateTable } from '../../models/producer-state.js';
import type { LogRecord } from '../../models/records.js';
import { sequenceOf } from '../../models/records.js';
import { batchOf, recordOf } from './records.js';

/** A log built batch by batch, as a leader appends: [producerId (-1: not idempotent), epoch, first sequence, count]. */
function logOf(batches: readonly (readonly [number, number, number, number])[]): LogRecord[] {
  const log: LogRecord[] = [];
  for (const [producerId, producerEpoch, baseSequence, count] of batches) {
    const base = log.length;
    const idempotent = producerId >= 0;
    const batch = batchOf(base, 1, producerId, idempotent ? producerEpoch : -1, idempotent ? baseSequence : -1, idempotent ? baseSequence + count - 1 : -1, null);
    for (let i = 0; i < count; i++) log.push(recordOf(base + i, 100 + base + i, batch));
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
    expect(table.check(9, 0, 0, 1)).toEqual({ kind: 'append' });
    expect(table.check(9, 0, 1, 1)).toEqual({ kind: 'error', error: 'OUT_OF_ORDER_SEQUENCE_NUMBER' });
  });

  test('fetched in pieces that cut batches, a follower learns what a rebuild from the whole log learns', () => {
    const rebuilt = new ProducerStateTable();
    rebuilt.rebuild(log);
    for (const size of [1, 2, 3, 5]) {
      const follower = new ProducerStateTable();
      for (let from = 0; from < log.length; from += size) follower.observe(log.slice(from, from + size));
      // A batch whose records arrived in two fetches is remembered from where its last piece began.
      for (const [id, first, count] of [[7, 0, 3], [7, 3, 4], [8, 0, 2], [8, 2, 1]] as const) {
        const whole = rebuilt.check(id, 0, first, count);
        expect(whole.kind).toBe('duplicate');
        const pieces = follower.check(id, 0, first, count);
        const cut = (log.findIndex((r) => r.batch.producerId === id && sequenceOf(r) === first) % size) + count > size;
        if (!cut) expect(pieces, `size ${size}, producer ${id} from ${first}`).toEqual(whole);
        else expect(pieces.kind, `size ${size}, producer ${id} from ${first}`).not.toBe('duplicate');
      }
      expect(follower.check(7, 0, 7, 1)).toEqual({ kind: 'append' });
    }
  });

  test('a batch cut short by a truncation does not swallow the next producer\'s batch; non-idempotent records leave no state', () => {
    // Producer 7's three-record batch lost its last record (a truncation) before others were appended.
    const b7 = batchOf(0, 1, 7, 0, 0, 2, null);
    const plain = batchOf(2, 1);
    const b8 = batchOf(3, 1, 8, 0, 0, 1, null);
    const log = [recordOf(0, 100, b7), recordOf(1, 101, b7), recordOf(2, 102, plain), recordOf(3, 103, b8), recordOf(4, 104, b8)];
    const table = new ProducerStateTable();
    table.rebuild(log);
    expect(table.check(8, 0, 0, 2)).toEqual({ kind: 'duplicate', baseOffset: 3 });
    expect(table.check(7, 0, 0, 3)).toEqual({ kind: 'append' });
    expect(table.check(-1, -1, -1, 1).kind).toBe('error');
  });

  test('only the last five batches of a producer are kept, and a new epoch starts over', () => {
    const many = logOf([...Array.from({ length: CACHED_BATCHES + 2 }, (_, i) => [3, 0, i * 2, 2] as const), [3, 1, 0, 1]]);
    const table = new ProducerStateTable();
    table.rebuild(many.slice(0, (CACHED_BATCHES + 2) * 2));
    expect(table.check(3, 0, 0, 2).kind).not.toBe('duplicate');
    expect(table.check(3, 0, 2, 2).kind).not.toBe('duplicate');
    expect(table.check(3, 0, 4, 2)).toEqual({ kind: 'duplicate', baseOffset: 4 });
    expect(table.check(3, 0, 12, 2)).toEqual({ kind: 'duplicate', baseOffset: 12 });
    table.rebuild(many);
    expect(table.check(3, 0, 12, 2)).toEqual({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
    expect(table.check(3, 1, 0, 1)).toEqual({ kind: 'duplicate', baseOffset: 14 });
  });
});
