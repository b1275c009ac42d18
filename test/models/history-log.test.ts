import { describe, expect, it } from 'vitest';
import type { HistoryOp } from '../../models/history/history.js';
import { History } from '../../models/history/history-log.js';

const OPS: HistoryOp[] = [
  { kind: 'send-invoke', t: 10, process: 'p1', value: 10_000_000, partition: 0 },
  { kind: 'crash', t: 11, process: 'b2', power: true },
  { kind: 'send-ok', t: 20, process: 'p1', value: 10_000_000, partition: 0, offset: 7 },
  { kind: 'send-fail', t: 21, process: 'p2', value: 20_000_001, partition: 1, error: 'NOT_ENOUGH_REPLICAS' },
  { kind: 'send-info', t: 22, process: 'p2', value: 20_000_002, partition: 1, error: 'REQUEST_TIMED_OUT' },
  { kind: 'poll', t: 30, process: 'k1', records: [{ partition: 0, offset: 7, value: 10_000_000 }] },
  { kind: 'process', t: 31, process: 'k1', partition: 0, offset: 7, value: 10_000_000 },
  { kind: 'assign', t: 32, process: 'k1', group: 'g', generation: 2, partitions: [0] },
  { kind: 'commit-ok', t: 33, process: 'k1', group: 'g', generation: 2, offsets: [{ partition: 0, offset: 8 }] },
  { kind: 'commit-fail', t: 34, process: 'k1', group: 'g', generation: 2, offsets: [{ partition: 0, offset: 8 }] },
  { kind: 'hw-advance', t: 35, process: 'b1', partition: 0, leaderEpoch: 3, records: [{ offset: 7, value: 10_000_000 }] },
  // Times past 2^31 µs and values past 2^31 survive the columns.
  { kind: 'send-ok', t: 5_000_000_000, process: 'p250', value: 2_500_000_123, partition: 2, offset: 3_000_000_000 },
];

