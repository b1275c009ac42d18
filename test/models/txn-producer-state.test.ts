// The broker side of transactions, unit by unit: a producer's open transaction and the last stable
// offset, the aborted-transaction index, both through a snapshot and a reload, a new epoch keeping
// an open transaction, expiry sparing it; the final state's classification; and what a
// read_committed fetch lets a poll return.
import { describe, expect, it } from 'vitest';
import { visibleRecords } from '../../models/clients/consumer-fetcher.js';
import { ProducerStateTable } from '../../models/replication/producer-state.js';
import type { RecordBatch } from '../../models/replication/records.js';
import { expandAll } from '../../models/replication/records.js';
import type { MarkerPayload } from '../../models/transactions/txn-records.js';
import { classifyTxnOffsets } from '../../models/transactions/txn-records.js';
import { logBatch } from './records.js';

/** A transactional batch of `count` records of producer `id` (epoch, first sequence). */
function txnBatch(baseOffset: number, id: number, epoch: number, baseSequence: number, count = 2, appendTimeUs = 0): RecordBatch {
  return { ...logBatch(baseOffset, 1, count, { id, epoch, baseSequence }), transactional: true, appendTimeUs };
}

function marker(baseOffset: number, producerId: number, commit: boolean, producerEpoch = 0): RecordBatch {
  const payload: MarkerPayload = { kind: 'marker', commit, producerId, producerEpoch, coordinatorEpoch: 1 };
  return { ...logBatch(baseOffset, 1, 1, null, null, [-1]), payloads: [payload] };
}

describe('producer state with transactions', () => {
  it('an open transaction holds the last stable offset at its first record until its marker', () => {
    const table = new ProducerStateTable();
    table.observe([logBatch(0, 1, 2, { id: 1, epoch: 0, baseSequence: 0 }), txnBatch(2, 7, 0, 0), txnBatch(4, 8, 0, 0), txnBatch(6, 7, 0, 2)]);
    expect(table.firstUnstableOffset()).toBe(2);
    table.observeBatch(marker(8, 7, true));
    expect(table.firstUnstableOffset()).toBe(4);
    table.observeBatch(marker(9, 8, false));
    expect(table.firstUnstableOffset()).toBeNull();
    expect(table.abortedTxns(0, 10)).toEqual([{ producerId: 8, firstOffset: 4, lastOffset: 9 }]);
    expect(table.abortedTxns(10, 20)).toEqual([]);
    expect(table.abortedTxns(0, 4)).toEqual([]);
  });

  it('a snapshot keeps the open transactions and the aborted index below its offset, and a reload replays the rest', () => {
    const log = [txnBatch(0, 7, 0, 0), marker(2, 7, false), txnBatch(3, 7, 0, 2), txnBatch(5, 8, 0, 0), marker(7, 8, true)];
    const table = new ProducerStateTable();
    table.observe(log);
    const snapshot = table.snapshot(6);
    const reloaded = new ProducerStateTable();
    reloaded.load(snapshot);
    expect(reloaded.firstUnstableOffset()).toBe(3);
    expect(reloaded.abortedTxns(0, 10)).toEqual([{ producerId: 7, firstOffset: 0, lastOffset: 2 }]);
    reloaded.observe(log, 4);
    expect(reloaded.firstUnstableOffset()).toBe(3);
    expect(table.firstUnstableOffset()).toBe(3);
    // Below the marker of 8 the snapshot has 8's transaction open; above, the replay ends it.
    const early = new ProducerStateTable();
    early.load(table.snapshot(7));
    expect(early.firstUnstableOffset()).toBe(3);
  });

  it('a batch of a newer epoch keeps the open transaction; a marker of a newer epoch fences the old one', () => {
    const table = new ProducerStateTable();
    table.observe([txnBatch(0, 7, 0, 0), txnBatch(2, 7, 1, 0)]);
    expect(table.firstUnstableOffset()).toBe(0);
    table.observeBatch(marker(4, 7, true, 2));
    expect(table.firstUnstableOffset()).toBeNull();
    expect(table.epochOf(7)).toBe(2);
    expect(table.check(7, 1, 2, 1)).toEqual({ kind: 'error', error: 'INVALID_PRODUCER_EPOCH' });
  });

  it('expiry spares a producer with an open transaction', () => {
    const table = new ProducerStateTable();
    table.observe([txnBatch(0, 7, 0, 0, 2, 0), logBatch(2, 1, 1, { id: 9, epoch: 0, baseSequence: 0 })]);
    expect(table.removeExpired(10_000, 1_000)).toBe(1);
    expect(table.epochOf(7)).toBe(0);
    expect(table.epochOf(9)).toBeUndefined();
  });
});

describe('a log as read_committed reads it', () => {
  const log = [txnBatch(0, 7, 0, 0), logBatch(2, 1, 1), txnBatch(3, 8, 0, 0), marker(5, 7, false), txnBatch(6, 8, 0, 2), marker(8, 8, true), txnBatch(9, 7, 0, 2)];

  it('classifies control records, aborted and open transactions', () => {
    expect(classifyTxnOffsets(log)).toEqual({ control: [5, 8], aborted: [0, 1], open: [9, 10] });
    expect(classifyTxnOffsets([logBatch(0, 1, 3)])).toBeNull();
  });

  it('a fetch drops control records always, and aborted transactions with read_committed', () => {
    const records = expandAll(0, log.slice(0, 6));
    expect(visibleRecords(records, undefined).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(visibleRecords(records, [{ producerId: 7, firstOffset: 0, lastOffset: 5 }]).map((r) => r.offset)).toEqual([2, 3, 4, 6, 7]);
    const plain = expandAll(0, [logBatch(0, 1, 3)]);
    expect(visibleRecords(plain, [])).toBe(plain);
  });
});
