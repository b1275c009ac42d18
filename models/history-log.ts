// The history as a run records it: one row per operation, in order, in typed-array columns. The
// per-value operations (send-invoke, send-ok, send-fail, send-info, process) are only numbers and
// two interned strings, so they are stored as such: a run of 60,000 sends would otherwise keep about
// 180,000 small objects alive for the checkers, and V8's young-generation collector copied each of
// them twice while the simulation ran. So are polls and hw-advances (a consumer's and a leader's
// about every batch), whose records go to columns of their own. The other kinds (assign, commits,
// crash, reset) are rare and keep their objects.
//
// Checkers read rows through the accessors (kind(i), value(i), …) without building objects; at(i),
// iteration and toArray() give HistoryOp objects for everything else (output, tests, small tools).
import type { Micros, NodeId } from '../sim/env.js';
import type { HistoryKind, HistoryOp, HistoryRecorder, LogBatchValues, PolledRecord, Value } from './history.js';

type ColumnKind = 'send-invoke' | 'send-ok' | 'send-fail' | 'send-info' | 'process';
type ObjectOp = Exclude<HistoryOp, { kind: ColumnKind }>;

/** Kind codes of the kind column, in a fixed order (the index into KINDS). */
const KINDS = [
  'send-invoke', 'send-ok', 'send-fail', 'send-info', 'process',
  'poll', 'assign', 'commit-ok', 'commit-fail', 'hw-advance', 'crash', 'reset',
] as const satisfies readonly HistoryKind[];
const K_SEND_INVOKE = 0;
const K_SEND_OK = 1;
const K_SEND_FAIL = 2;
const K_SEND_INFO = 3;
const K_PROCESS = 4;
/** Codes from here on are no per-value rows: polls and hw-advances in columns, the rest as objects. */
const FIRST_OBJECT_KIND = 5;
const K_POLL = 5;
const K_HW_ADVANCE = 9;
const KIND_CODE: ReadonlyMap<HistoryKind, number> = new Map(KINDS.map((k, i) => [k, i]));

const INITIAL_ROWS = 4096;
const INITIAL_ROW_RECORDS = 4096;

/** Rows a capacity hint reserves at most (the columns take 35 bytes a row). */
const MAX_RESERVED_ROWS = 1 << 20;

export interface HistoryOptions {
  /**
   * Rows the run is expected to record: the columns start that large (up to 2^20 rows) rather than
   * growing by copying. Pages the run never writes cost no memory (the allocator maps them lazily).
   */
  readonly expectedRows?: number;
  /**
   * Partitions from this one on are internal (the offsets partition): their hw-advances are not
   * kept, as they are data no checker judges.
   */
  readonly internalPartitionsFrom?: number;
}

export class History implements HistoryRecorder, Iterable<HistoryOp> {
  private rows = 0;
  private kinds: Uint8Array;
  private times: Float64Array;
  private processes: Uint16Array;
  private values: Float64Array;
  private partitions: Int32Array;
  private offsets: Float64Array;
  /** Error string id (send-fail, send-info) or index into `objects` (object kinds). */
  private aux: Int32Array;
  private readonly objects: ObjectOp[] = [];
  private readonly processNames: NodeId[] = [];
  private readonly processIds = new Map<NodeId, number>();
  private lastProcess: NodeId | null = null;
  private lastProcessId = -1;
  private readonly errors: string[] = [];
  private readonly errorIds = new Map<string, number>();
  private readonly internalFrom: number;
  /**
   * The records of poll and hw-advance rows, one after another: offsets[row] is a row's first index
   * here, values[row] its count (an hw-advance's records carry its row's partition).
   */
  private recPartitions = new Int32Array(INITIAL_ROW_RECORDS);
  private recOffsets = new Float64Array(INITIAL_ROW_RECORDS);
  private recValues = new Float64Array(INITIAL_ROW_RECORDS);
  private rowRecords = 0;
  /** objectRows() as last built, and the row count it was built at. */
  private objectRowsCache: Int32Array | null = null;
  private objectRowsAt = -1;

