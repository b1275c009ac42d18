// Trace files: JSONL, one TraceRecord per line. A file a user hands us may be missing, empty or
// damaged; each case is a UserError with one line naming the file (and the line).
import { readFileSync } from 'node:fs';
import { oneLine, writeFileSafely, type WriteOptions } from './files.js';
import { UserError } from '../sim/errors.js';
import type { TraceRecord } from '../sim/trace-record.js';

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

/** Parses JSONL text; `source` names it in errors. Blank lines are skipped. */
export function parseTrace(text: string, source: string): TraceRecord[] {
  const records: TraceRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line !== '') records.push(parseLine(line, `${source}:${i + 1}`));
  }
  if (records.length === 0) throw new UserError(`${source}: empty trace file (no records)`);
  return records;
}

export function readTrace(path: string): TraceRecord[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT') throw new UserError(`${path}: no such trace file`);
    if (code === 'EISDIR') throw new UserError(`${path}: is a directory, not a trace file`);
    throw new UserError(`${path}: cannot read trace file (${oneLine(error instanceof Error ? error.message : String(error))})`);
  }
  return parseTrace(text, path);
}

function* jsonlChunks(records: readonly TraceRecord[]): Generator<string> {
  const CHUNK_RECORDS = 10_000;
  for (let start = 0; start < records.length; start += CHUNK_RECORDS) {
    yield `${records.slice(start, start + CHUNK_RECORDS).map((record) => JSON.stringify(record)).join('\n')}\n`;
  }
}

/**
 * Writes records as JSONL, in chunks so a long trace never becomes one giant string, through a
 * temporary file renamed into place (see files.ts): never over an input, and over an existing
 * file only with `replace`.
 */
export function writeTrace(path: string, records: readonly TraceRecord[], options: Omit<WriteOptions, 'what'> = { replace: true }): void {
  writeFileSafely(path, jsonlChunks(records), { what: 'trace file', ...options });
}
