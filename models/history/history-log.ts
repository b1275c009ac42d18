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
import type { Micros, NodeId } from '../../sim/env.js';
import type { HistoryKind, HistoryOp, HistoryRecorder, LogBatchValues, PolledRecord, Value } from './history.js';

type ColumnKind = 'send-invoke' | 'send-ok' | 'send-fail' | 'send-info' | 'process';
type ObjectOp = Exclude<HistoryOp, { kind: ColumnKind }>;

/** Kind codes of the kind column, in a fixed order (the index into KINDS). */
const KINDS = [
  'send-invoke', 'send-ok', 'send-fail', 'send-info', 'process',
  'poll', 'assign', 'commit-ok', 'commit-fail', 'hw-advance', 'crash', 'reset', 'leader-elected', 'txn-end', 'transform',
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

/**
 * Rows are kept in chunks of 16,384 (about 340 KB of columns): a long run adds chunks rather than
 * copying columns that double, so it holds no slack beyond its last chunk and never two copies of
 * the history at once (a 60-minute run of `safe` kept 4.2 M rows of columns for its 1.1 M rows).
 */
const ROW_CHUNK_SHIFT = 14;
const ROW_CHUNK_ROWS = 1 << ROW_CHUNK_SHIFT;
const ROW_CHUNK_MASK = ROW_CHUNK_ROWS - 1;
/** Records of polls and hw-advances, in chunks of 65,536 (640 KB). */
const RECORD_CHUNK_SHIFT = 16;
const RECORD_CHUNK_RECORDS = 1 << RECORD_CHUNK_SHIFT;
const RECORD_CHUNK_MASK = RECORD_CHUNK_RECORDS - 1;
/** The first chunk of each starts this small and grows to a full chunk: most histories are small. */
const FIRST_CHUNK_SIZE = 1024;

/**
 * A number that does not fit its narrow column (a time past 71 minutes after its chunk's first row,
 * a negative or fractional number, a value of a producer numbered past 428) is stored as this
 * marker, and the number itself in a map beside the column, keyed by row or record index. Realistic
 * runs put almost nothing there.
 */
const WIDE32 = 0xffff_ffff;
const WIDE16 = 0xffff;

/**
 * One chunk of rows. Times are µs after the chunk's first row (its baseTimeUs), so they fit 32 bits;
 * values, offsets and record counts fit 32 bits and partitions 16 in any realistic run (see WIDE32).
 * A row takes 21 bytes.
 */
class RowChunk {
  readonly kinds: Uint8Array;
  readonly times: Uint32Array;
  readonly processes: Uint16Array;
  readonly values: Uint32Array;
  readonly partitions: Uint16Array;
  readonly offsets: Uint32Array;
  /** Error string id (send-fail, send-info), leader epoch (hw-advance) or index into `objects` (object kinds). */
  readonly aux: Int32Array;

  constructor(size: number, readonly baseTimeUs: number, from?: RowChunk) {
    this.kinds = new Uint8Array(size);
    this.times = new Uint32Array(size);
    this.processes = new Uint16Array(size);
    this.values = new Uint32Array(size);
    this.partitions = new Uint16Array(size);
    this.offsets = new Uint32Array(size);
    this.aux = new Int32Array(size);
    if (from !== undefined) {
      this.kinds.set(from.kinds);
      this.times.set(from.times);
      this.processes.set(from.processes);
      this.values.set(from.values);
      this.partitions.set(from.partitions);
      this.offsets.set(from.offsets);
      this.aux.set(from.aux);
    }
  }

  get bytes(): number {
    return this.kinds.length * 21;
  }
}

/** One chunk of the records of polls and hw-advances: 10 bytes a record. */
class RecordChunk {
  readonly partitions: Uint16Array;
  readonly offsets: Uint32Array;
  readonly values: Uint32Array;

  constructor(size: number, from?: RecordChunk) {
    this.partitions = new Uint16Array(size);
    this.offsets = new Uint32Array(size);
    this.values = new Uint32Array(size);
    if (from !== undefined) {
      this.partitions.set(from.partitions);
      this.offsets.set(from.offsets);
      this.values.set(from.values);
    }
  }

  get bytes(): number {
    return this.values.length * 10;
  }
}

export interface HistoryOptions {
  /**
   * Partitions from this one on are internal (the offsets partition): their hw-advances are not
   * kept, as they are data no checker judges.
   */
  readonly internalPartitionsFrom?: number;
}

export class History implements HistoryRecorder, Iterable<HistoryOp> {
  private rows = 0;
  private readonly chunks: RowChunk[] = [];
  /** The chunk rows are added to, and the index in it of the next row. */
  private chunk: RowChunk;
  private chunkRow = 0;
  private readonly objects: ObjectOp[] = [];
  private readonly processNames: NodeId[] = [];
  private readonly processIds = new Map<NodeId, number>();
  private lastProcess: NodeId | null = null;
  private lastProcessId = -1;
  private readonly errors: string[] = [];
  private readonly errorIds = new Map<string, number>();
  private readonly internalFrom: number;
  /** The numbers that did not fit their columns (WIDE32, WIDE16), by row. */
  private readonly wideTimes = new Map<number, number>();
  private readonly wideValues = new Map<number, number>();
  private readonly widePartitions = new Map<number, number>();
  private readonly wideOffsets = new Map<number, number>();
  /**
   * The records of poll and hw-advance rows, one after another: a row's offset column holds the index
   * of its first record here, its value column its count (an hw-advance's records carry its row's
   * partition).
   */
  private rowRecords = 0;
  private readonly recordChunks: RecordChunk[] = [];
  private recordChunk: RecordChunk;
  private recordChunkIndex = 0;
  private readonly wideRecordPartitions = new Map<number, number>();
  private readonly wideRecordOffsets = new Map<number, number>();
  private readonly wideRecordValues = new Map<number, number>();
  /** objectRows() as last built, and the row count it was built at. */
  private objectRowsCache: Int32Array | null = null;
  private objectRowsAt = -1;

  constructor(options: HistoryOptions = {}) {
    this.internalFrom = options.internalPartitionsFrom ?? Infinity;
    this.chunk = new RowChunk(FIRST_CHUNK_SIZE, 0);
    this.chunks.push(this.chunk);
    this.recordChunk = new RecordChunk(FIRST_CHUNK_SIZE);
    this.recordChunks.push(this.recordChunk);
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
    return (this.chunks.length - 1) * ROW_CHUNK_ROWS + this.chunk.kinds.length;
  }

  /** Bytes of the row and record columns (for tests and diagnostics; the maps of wide numbers not counted). */
  get columnBytes(): number {
    let bytes = 0;
    for (const chunk of this.chunks) bytes += chunk.bytes;
    for (const chunk of this.recordChunks) bytes += chunk.bytes;
    return bytes;
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
        const j = this.row(code, op.t, op.process);
        this.chunk.aux[j] = this.objects.length;
        this.objects.push(op);
      }
    }
  }

  sendInvoke(t: Micros, process: NodeId, value: Value, partition: number): void {
    this.valueRow(K_SEND_INVOKE, t, process, value, partition);
  }

  sendOk(t: Micros, process: NodeId, value: Value, partition: number, offset: number): void {
    const j = this.valueRow(K_SEND_OK, t, process, value, partition);
    put32(this.chunk.offsets, j, offset, this.wideOffsets, this.rows - 1);
  }

  sendEnd(kind: 'send-fail' | 'send-info', t: Micros, process: NodeId, value: Value, partition: number, error: string): void {
    const j = this.valueRow(kind === 'send-fail' ? K_SEND_FAIL : K_SEND_INFO, t, process, value, partition);
    let id = this.errorIds.get(error);
    if (id === undefined) {
      id = this.errors.length;
      this.errors.push(error);
      this.errorIds.set(error, id);
    }
    this.chunk.aux[j] = id;
  }

  processed(t: Micros, process: NodeId, partition: number, offset: number, value: Value): void {
    const j = this.valueRow(K_PROCESS, t, process, value, partition);
    put32(this.chunk.offsets, j, offset, this.wideOffsets, this.rows - 1);
  }

  poll(t: Micros, process: NodeId, records: readonly PolledRecord[]): void {
    const j = this.row(K_POLL, t, process);
    const count = records.length;
    this.recordsOf(j, count);
    for (let i = 0; i < count; i++) {
      const record = records[i]!;
      this.pushRecord(record.partition, record.offset, record.value);
    }
  }

  /** = record({ kind: 'hw-advance', t, process, partition, leaderEpoch, records: records.slice(from, to) }) */
  hwAdvance(
    t: Micros, process: NodeId, partition: number, leaderEpoch: number,
    records: readonly { readonly offset: number; readonly value: Value }[], from: number, to: number,
  ): void {
    if (partition >= this.internalFrom) return;
    this.hwAdvanceRow(t, process, partition, leaderEpoch, to - from);
    for (let i = from; i < to; i++) {
      const record = records[i]!;
      this.pushRecord(partition, record.offset, record.value);
    }
  }

  hwAdvanceBatches(t: Micros, process: NodeId, partition: number, leaderEpoch: number, batches: readonly LogBatchValues[], first: number, from: number, to: number): void {
    if (partition >= this.internalFrom) return;
    this.hwAdvanceRow(t, process, partition, leaderEpoch, to - from);
    for (let b = first, offset = from; offset < to; b++) {
      const batch = batches[b]!;
      const batchValues = batch.values;
      const end = Math.min(to, batch.baseOffset + batchValues.length);
      for (; offset < end; offset++) this.pushRecord(partition, offset, batchValues[offset - batch.baseOffset]!);
    }
  }

  /** An hw-advance row of `count` records, which the caller pushes next. */
  private hwAdvanceRow(t: Micros, process: NodeId, partition: number, leaderEpoch: number, count: number): void {
    const j = this.row(K_HW_ADVANCE, t, process);
    put16(this.chunk.partitions, j, partition, this.widePartitions, this.rows - 1);
    this.chunk.aux[j] = leaderEpoch;
    this.recordsOf(j, count);
  }

  /** Notes in row j of the current chunk that its `count` records start at the next record. */
  private recordsOf(j: number, count: number): void {
    const row = this.rows - 1;
    put32(this.chunk.offsets, j, this.rowRecords, this.wideOffsets, row);
    put32(this.chunk.values, j, count, this.wideValues, row);
  }

  private pushRecord(partition: number, offset: number, value: Value): void {
    if (this.recordChunkIndex === this.recordChunk.values.length) this.nextRecordChunk();
    const chunk = this.recordChunk;
    const j = this.recordChunkIndex++;
    const k = this.rowRecords++;
    put16(chunk.partitions, j, partition, this.wideRecordPartitions, k);
    put32(chunk.offsets, j, offset, this.wideRecordOffsets, k);
    put32(chunk.values, j, value, this.wideRecordValues, k);
  }

  private nextRecordChunk(): void {
    const chunks = this.recordChunks;
    const size = this.recordChunk.values.length;
    if (chunks.length === 1 && size < RECORD_CHUNK_RECORDS) {
      this.recordChunk = new RecordChunk(Math.min(size * 4, RECORD_CHUNK_RECORDS), this.recordChunk);
      chunks[0] = this.recordChunk;
      return;
    }
    this.recordChunk = new RecordChunk(RECORD_CHUNK_RECORDS);
    chunks.push(this.recordChunk);
    this.recordChunkIndex = 0;
  }

  /** A new row of a column kind, with its value and partition; its index in the current chunk. */
  private valueRow(kind: number, t: Micros, process: NodeId, value: Value, partition: number): number {
    const j = this.row(kind, t, process);
    const row = this.rows - 1;
    put32(this.chunk.values, j, value, this.wideValues, row);
    put16(this.chunk.partitions, j, partition, this.widePartitions, row);
    return j;
  }

  /** A new row: its kind, time and process set; its index in the current chunk (this.chunk). */
  private row(kind: number, t: Micros, process: NodeId): number {
    if (this.chunkRow === this.chunk.kinds.length) this.nextChunk(t);
    const chunk = this.chunk;
    const j = this.chunkRow++;
    const row = this.rows++;
    chunk.kinds[j] = kind;
    const dt = t - chunk.baseTimeUs;
    if (dt >>> 0 === dt && dt !== WIDE32) {
      chunk.times[j] = dt;
    } else {
      chunk.times[j] = WIDE32;
      this.wideTimes.set(row, t); // the time itself: t - base + base need not give t back for a fraction
    }
    chunk.processes[j] = this.processId(process);
    return j;
  }

  /** The first chunk grows (by copying) to a full one; after it, each new chunk starts at the time of its first row. */
  private nextChunk(t: Micros): void {
    const chunks = this.chunks;
    const size = this.chunk.kinds.length;
    if (chunks.length === 1 && size < ROW_CHUNK_ROWS) {
      this.chunk = new RowChunk(Math.min(size * 4, ROW_CHUNK_ROWS), this.chunk.baseTimeUs, this.chunk);
      chunks[0] = this.chunk;
      return;
    }
    this.chunk = new RowChunk(ROW_CHUNK_ROWS, Number.isSafeInteger(t) && t >= 0 ? t : 0);
    chunks.push(this.chunk);
    this.chunkRow = 0;
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

  // ---------------------------------------------------------------- reading rows

  kind(i: number): HistoryKind {
    return KINDS[this.kindCode(i)] as HistoryKind;
  }

  private kindCode(i: number): number {
    return this.chunks[i >>> ROW_CHUNK_SHIFT]!.kinds[i & ROW_CHUNK_MASK] as number;
  }

  time(i: number): Micros {
    const chunk = this.chunks[i >>> ROW_CHUNK_SHIFT]!;
    const dt = chunk.times[i & ROW_CHUNK_MASK] as number;
    return dt !== WIDE32 ? chunk.baseTimeUs + dt : this.wideTimes.get(i)!;
  }

  process(i: number): NodeId {
    return this.processNames[this.chunks[i >>> ROW_CHUNK_SHIFT]!.processes[i & ROW_CHUNK_MASK] as number] as NodeId;
  }

  /** The value of a send-* or process row. */
  value(i: number): Value {
    const v = this.chunks[i >>> ROW_CHUNK_SHIFT]!.values[i & ROW_CHUNK_MASK] as number;
    return v !== WIDE32 ? v : this.wideValues.get(i)!;
  }

  /** The partition of a send-*, process or hw-advance row. */
  partition(i: number): number {
    const p = this.chunks[i >>> ROW_CHUNK_SHIFT]!.partitions[i & ROW_CHUNK_MASK] as number;
    return p !== WIDE16 ? p : this.widePartitions.get(i)!;
  }

  /** The offset of a send-ok or process row. */
  offset(i: number): number {
    const o = this.chunks[i >>> ROW_CHUNK_SHIFT]!.offsets[i & ROW_CHUNK_MASK] as number;
    return o !== WIDE32 ? o : this.wideOffsets.get(i)!;
  }

  private auxOf(i: number): number {
    return this.chunks[i >>> ROW_CHUNK_SHIFT]!.aux[i & ROW_CHUNK_MASK] as number;
  }

  /** The error of a send-fail or send-info row. */
  error(i: number): string {
    return this.errors[this.auxOf(i)] as string;
  }

  /** The leader epoch of an hw-advance row. */
  leaderEpoch(i: number): number {
    return this.auxOf(i);
  }

  /**
   * The records of a poll or hw-advance row are those from recordsStart(i) to recordsEnd(i)
   * (exclusive), read with recordPartition(k), recordOffset(k) and recordValue(k): no object each.
   */
  recordsStart(i: number): number {
    return this.offset(i);
  }

  recordsEnd(i: number): number {
    return this.offset(i) + this.value(i);
  }

  recordPartition(k: number): number {
    const p = this.recordChunks[k >>> RECORD_CHUNK_SHIFT]!.partitions[k & RECORD_CHUNK_MASK] as number;
    return p !== WIDE16 ? p : this.wideRecordPartitions.get(k)!;
  }

  recordOffset(k: number): number {
    const o = this.recordChunks[k >>> RECORD_CHUNK_SHIFT]!.offsets[k & RECORD_CHUNK_MASK] as number;
    return o !== WIDE32 ? o : this.wideRecordOffsets.get(k)!;
  }

  recordValue(k: number): Value {
    const v = this.recordChunks[k >>> RECORD_CHUNK_SHIFT]!.values[k & RECORD_CHUNK_MASK] as number;
    return v !== WIDE32 ? v : this.wideRecordValues.get(k)!;
  }

  /**
   * The rows of the kinds that are not per-value rows (poll, assign, commits, hw-advance, crash, reset), in
   * order: what checkers walk, reading polls and hw-advances through the accessors above and the
   * rest with at(i) (the objects recorded). Built on first use, and again after new rows.
   */
  objectRows(): Int32Array {
    if (this.objectRowsCache !== null && this.objectRowsAt === this.rows) return this.objectRowsCache;
    let n = 0;
    for (let i = 0; i < this.rows; i++) if (this.kindCode(i) >= FIRST_OBJECT_KIND) n++;
    const rows = new Int32Array(n);
    for (let i = 0, j = 0; i < this.rows; i++) if (this.kindCode(i) >= FIRST_OBJECT_KIND) rows[j++] = i;
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
    const code = this.kindCode(i);
    if (code === K_POLL) return this.pollAt(i);
    if (code === K_HW_ADVANCE) return this.hwAdvanceAt(i);
    if (code >= FIRST_OBJECT_KIND) return this.objects[this.auxOf(i)] as HistoryOp;
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

/** Stores `v` in col[j] when it fits 32 bits unsigned (and is not the marker), else the marker and `v` in `wide` at `key`. */
function put32(col: Uint32Array, j: number, v: number, wide: Map<number, number>, key: number): void {
  if (v >>> 0 === v && v !== WIDE32) {
    col[j] = v;
  } else {
    col[j] = WIDE32;
    wide.set(key, v);
  }
}

/** As put32 for a 16-bit column. */
function put16(col: Uint16Array, j: number, v: number, wide: Map<number, number>, key: number): void {
  if (v >>> 0 === v && v < WIDE16) {
    col[j] = v;
  } else {
    col[j] = WIDE16;
    wide.set(key, v);
  }
}