  constructor(options: HistoryOptions = {}) {
    this.internalFrom = options.internalPartitionsFrom ?? Infinity;
    const expected = options.expectedRows ?? 0;
    const n = expected > INITIAL_ROWS ? Math.min(Math.ceil(expected), MAX_RESERVED_ROWS) : INITIAL_ROWS; // NaN: the default
    this.kinds = new Uint8Array(n);
    this.times = new Float64Array(n);
    this.processes = new Uint16Array(n);
    this.values = new Float64Array(n);
    this.partitions = new Int32Array(n);
    this.offsets = new Float64Array(n);
    this.aux = new Int32Array(n);
  }

  /** A history holding `ops` in order (tests, tools, histories read back from JSON). */
  static from(ops: Iterable<HistoryOp>): History {
    const history = new History();
    for (const op of ops) history.record(op);
    return history;
  }

  get length(): number {
    return this.rows;
  }

  /** Rows the columns hold before they must grow (for tests and diagnostics). */
  get capacity(): number {
    return this.kinds.length;
  }

  // ---------------------------------------------------------------- recording

  record(op: HistoryOp): void {
    switch (op.kind) {
      case 'send-invoke': return this.sendInvoke(op.t, op.process, op.value, op.partition);
      case 'send-ok': return this.sendOk(op.t, op.process, op.value, op.partition, op.offset);
      case 'send-fail':
      case 'send-info': return this.sendEnd(op.kind, op.t, op.process, op.value, op.partition, op.error);
      case 'process': return this.processed(op.t, op.process, op.partition, op.offset, op.value);
      case 'poll': return this.poll(op.t, op.process, op.records);
      case 'hw-advance': return this.hwAdvance(op.t, op.process, op.partition, op.leaderEpoch, op.records, 0, op.records.length);
      default: {
        const code = KIND_CODE.get(op.kind);
        if (code === undefined) throw new TypeError(`unknown history operation kind '${String((op as { kind: unknown }).kind)}'`);
        const row = this.row(code, op.t, op.process);
        this.aux[row] = this.objects.length;
        this.objects.push(op);
      }
    }
  }

  sendInvoke(t: Micros, process: NodeId, value: Value, partition: number): void {
    this.valueRow(K_SEND_INVOKE, t, process, value, partition);
  }

  sendOk(t: Micros, process: NodeId, value: Value, partition: number, offset: number): void {
    const row = this.valueRow(K_SEND_OK, t, process, value, partition); // first: it may grow the columns
    this.offsets[row] = offset;
  }

  sendEnd(kind: 'send-fail' | 'send-info', t: Micros, process: NodeId, value: Value, partition: number, error: string): void {
    const row = this.valueRow(kind === 'send-fail' ? K_SEND_FAIL : K_SEND_INFO, t, process, value, partition);
    let id = this.errorIds.get(error);
    if (id === undefined) {
      id = this.errors.length;
      this.errors.push(error);
      this.errorIds.set(error, id);
    }
    this.aux[row] = id;
  }

  processed(t: Micros, process: NodeId, partition: number, offset: number, value: Value): void {
    const row = this.valueRow(K_PROCESS, t, process, value, partition); // first: it may grow the columns
    this.offsets[row] = offset;
  }

  poll(t: Micros, process: NodeId, records: readonly PolledRecord[]): void {
    const row = this.row(K_POLL, t, process);
    const count = records.length;
    let k = this.reserveRecords(row, count);
    const partitions = this.recPartitions;
    const offsets = this.recOffsets;
    const values = this.recValues;
    for (let i = 0; i < count; i++, k++) {
      const record = records[i]!;
      partitions[k] = record.partition;
      offsets[k] = record.offset;
      values[k] = record.value;
    }
  }

  /** = record({ kind: 'hw-advance', t, process, partition, leaderEpoch, records: records.slice(from, to) }) */
  hwAdvance(
    t: Micros, process: NodeId, partition: number, leaderEpoch: number,
    records: readonly { readonly offset: number; readonly value: Value }[], from: number, to: number,
  ): void {
    if (partition >= this.internalFrom) return;
    let k = this.hwAdvanceRow(t, process, partition, leaderEpoch, to - from);
    const partitions = this.recPartitions;
    const offsets = this.recOffsets;
    const values = this.recValues;
    for (let i = from; i < to; i++, k++) {
      const record = records[i]!;
      partitions[k] = partition;
      offsets[k] = record.offset;
      values[k] = record.value;
    }
  }

