// Trace files: JSONL, one TraceRecord per line, ending with a `trace-end` record (how many records
// came before it, and the run's trace hash) or, when the run stopped on a ksim bug, a
// `trace-incomplete` record naming it. A file with neither was cut short (a copy or a disk that
// ran out), and a reader says so; a last line cut inside its record is dropped with that warning. A file a user hands us may be missing, empty or damaged; each case
// is a UserError with one line naming the file (and the line).
//
// Files are read in chunks of bytes and split into lines as they come, never into one string: a
// long run's trace is larger than the biggest string V8 can make (512 MiB).
import { closeSync, openSync, readSync } from 'node:fs';
import { oneLine, writeFileSafely, type WriteOptions } from './files.js';
import { UserError } from '../sim/errors.js';
import type { TraceRecord } from '../sim/trace-record.js';

/** The last record of a complete trace file. */
export const TRACE_END = 'trace-end';
/** The last record of a trace whose run stopped on a ksim bug. */
export const TRACE_INCOMPLETE = 'trace-incomplete';

/** A time window, in simulated microseconds, both ends included; absent ends are open. */
export interface TraceWindow {
  readonly fromUs?: number;
  readonly toUs?: number;
}

export interface TraceFile {
  /** The records in the window, without the end record. */
  readonly records: TraceRecord[];
  /** Records in the whole file, without the end record. */
  readonly total: number;
  /** Null for a complete file; else one line saying what is missing. */
  readonly incomplete: string | null;
}

