// `ksim run` and `ksim trace`: the readable summary, the JSON object, the seed rule, trace files.
import { readFileSync } from 'node:fs';
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
});