  hwAdvanceBatches(t: Micros, process: NodeId, partition: number, leaderEpoch: number, batches: readonly LogBatchValues[], first: number, from: number, to: number): void {
    if (partition >= this.internalFrom) return;
    let k = this.hwAdvanceRow(t, process, partition, leaderEpoch, to - from);
    const partitions = this.recPartitions;
    const offsets = this.recOffsets;
    const values = this.recValues;
    for (let b = first, offset = from; offset < to; b++) {
      const batch = batches[b]!;
      const batchValues = batch.values;
      const end = Math.min(to, batch.baseOffset + batchValues.length);
      for (; offset < end; offset++, k++) {
        partitions[k] = partition;
        offsets[k] = offset;
        values[k] = batchValues[offset - batch.baseOffset]!;
      }
    }
  }

  /** An hw-advance row of `count` records; the index of its first record in the record columns. */
  private hwAdvanceRow(t: Micros, process: NodeId, partition: number, leaderEpoch: number, count: number): number {
    const row = this.row(K_HW_ADVANCE, t, process);
    this.partitions[row] = partition;
    this.aux[row] = leaderEpoch;
    return this.reserveRecords(row, count);
  }

  /** Room for a row's `count` records in the record columns; the index of the first. */
  private reserveRecords(row: number, count: number): number {
    const start = this.rowRecords;
    if (start + count > this.recOffsets.length) {
      const n = Math.max(this.recOffsets.length * 4, start + count);
      this.recPartitions = grown(this.recPartitions, new Int32Array(n));
      this.recOffsets = grown(this.recOffsets, new Float64Array(n));
      this.recValues = grown(this.recValues, new Float64Array(n));
    }
    this.offsets[row] = start;
    this.values[row] = count;
    this.rowRecords = start + count;
    return start;
  }

  /** A new row of a column kind, with its value and partition. */
  private valueRow(kind: number, t: Micros, process: NodeId, value: Value, partition: number): number {
    const row = this.row(kind, t, process);
    this.values[row] = value;
    this.partitions[row] = partition;
    return row;
  }

  private row(kind: number, t: Micros, process: NodeId): number {
    if (this.rows === this.kinds.length) this.grow();
    const row = this.rows++;
    this.kinds[row] = kind;
    this.times[row] = t;
    this.processes[row] = this.processId(process);
    return row;
  }

  private processId(process: NodeId): number {
    if (process === this.lastProcess) return this.lastProcessId;
    let id = this.processIds.get(process);
    if (id === undefined) {
      id = this.processNames.length;
      if (id > 0xffff) throw new RangeError('more than 65,536 processes in one history');
      this.processNames.push(process);
      this.processIds.set(process, id);
    }
    this.lastProcess = process;
    this.lastProcessId = id;
    return id;
  }

  private grow(): void {
    const n = this.kinds.length * 4;
    this.kinds = grown(this.kinds, new Uint8Array(n));
    this.times = grown(this.times, new Float64Array(n));
    this.processes = grown(this.processes, new Uint16Array(n));
    this.values = grown(this.values, new Float64Array(n));
    this.partitions = grown(this.partitions, new Int32Array(n));
    this.offsets = grown(this.offsets, new Float64Array(n));
    this.aux = grown(this.aux, new Int32Array(n));
  }

  // ---------------------------------------------------------------- reading rows

  kind(i: number): HistoryKind {
    return KINDS[this.kinds[i] as number] as HistoryKind;
  }

  time(i: number): Micros {
    return this.times[i] as number;
  }

  process(i: number): NodeId {
    return this.processNames[this.processes[i] as number] as NodeId;
  }

  /** The value of a send-* or process row. */
  value(i: number): Value {
    return this.values[i] as number;
  }

  /** The partition of a send-* or process row. */
  partition(i: number): number {
    return this.partitions[i] as number;
  }

  /** The offset of a send-ok or process row. */
  offset(i: number): number {
    return this.offsets[i] as number;
  }

  /** The error of a send-fail or send-info row. */
  error(i: number): string {
    return this.errors[this.aux[i] as number] as string;
  }