function parseLine(line: string, where: string): TraceRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (error) {
    throw new UserError(`${where}: not valid JSON (${oneLine(error instanceof Error ? error.message : String(error))})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new UserError(`${where}: a trace record must be a JSON object`);
  }
  const record = parsed as { t?: unknown; kind?: unknown; node?: unknown };
  if (typeof record.t !== 'number' || !Number.isInteger(record.t) || record.t < 0) {
    throw new UserError(`${where}: a trace record needs "t", a non-negative integer (microseconds)`);
  }
  if (typeof record.kind !== 'string' || record.kind === '') {
    throw new UserError(`${where}: a trace record needs "kind", a non-empty string`);
  }
  if (record.node !== undefined && typeof record.node !== 'string') {
    throw new UserError(`${where}: "node" must be a string`);
  }
  return parsed as TraceRecord;
}

/** Gathers parsed lines: the window's records, the count, and the end record if it is last. */
class Collector {
  readonly records: TraceRecord[] = [];
  total = 0;
  private last: TraceRecord | null = null;

  constructor(private readonly window: TraceWindow) {}

  /** Where a last line without its newline was cut inside its record (a disk or a copy that ran out). */
  private cutAt: string | null = null;

  add(line: string, where: string): void {
    const trimmed = line.trim();
    if (trimmed === '') return;
    const record = parseLine(trimmed, where);
    if (this.last !== null) this.keep(this.last);
    this.last = record;
  }

  /**
   * The file's last line when it has no newline after it: ksim ends every line it writes, so a
   * last line that is not JSON was cut inside its record. It is dropped, and the file called cut.
   */
  addUnterminated(line: string, where: string): void {
    try {
      this.add(line, where);
    } catch (error) {
      if (!(error instanceof UserError) || !error.message.startsWith(`${where}: not valid JSON`)) throw error;
      this.cutAt = where;
    }
  }

  private keep(record: TraceRecord): void {
    this.total++;
    const { fromUs, toUs } = this.window;
    if ((fromUs === undefined || record.t >= fromUs) && (toUs === undefined || record.t <= toUs)) this.records.push(record);
  }

  finish(source: string): TraceFile {
    const last = this.last;
    if (last === null) {
      if (this.cutAt !== null) throw new UserError(`${this.cutAt}: not valid JSON (the file holds one record, cut short)`);
      throw new UserError(`${source}: empty trace file (no records)`);
    }
    if (this.cutAt !== null) {
      this.keep(last);
      return { records: this.records, total: this.total, incomplete: `${source}: incomplete trace, cut short inside its last record (${this.cutAt}, dropped)` };
    }
    if (last.kind === TRACE_END) {
      const expected = last['records'];
      const incomplete = typeof expected === 'number' && expected !== this.total
        ? `${source}: has ${this.total} records where its end record counts ${expected}; the file was changed or damaged`
        : null;
      return { records: this.records, total: this.total, incomplete };
    }
    if (last.kind === TRACE_INCOMPLETE) {
      const reason = typeof last['reason'] === 'string' ? `: ${last['reason']}` : '';
      return { records: this.records, total: this.total, incomplete: `${source}: incomplete trace, the run stopped early${reason}` };
    }
    this.keep(last);
    return { records: this.records, total: this.total, incomplete: `${source}: incomplete trace, it ends without its ${TRACE_END} record (the file was cut short)` };
  }
}

/** Parses JSONL text; `source` names it in errors. Blank lines are skipped. */
export function parseTraceText(text: string, source: string, window: TraceWindow = {}): TraceFile {
  const collector = new Collector(window);
  const lines = text.split('\n');
  // The piece after the last newline (empty for a file that ends with one) may be a cut record.
  for (let i = 0; i < lines.length - 1; i++) collector.add(lines[i]!, `${source}:${i + 1}`);
  collector.addUnterminated(lines[lines.length - 1]!, `${source}:${lines.length}`);
  return collector.finish(source);
}

/** The records of JSONL text (the end record left out). */
export function parseTrace(text: string, source: string): TraceRecord[] {
  return parseTraceText(text, source).records;
}

const CHUNK_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

function openTrace(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new UserError(`${path}: no such trace file`);
    throw new UserError(`${path}: cannot read trace file (${oneLine(error instanceof Error ? error.message : String(error))})`);
  }
}

function readChunk(fd: number, buffer: Buffer, path: string): number {
  try {
    return readSync(fd, buffer, 0, buffer.length, null);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EISDIR') throw new UserError(`${path}: is a directory, not a trace file`);
    throw new UserError(`${path}: cannot read trace file (${oneLine(error instanceof Error ? error.message : String(error))})`);
  }
}

/** Reads a trace file line by line, keeping the records in `window`. */
export function readTraceFile(path: string, window: TraceWindow = {}): TraceFile {
  const collector = new Collector(window);
  const fd = openTrace(path);
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let carry: Buffer | null = null;
    let lineNumber = 0;
    for (;;) {
      const n = readChunk(fd, buffer, path);
      if (n === 0) break;
      // Bytes, not characters, are split: a newline byte never sits inside a multi-byte character.
      const data: Buffer = carry === null ? buffer.subarray(0, n) : Buffer.concat([carry, buffer.subarray(0, n)]);
      let start = 0;
      for (let nl = data.indexOf(NEWLINE, start); nl >= 0; nl = data.indexOf(NEWLINE, start)) {
        collector.add(data.toString('utf8', start, nl), `${path}:${++lineNumber}`);
        start = nl + 1;
      }
      carry = start < data.length ? Buffer.from(data.subarray(start)) : null;
    }
    if (carry !== null) collector.addUnterminated(carry.toString('utf8'), `${path}:${++lineNumber}`);
  } finally {
    closeSync(fd);
  }
  return collector.finish(path);
}

/** The records of a trace file (the end record left out). */
export function readTrace(path: string): TraceRecord[] {
  return readTraceFile(path).records;
}

/** How a trace file ends: complete with the run's hash, or cut by a ksim bug. */
export type TraceEnding = { readonly traceHash: string } | { readonly incomplete: string };

function endRecord(records: readonly TraceRecord[], ending: TraceEnding): TraceRecord {
  const t = records.length === 0 ? 0 : records[records.length - 1]!.t;
  return 'traceHash' in ending
    ? { t, kind: TRACE_END, records: records.length, traceHash: ending.traceHash }
    : { t, kind: TRACE_INCOMPLETE, records: records.length, reason: ending.incomplete };
}

function* jsonlChunks(records: readonly TraceRecord[], end: TraceRecord): Generator<string> {
  const CHUNK_RECORDS = 10_000;
  for (let start = 0; start < records.length; start += CHUNK_RECORDS) {
    yield `${records.slice(start, start + CHUNK_RECORDS).map((record) => JSON.stringify(record)).join('\n')}\n`;
  }
  yield `${JSON.stringify(end)}\n`;
}

/**
 * Writes records as JSONL with the end record, in chunks so a long trace never becomes one giant
 * string, through a temporary file renamed into place (see files.ts): never over an input, and over
 * an existing file only with `replace`.
 */
export function writeTrace(
  path: string, records: readonly TraceRecord[], ending: TraceEnding, options: Omit<WriteOptions, 'what'> = { replace: true },
): void {
  writeFileSafely(path, jsonlChunks(records, endRecord(records, ending)), { what: 'trace file', ...options });
}
