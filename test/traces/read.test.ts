import { mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../sim/errors.js';
import { parseTrace, parseTraceText, readTrace, readTraceFile, TRACE_END, writeTrace } from '../../traces/index.js';
import { FIXTURE } from './fixture.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-read-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('expected a UserError');
}

describe('readTrace / writeTrace', () => {
  it('round-trips records through a JSONL file', () => {
    const path = join(dir, 'round.jsonl');
    writeTrace(path, FIXTURE, { traceHash: 'abc' });
    expect(readTrace(path)).toEqual(FIXTURE);
    const file = readTraceFile(path);
    expect(file.total).toBe(FIXTURE.length);
    expect(file.incomplete).toBeNull();
  });

  it('skips blank lines, including the final newline', () => {
    const path = file('blank.jsonl', '{"t":1,"kind":"a"}\n\n  \n{"t":2,"kind":"b","node":"b1"}\n');
    expect(readTrace(path)).toEqual([{ t: 1, kind: 'a' }, { t: 2, kind: 'b', node: 'b1' }]);
  });

  it('names a missing file', () => {
    const path = join(dir, 'nope.jsonl');
    const error = errorOf(() => readTrace(path));
    expect(error.message).toBe(`${path}: no such trace file`);
  });

  it('names a directory given as a file', () => {
    const path = join(dir, 'adir');
    mkdirSync(path);
    expect(errorOf(() => readTrace(path)).message).toContain(path);
  });

  it('refuses an empty file', () => {
    const path = file('empty.jsonl', '\n  \n');
    expect(errorOf(() => readTrace(path)).message).toBe(`${path}: empty trace file (no records)`);
  });

  it.each([
    ['bad JSON', '{"t":1,"kind":"a"}\n{"t":2,"kind":"b"}\n{"t":3,"kind":\n', 3, 'not valid JSON'],
    ['not an object', '{"t":1,"kind":"a"}\n[1,2]\n', 2, 'must be a JSON object'],
    ['no t', '{"kind":"a"}\n', 1, '"t"'],
    ['a string t', '{"t":"5","kind":"a"}\n', 1, '"t"'],
    ['a fractional t', '{"t":1.5,"kind":"a"}\n', 1, '"t"'],
    ['a negative t', '{"t":-1,"kind":"a"}\n', 1, '"t"'],
    ['no kind', '{"t":1,"kind":"a"}\n{"t":1}\n', 2, '"kind"'],
    ['a numeric kind', '{"t":1,"kind":7}\n', 1, '"kind"'],
    ['a numeric node', '{"t":1,"kind":"a","node":3}\n', 1, '"node"'],
  ])('refuses a corrupt line (%s) in one line naming the file and line', (name, text, line, words) => {
    const path = file(`${name.replace(/ /g, '-')}.jsonl`, text);
    const error = errorOf(() => readTrace(path));
    expect(error.message.startsWith(`${path}:${line}: `)).toBe(true);
    expect(error.message).toContain(words);
    expect(error.message).not.toContain('\n');
  });

  it('parses text with a source name for errors', () => {
    expect(parseTrace('{"t":0,"kind":"settle"}', 'stdin')).toEqual([{ t: 0, kind: 'settle' }]);
    expect(errorOf(() => parseTrace('oops', 'stdin')).message).toMatch(/^stdin:1: not valid JSON/);
  });

  it('refuses to write into a missing folder with a UserError', () => {
    const path = join(dir, 'missing', 'out.jsonl');
    expect(errorOf(() => writeTrace(path, FIXTURE, { traceHash: 'abc' })).message).toContain(path);
  });
});