  /** The leader epoch of an hw-advance row. */
  leaderEpoch(i: number): number {
    return this.aux[i] as number;
  }

  /**
   * The records of a poll or hw-advance row are those from recordsStart(i) to recordsEnd(i)
   * (exclusive), read with recordPartition(k), recordOffset(k) and recordValue(k): no object each.
   */
  recordsStart(i: number): number {
    return this.offsets[i] as number;
  }

  recordsEnd(i: number): number {
    return (this.offsets[i] as number) + (this.values[i] as number);
  }

  recordPartition(k: number): number {
    return this.recPartitions[k] as number;
  }

  recordOffset(k: number): number {
    return this.recOffsets[k] as number;
  }

  recordValue(k: number): Value {
    return this.recValues[k] as number;
  }

  /**
   * The rows of the kinds that are not per-value rows (poll, assign, commits, hw-advance, crash, reset), in
   * order: what checkers walk, reading polls and hw-advances through the accessors above and the
   * rest with at(i) (the objects recorded). Built on first use, and again after new rows.
   */
  objectRows(): Int32Array {
    if (this.objectRowsCache !== null && this.objectRowsAt === this.rows) return this.objectRowsCache;
    const kinds = this.kinds;
    let n = 0;
    for (let i = 0; i < this.rows; i++) if ((kinds[i] as number) >= FIRST_OBJECT_KIND) n++;
    const rows = new Int32Array(n);
    for (let i = 0, j = 0; i < this.rows; i++) if ((kinds[i] as number) >= FIRST_OBJECT_KIND) rows[j++] = i;
    this.objectRowsCache = rows;
    this.objectRowsAt = this.rows;
    return rows;
  }

  private pollAt(i: number): HistoryOp {
    const records: PolledRecord[] = [];
    for (let k = this.recordsStart(i), end = this.recordsEnd(i); k < end; k++) {
      records.push({ partition: this.recordPartition(k), offset: this.recordOffset(k), value: this.recordValue(k) });
    }
    return { kind: 'poll', t: this.time(i), process: this.process(i), records };
  }

  private hwAdvanceAt(i: number): HistoryOp {
    const records: { offset: number; value: Value }[] = [];
    for (let k = this.recordsStart(i), end = this.recordsEnd(i); k < end; k++) {
      records.push({ offset: this.recordOffset(k), value: this.recordValue(k) });
    }
    return { kind: 'hw-advance', t: this.time(i), process: this.process(i), partition: this.partition(i), leaderEpoch: this.leaderEpoch(i), records };
  }

  /**
   * Row i as an operation object: a new object for the kinds stored in columns (a poll's and an
   * hw-advance's records with just the fields their types name); the object recorded for the others.
   */
  at(i: number): HistoryOp {
    if (!(i >= 0 && i < this.rows)) throw new RangeError(`history row ${i} out of range [0, ${this.rows})`);
    const code = this.kinds[i] as number;
    if (code === K_POLL) return this.pollAt(i);
    if (code === K_HW_ADVANCE) return this.hwAdvanceAt(i);
    if (code >= FIRST_OBJECT_KIND) return this.objects[this.aux[i] as number] as HistoryOp;
    const t = this.time(i);
    const process = this.process(i);
    const value = this.value(i);
    const partition = this.partition(i);
    switch (code) {
      case K_SEND_INVOKE: return { kind: 'send-invoke', t, process, value, partition };
      case K_SEND_OK: return { kind: 'send-ok', t, process, value, partition, offset: this.offset(i) };
      case K_SEND_FAIL: return { kind: 'send-fail', t, process, value, partition, error: this.error(i) };
      case K_SEND_INFO: return { kind: 'send-info', t, process, value, partition, error: this.error(i) };
      default: return { kind: 'process', t, process, partition, offset: this.offset(i), value };
    }
  }

  *[Symbol.iterator](): Iterator<HistoryOp> {
    for (let i = 0; i < this.rows; i++) yield this.at(i);
  }

  toArray(): HistoryOp[] {
    const out = new Array<HistoryOp>(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.at(i);
    return out;
  }

  toJSON(): HistoryOp[] {
    return this.toArray();
  }
}

function grown<T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