describe('History (the columnar history)', () => {
  it('gives back every kind of operation as recorded, in order, field for field', () => {
    const history = History.from(OPS);
    expect(history.length).toBe(OPS.length);
    expect(history.toArray()).toEqual(OPS);
    expect([...history]).toEqual(OPS);
    expect(JSON.parse(JSON.stringify(history))).toEqual(OPS);
    // Field order too: JSON output of a run must not change shape.
    expect(history.toArray().map((op) => Object.keys(op))).toEqual(OPS.map((op) => Object.keys(op)));
  });

  it('reads rows without objects, and keeps the rare kinds (assign, commits, crash) as the very objects recorded', () => {
    const history = History.from(OPS);
    expect(history.kind(2)).toBe('send-ok');
    expect([history.time(2), history.process(2), history.value(2), history.partition(2), history.offset(2)]).toEqual([20, 'p1', 10_000_000, 0, 7]);
    expect(history.error(3)).toBe('NOT_ENOUGH_REPLICAS');
    expect(history.error(4)).toBe('REQUEST_TIMED_OUT');
    expect(history.at(7)).toBe(OPS[7]);
    expect(history.at(5)).toEqual(OPS[5]);
    expect([...history.objectRows()].map((i) => history.at(i))).toEqual(OPS.filter((op) => ['poll', 'assign', 'commit-ok', 'commit-fail', 'hw-advance', 'crash'].includes(op.kind)));
    expect(() => history.at(OPS.length)).toThrow(RangeError);
  });

  it('hwAdvanceBatches records what hwAdvance records for the same records kept batch by batch, from any batch', () => {
    const records = Array.from({ length: 9 }, (_, offset) => ({ offset, value: 100 + offset }));
    const batches = [{ baseOffset: 0, values: [100, 101, 102] }, { baseOffset: 3, values: [103] }, { baseOffset: 4, values: [104, 105, 106, 107, 108] }];
    const byRecords = new History();
    const byBatches = new History();
    for (const [first, from, to] of [[0, 1, 5], [1, 3, 9], [2, 6, 6], [0, 0, 9]] as const) {
      byRecords.hwAdvance(from, 'b1', 0, 1, records, from, to);
      byBatches.hwAdvanceBatches(from, 'b1', 0, 1, batches, first, from, to);
    }
    expect(byBatches.toArray()).toEqual(byRecords.toArray());
    expect(byBatches.toArray().map((op) => (op.kind === 'hw-advance' ? op.records.length : -1))).toEqual([4, 6, 0, 9]);
  });

  it('stores hw-advances in columns: the method takes a slice of the log, and objectRows() keeps the order of all object kinds', () => {
    const log = [10, 11, 12, 13, 14].map((value, offset) => ({ offset, value, partition: 0, extra: true }));
    const history = new History();
    history.hwAdvance(5, 'b1', 0, 2, log, 1, 3);
    history.record({ kind: 'crash', t: 6, process: 'b2', power: false });
    history.hwAdvance(7, 'b1', 0, 3, log, 3, 3);
    // More committed records than the columns start with: they grow.
    const many = Array.from({ length: 10_000 }, (_, offset) => ({ offset, value: 1_000_000 + offset }));
    history.hwAdvance(8, 'b3', 1, 4, many, 0, many.length);
    const expected: HistoryOp[] = [
      { kind: 'hw-advance', t: 5, process: 'b1', partition: 0, leaderEpoch: 2, records: [{ offset: 1, value: 11 }, { offset: 2, value: 12 }] },
      { kind: 'crash', t: 6, process: 'b2', power: false },
      { kind: 'hw-advance', t: 7, process: 'b1', partition: 0, leaderEpoch: 3, records: [] },
      { kind: 'hw-advance', t: 8, process: 'b3', partition: 1, leaderEpoch: 4, records: many },
    ];
    expect(history.toArray()).toEqual(expected);
    expect([...history.objectRows()].map((i) => history.at(i))).toEqual(expected);
    history.record({ kind: 'crash', t: 9, process: 'b1', power: true });
    expect(history.objectRows()).toHaveLength(5);
  });

  it('gives checkers the rows of polls and hw-advances and their records without objects', () => {
    const history = new History();
    history.sendInvoke(1, 'p1', 5, 0);
    history.poll(2, 'k1', [{ partition: 1, offset: 4, value: 7 }, { partition: 2, offset: 9, value: 8 }]);
    history.record({ kind: 'crash', t: 3, process: 'b2', power: false });
    history.hwAdvance(4, 'b1', 3, 6, [{ offset: 0, value: 10 }, { offset: 1, value: 11 }], 1, 2);
    expect([...history.objectRows()]).toEqual([1, 2, 3]);
    const records = (i: number): number[][] => {
      const out: number[][] = [];
      for (let k = history.recordsStart(i); k < history.recordsEnd(i); k++) out.push([history.recordPartition(k), history.recordOffset(k), history.recordValue(k)]);
      return out;
    };
    expect(records(1)).toEqual([[1, 4, 7], [2, 9, 8]]);
    // An hw-advance's records take its row's partition.
    expect(records(3)).toEqual([[3, 1, 11]]);
    expect([history.kind(3), history.process(3), history.time(3), history.partition(3), history.leaderEpoch(3)]).toEqual(['hw-advance', 'b1', 4, 3, 6]);
    expect(history.objectRows()).toBe(history.objectRows()); // built once while nothing is added
    history.poll(5, 'k1', []);
    expect([...history.objectRows()]).toEqual([1, 2, 3, 4]);
    expect(history.recordsEnd(4) - history.recordsStart(4)).toBe(0);
  });

  it('the per-value methods record what record() would', () => {
    const viaMethods = new History();
    viaMethods.sendInvoke(10, 'p1', 5, 0);
    viaMethods.sendOk(20, 'p1', 5, 0, 9);
    viaMethods.sendEnd('send-info', 21, 'p1', 6, 0, 'ACKS_0');
    viaMethods.processed(30, 'k1', 0, 9, 5);
    expect(viaMethods.toArray()).toEqual([
      { kind: 'send-invoke', t: 10, process: 'p1', value: 5, partition: 0 },
      { kind: 'send-ok', t: 20, process: 'p1', value: 5, partition: 0, offset: 9 },
      { kind: 'send-info', t: 21, process: 'p1', value: 6, partition: 0, error: 'ACKS_0' },
      { kind: 'process', t: 30, process: 'k1', partition: 0, offset: 9, value: 5 },
    ]);
  });

  it('grows past its first chunks without losing rows or fields, whichever method adds the row', () => {
    const history = new History();
    const expected: HistoryOp[] = [];
    for (let i = 0; i < 40_000; i++) {
      const [t, process, value, partition] = [i, `p${i % 3}`, 1000 + i, i % 4];
      switch (i % 4) {
        case 0: history.sendOk(t, process, value, partition, i); expected.push({ kind: 'send-ok', t, process, value, partition, offset: i }); break;
        case 1: history.processed(t, process, partition, i, value); expected.push({ kind: 'process', t, process, partition, offset: i, value }); break;
        case 2: history.sendEnd('send-fail', t, process, value, partition, `E${i % 5}`); expected.push({ kind: 'send-fail', t, process, value, partition, error: `E${i % 5}` }); break;
        default: history.sendInvoke(t, process, value, partition); expected.push({ kind: 'send-invoke', t, process, value, partition });
      }
    }
    expect(history.toArray()).toEqual(expected);
  });

  it("keeps a poll's records as partition, offset and value only, in columns", () => {
    const logRecord = { partition: 0, offset: 7, value: 10_000_000, batch: { baseOffset: 7, epoch: 2, producerId: -1, producerEpoch: -1, baseSequence: -1, lastSequence: -1, payloads: null } };
    const polled = [logRecord, { ...logRecord, partition: 3, offset: 2_500_000_000, value: 2_500_000_001 }];
    const history = new History();
    history.poll(1, 'k1', polled);
    history.poll(2, 'k2', []);
    polled.length = 0; // the consumer's array is not kept
    const expected = [
      { kind: 'poll', t: 1, process: 'k1', records: [{ partition: 0, offset: 7, value: 10_000_000 }, { partition: 3, offset: 2_500_000_000, value: 2_500_000_001 }] },
      { kind: 'poll', t: 2, process: 'k2', records: [] },
    ];
    expect(history.toArray()).toEqual(expected);
  });

  it('keeps no hw-advance of an internal partition, and refuses unknown kinds', () => {
    const history = new History({ internalPartitionsFrom: 1 });
    history.record({ kind: 'hw-advance', t: 1, process: 'b1', partition: 1, leaderEpoch: 0, records: [] });
    history.record({ kind: 'hw-advance', t: 2, process: 'b1', partition: 0, leaderEpoch: 0, records: [] });
    history.hwAdvance(3, 'b1', 1, 0, [{ offset: 0, value: 5 }], 0, 1);
    expect(history.toArray().map((op) => op.t)).toEqual([2]);
    expect(() => history.record({ kind: 'nonsense', t: 3, process: 'x' } as unknown as HistoryOp)).toThrow(/unknown history operation kind 'nonsense'/);
  });

  it('keeps numbers that do not fit its narrow columns exactly: long gaps, times going back, negative, fractional and huge numbers, any partition', () => {
    const history = new History();
    const expected: HistoryOp[] = [];
    const add = (op: HistoryOp) => { history.record(op); expected.push(op); };
    for (let i = 0; i < 50_000; i++) {
      // Rows far apart in time (a chunk spans more than 2^32 µs), and a few going back in time.
      const t = i % 1000 === 999 ? i * 10_000_000 - 7_000_000_000 : i * 10_000_000;
      if (i % 5000 === 0) add({ kind: 'send-ok', t, process: 'p1', value: -1 - i, partition: 70_000 + i, offset: 2 ** 40 + i });
      else if (i % 5000 === 1) add({ kind: 'process', t: t + 0.5, process: 'k1', partition: 65_535, offset: 0xffff_ffff, value: 0xffff_ffff });
      else if (i % 5000 === 2) add({ kind: 'poll', t, process: 'k1', records: [{ partition: 65_535, offset: -3, value: 2 ** 53 - 1 }, { partition: 1, offset: 0.25, value: 0xffff_fffe }] });
      else if (i % 5000 === 3) add({ kind: 'hw-advance', t, process: 'b1', partition: 1e6, leaderEpoch: 7, records: [{ offset: 2 ** 33, value: 12 }] });
      else add({ kind: 'send-invoke', t, process: 'p1', value: 10_000_000 + i, partition: i % 50 });
    }
    expect(history.toArray()).toEqual(expected);
  });

  it('holds a row in 21 bytes and a polled or committed record in 10, in chunks, with no room to spare but the last chunk', () => {
    const history = new History();
    expect(history.columnBytes).toBe(1024 * 21 + 1024 * 10); // a small history stays small
    const rows = 1_000_000;
    for (let i = 0; i < rows; i++) history.sendInvoke(i * 1000, `p${i % 5}`, 10_000_000 * (1 + (i % 5)) + i, i % 50);
    const records = Array.from({ length: 100 }, (_, offset) => ({ offset, value: 10_000_000 + offset }));
    for (let i = 0; i < 10_000; i++) history.hwAdvance(rows * 1000 + i, 'b1', 0, 1, records, 0, 100); // a million records
    const rowChunk = 16_384;
    const recordChunk = 65_536;
    const rowBytes = Math.ceil((rows + 10_000) / rowChunk) * rowChunk * 21;
    const recordBytes = Math.ceil(1_000_000 / recordChunk) * recordChunk * 10;
    expect(history.columnBytes).toBe(rowBytes + recordBytes); // 22.1 MB + 10.5 MB, where a Float64 column alone took 8 MB
    expect(history.capacity - history.length).toBeLessThan(rowChunk);
    expect([history.time(rows - 1), history.value(rows - 1), history.partition(rows - 1), history.process(rows - 1)]).toEqual([(rows - 1) * 1000, 50_000_000 + rows - 1, (rows - 1) % 50, 'p4']);
  });
});
