// `ksim run` and `ksim trace`: the readable summary, the JSON object, the seed rule, trace files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, ksim, SHORT_CALM, SHORT_LOSSY, tempDir, writeJson } from './helpers.js';

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('run');
  writeJson(dir, 'calm.json', SHORT_CALM);
  writeJson(dir, 'lossy.json', SHORT_LOSSY);
});

function runJson(args: readonly string[]): { code: number | null; run: Record<string, unknown> } {
  const result = ksim(['run', ...args, '--json'], dir);
  return { code: result.code, run: JSON.parse(result.stdout) as Record<string, unknown> };
}

describe('ksim run', () => {
  test('--json prints the run object of DESIGN.md', () => {
    const { code, run } = runJson(['calm.json', '--seed', '7']);
    expect(code).toBe(0);
    expect(run).toMatchObject({ scenario: 'short-calm', seed: 7, ok: true, anomalies: [] });
    expect(run['traceHash']).toMatch(/^[0-9a-f]+$/);
    expect(run['events']).toBeGreaterThan(0);
    // SHORT_CALM's settleMs (3000) is the settle phase's cap: the run stops once quiescent and drained.
    expect(run['simulatedMs']).toBeGreaterThan(3000);
    expect(run['simulatedMs']).toBeLessThan(6000);
    expect(run['settle']).toMatchObject({ settled: true, problems: [], capMs: 3000, startedAtMs: 3000, drain: { records: expect.any(Number) } });
    expect(run['liveness']).toEqual([]);
    expect(run['stats']).toMatchObject({ sent: expect.any(Number), acked: expect.any(Number), failed: 0, ackLatencyMs: { p50: expect.any(Number), p99: expect.any(Number) } });
  });

  test('the same seed gives the same trace hash; another seed another', () => {
    const a = runJson(['lossy.json', '--seed', '3']).run;
    const b = runJson(['lossy.json', '--seed', '3']).run;
    const c = runJson(['lossy.json', '--seed', '4']).run;
    expect(a['traceHash']).toBe(b['traceHash']);
    expect(c['traceHash']).not.toBe(a['traceHash']);
  });

  test('exit code 1 when a run shows an unexpected anomaly, with the anomaly in the summary', () => {
    // Seeds of the lossy scenario: at least one of the first few loses acknowledged writes.
    let failing: ReturnType<typeof ksim> | undefined;
    for (let seed = 1; seed <= 8 && failing === undefined; seed++) {
      const result = ksim(['run', 'lossy.json', '--seed', String(seed)], dir);
      if (result.code === 1) failing = result;
    }
    expect(failing).toBeDefined();
    expect(failing?.stdout).toMatch(/FAILED: \d+ unexpected anomal/);
    expect(failing?.stdout).toMatch(/^ {4}- .+/m);
    expect(failing?.stdout).toMatch(/trace hash +[0-9a-f]+/);
  });

  test('the readable summary names the verdict, the stats, the hash and the reproduction', () => {
    const result = ksim(['run', 'calm.json', '--seed', '5'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('short-calm seed 5: ok: no anomaly');
    expect(result.stdout).toMatch(/sends +\d+ sent, \d+ acked/);
    expect(result.stdout).toMatch(/latency +ack p50 [\d.]+ ms, p99 [\d.]+ ms/);
    expect(result.stdout).toContain('ksim run calm.json --seed 5');
  });

  test('without --seed a seed is picked and always printed', () => {
    const result = ksim(['run', 'calm.json', '--json'], dir);
    const run = JSON.parse(result.stdout) as { seed: number; traceHash: string };
    expect(result.stderr).toContain(`picked seed ${run.seed}`);
    expect(result.stderr).toContain(`ksim run calm.json --seed ${run.seed}`);
    // The printed seed reproduces the run.
    expect(runJson(['calm.json', '--seed', String(run.seed)]).run['traceHash']).toBe(run.traceHash);
  });
});

describe('ksim run --trace and ksim trace', () => {
  test('writes a JSONL trace that renders as text, html and perfetto', () => {
    const trace = join(dir, 'calm.jsonl');
    const run = ksim(['run', 'calm.json', '--seed', '2', '--trace', trace], dir);
    expect(run.code).toBe(0);
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ t: expect.any(Number), kind: expect.any(String) });

    const text = ksim(['trace', trace, '--format', 'text'], dir);
    expect(text.code).toBe(0);
    expect(text.stdout.split('\n').length).toBeGreaterThan(3);

    const html = ksim(['trace', trace, '--format', 'html', '-o', join(dir, 'calm.html')], dir);
    expect(html.code).toBe(0);
    expect(html.stdout).toBe('');
    expect(readFileSync(join(dir, 'calm.html'), 'utf8')).toMatch(/^<!doctype html>/i);

    const perfetto = ksim(['trace', trace, '--format', 'perfetto'], dir);
    expect(perfetto.code).toBe(0);
    expect(() => JSON.parse(perfetto.stdout) as unknown).not.toThrow();
  });

  test('the trace ends with its end record; a cut file renders with a warning', () => {
    const trace = join(dir, 'ended.jsonl');
    const run = runJson(['calm.json', '--seed', '3', '--trace', trace]);
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    expect(JSON.parse(lines.at(-1) ?? '')).toMatchObject({ kind: 'trace-end', records: lines.length - 1, traceHash: run.run['traceHash'] });
    const whole = ksim(['trace', trace, '--format', 'text'], dir);
    expect(whole.stderr).not.toContain('warning');

    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, `${lines.slice(0, Math.floor(lines.length / 2)).join('\n')}\n`);
    const rendered = ksim(['trace', cut, '--format', 'text'], dir);
    expect(rendered.code).toBe(0);
    expect(rendered.stderr).toContain(`ksim: warning: ${cut}: incomplete trace, it ends without its trace-end record (the file was cut short)`);
    expect(rendered.stdout.length).toBeGreaterThan(0);
  });

  test('--from-ms and --to-ms keep one window of simulated time, in every format', () => {
    const trace = join(dir, 'window.jsonl');
    expect(ksim(['run', 'calm.json', '--seed', '4', '--trace', trace], dir).code).toBe(0);
    const text = ksim(['trace', trace, '--format', 'text', '--from-ms', '1000', '--to-ms', '1500'], dir);
    expect(text.code).toBe(0);
    const times = text.stdout.trim().split('\n').map((line) => Number.parseFloat(line.trim().split(/\s+/)[0] ?? ''));
    expect(times.length).toBeGreaterThan(3);
    for (const ms of times) {
      expect(ms).toBeGreaterThanOrEqual(1000);
      expect(ms).toBeLessThanOrEqual(1500);
    }
    const perfetto = ksim(['trace', trace, '--format', 'perfetto', '--from-ms', '1000', '--to-ms', '1500'], dir);
    const events = (JSON.parse(perfetto.stdout) as { traceEvents: { ts?: number; ph: string }[] }).traceEvents;
    for (const event of events.filter((e) => e.ph !== 'M')) expect(event.ts ?? 1000 * 1000).toBeGreaterThanOrEqual(1000 * 1000);
    const html = ksim(['trace', trace, '--format', 'html', '--from-ms', '1000', '--to-ms', '1500', '-o', join(dir, 'window.html')], dir);
    expect(html.code).toBe(0);
    expect(readFileSync(join(dir, 'window.html'), 'utf8')).toContain('window.jsonl (1000 ms to 1500 ms)');
  });

  test.each([
    [['--from-ms', 'soon'], '--from-ms soon: expected a non-negative number of milliseconds'],
    [['--to-ms', '-1'], '--to-ms -1: expected a non-negative number of milliseconds'],
    [['--from-ms', '20', '--to-ms', '10'], '--from-ms 20 is after --to-ms 10: the window is empty'],
  ])('a bad window %j is exit code 2 with one line', (flags, message) => {
    const trace = join(dir, 'calm.jsonl');
    const result = ksim(['trace', trace, '--format', 'text', ...flags], dir);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(`ksim: ${message}`);
  });

  test('--node and --kind keep the records of some nodes and kinds; a name the trace lacks is a warning', () => {
    const trace = join(dir, 'calm.jsonl');
    const records = readFileSync(trace, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { kind: string; node?: string });
    const kind = records.find((r) => r.node === 'b2' && r.kind !== 'send')?.kind ?? '';
    const text = ksim(['trace', trace, '--format', 'text', '--verbose', '--node', 'b2', '--kind', `${kind},send`], dir);
    expect(text.code).toBe(0);
    const rows = text.stdout.trim().split('\n').map((line) => line.trim().split(/\s+/));
    expect(rows.length).toBeGreaterThan(1);
    for (const row of rows) {
      expect(row[1]).toBe('b2');
      expect([kind, 'send']).toContain(row[2]);
    }
    const missing = ksim(['trace', trace, '--format', 'text', '--node', 'b9'], dir);
    expect(missing.code).toBe(0);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/^ksim: warning: no records of node b9; the trace has .*b1, b2/m);
  });
});
