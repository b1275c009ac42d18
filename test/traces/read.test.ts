import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../sim/errors.js';
import { parseTrace, readTrace, writeTrace } from '../../traces/index.js';
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
    writeTrace(path, FIXTURE);
    expect(readTrace(path)).toEqual(FIXTURE);
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
    expect(errorOf(() => writeTrace(path, FIXTURE)).message).toContain(path);
  });
});
