// A run that stops on a ksim bug still leaves its trace up to the bug, marked incomplete.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunBugError } from '../../cli/run-error.js';
import { tracedRun } from '../../cli/trace-output.js';
import { SimAssertionError } from '../../sim/errors.js';
import { readTraceFile } from '../../traces/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ksim-traced-'));
const context = { scenario: 'planted', seed: 7 };

describe('tracedRun', () => {
  it('writes the records of a run cut by a ksim bug, marked incomplete with the bug, and rethrows it', () => {
    const path = join(dir, 'bug.jsonl');
    const run = (): never => tracedRun({ path, inputs: [], replace: false }, context, (into) => {
      into?.push({ t: 10, kind: 'start', node: 'b1' }, { t: 20, kind: 'append', node: 'b1' });
      throw new SimAssertionError('high watermark went backwards', 'b1', 20);
    }, () => 'never');
    expect(run).toThrow(RunBugError);
    const file = readTraceFile(path);
    expect(file.records).toEqual([{ t: 10, kind: 'start', node: 'b1' }, { t: 20, kind: 'append', node: 'b1' }]);
    expect(file.incomplete).toBe(`${path}: incomplete trace, the run stopped early: high watermark went backwards on b1 at 0.020 ms`);
  });

  it('writes a finished run with its end record and the hash it returns', () => {
    const path = join(dir, 'done.jsonl');
    const value = tracedRun({ path, inputs: [], replace: false }, context, (into) => {
      into?.push({ t: 5, kind: 'start' });
      return 42;
    }, () => 'cafe');
    expect(value).toBe(42);
    const last = JSON.parse(readFileSync(path, 'utf8').trim().split('\n').at(-1) ?? '') as Record<string, unknown>;
    expect(last).toEqual({ t: 5, kind: 'trace-end', records: 1, traceHash: 'cafe' });
    expect(readTraceFile(path).incomplete).toBeNull();
  });

  it('writes nothing and hands no array when no trace is asked for', () => {
    expect(tracedRun(undefined, context, (into) => into === undefined, () => '')).toBe(true);
  });
});