describe('trace end records, incomplete files and windows', () => {
  it('ends a written file with a trace-end record carrying the count and the hash', () => {
    const path = join(dir, 'ended.jsonl');
    writeTrace(path, FIXTURE, { traceHash: 'feed' });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(FIXTURE.length + 1);
    expect(JSON.parse(lines.at(-1)!)).toEqual({ t: FIXTURE.at(-1)!.t, kind: TRACE_END, records: FIXTURE.length, traceHash: 'feed' });
  });

  it('says a file without its end record was cut short, and keeps every record it has', () => {
    const path = join(dir, 'cut.jsonl');
    writeTrace(path, FIXTURE, { traceHash: 'feed' });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    writeFileSync(path, `${lines.slice(0, 3).join('\n')}\n`);
    const file = readTraceFile(path);
    expect(file.records).toEqual(FIXTURE.slice(0, 3));
    expect(file.incomplete).toBe(`${path}: incomplete trace, it ends without its trace-end record (the file was cut short)`);
  });

  it('drops a last line cut inside its record (no newline after it) and says so; a bad line with its newline stays an error', () => {
    const path = join(dir, 'cut-inside.jsonl');
    writeTrace(path, FIXTURE, { traceHash: 'feed' });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    // A disk that ran out in the middle of the fourth record.
    writeFileSync(path, `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 9)}`);
    const file = readTraceFile(path);
    expect(file.records).toEqual(FIXTURE.slice(0, 3));
    expect(file.incomplete).toBe(`${path}: incomplete trace, cut short inside its last record (${path}:4, dropped)`);
    expect(parseTraceText(`${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 9)}`, 'text').records).toEqual(FIXTURE.slice(0, 3));
    writeFileSync(path, `${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 9)}\n`);
    expect(errorOf(() => readTraceFile(path)).message).toMatch(/cut-inside\.jsonl:4: not valid JSON/);
  });

  it('names the ksim bug that stopped a run whose trace is marked incomplete', () => {
    const path = join(dir, 'bug.jsonl');
    writeTrace(path, FIXTURE.slice(0, 2), { incomplete: 'leader epoch went backwards on b1 at 12.000 ms' });
    const file = readTraceFile(path);
    expect(file.records).toEqual(FIXTURE.slice(0, 2));
    expect(file.incomplete).toBe(`${path}: incomplete trace, the run stopped early: leader epoch went backwards on b1 at 12.000 ms`);
  });

  it('says a file whose end record counts other records was changed', () => {
    const path = join(dir, 'edited.jsonl');
    writeTrace(path, FIXTURE, { traceHash: 'feed' });
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    writeFileSync(path, `${[...lines.slice(0, 2), ...lines.slice(3)].join('\n')}\n`);
    expect(readTraceFile(path).incomplete).toContain(`has ${FIXTURE.length - 1} records where its end record counts ${FIXTURE.length}`);
  });

  it('keeps only the records in a time window, both ends included, and counts them all', () => {
    const records = Array.from({ length: 10 }, (_, i) => ({ t: i * 1000, kind: 'tick', node: 'b1' }));
    const path = join(dir, 'window.jsonl');
    writeTrace(path, records, { traceHash: 'feed' });
    const file = readTraceFile(path, { fromUs: 3000, toUs: 6000 });
    expect(file.records.map((r) => r.t)).toEqual([3000, 4000, 5000, 6000]);
    expect(file.total).toBe(10);
    expect(readTraceFile(path, { fromUs: 8000 }).records.map((r) => r.t)).toEqual([8000, 9000]);
    expect(readTraceFile(path, { toUs: 500 }).records.map((r) => r.t)).toEqual([0]);
  });

  it('reads lines that cross the reader\'s chunks, multi-byte characters included', () => {
    // Larger than one 4 MiB chunk, with a non-ASCII detail in every record, so lines and characters
    // are cut by chunk boundaries.
    const records = Array.from({ length: 60_000 }, (_, i) => ({ t: i, kind: 'note', node: 'b1', detail: `é→${'x'.repeat(i % 97)}` }));
    const path = join(dir, 'big.jsonl');
    writeTrace(path, records, { traceHash: 'feed' });
    expect(statSync(path).size).toBeGreaterThan(4 * 1024 * 1024);
    const file = readTraceFile(path);
    expect(file.incomplete).toBeNull();
    expect(file.records).toEqual(records);
  });
});
