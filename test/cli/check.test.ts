// `ksim check` and `ksim replay`: the search, its JSON, sharding, the failure file and its replay.
import { failureChecksum } from '../../properties/failure-file.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, ksim, oneLineError, SHORT_CALM, SHORT_LOSSY, tempDir, writeJson } from './helpers.js';

interface CheckJson {
  seeds: { from: number; count: number; shard: string };
  runs: number;
  failingSeeds: number[];
  anomalyCounts: Record<string, number>;
  firstFailure: { seed: number; anomaly: string; originalSteps: number; shrunkSteps: number; file: string; replay: string } | null;
}

let dir = '';
let tamperedFile = '';
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('check');
  writeJson(dir, 'lossy.json', SHORT_LOSSY);
  writeJson(dir, 'calm.json', SHORT_CALM);
});

function checkJson(args: readonly string[], cwd = dir): { code: number | null; report: CheckJson; stderr: string } {
  const result = ksim(['check', ...args, '--json'], cwd);
  return { code: result.code, report: JSON.parse(result.stdout) as CheckJson, stderr: result.stderr };
}

describe('ksim check', () => {
  test('a clean search exits 0 with no failure; progress goes to stderr, never into the JSON', () => {
    const { code, report, stderr } = checkJson(['calm.json', '--seeds', '6', '--workers', '2']);
    expect(code).toBe(0);
    expect(report).toEqual({
      seeds: { from: 1, count: 6, shard: '1/1' }, runs: 6, failingSeeds: [], anomalyCounts: {}, firstFailure: null,
      settle: { livenessRuns: {}, quiescentRuns: 6, meanSettleMs: expect.any(Number), maxSettleMs: expect.any(Number) },
    });
    expect(stderr).toMatch(/check: 6\/6 seeds \(100%\)/);
  });

  test('finds a failure, shrinks it, writes a failure file whose replay command reproduces the same run', () => {
    const cwd = tempDir('failure');
    writeJson(cwd, 'lossy.json', SHORT_LOSSY);
    const result = ksim(['check', 'lossy.json', '--seeds', '40', '--shrink-runs', '40'], cwd);
    expect(result.code, result.stderr).toBe(1);
    const replayLine = /^replay: (ksim replay \S+)$/m.exec(result.stdout)?.[1];
    expect(replayLine).toBeDefined();
    const file = JSON.parse(readFileSync(join(cwd, (replayLine ?? '').split(' ')[2] ?? ''), 'utf8')) as { traceHash: string; shrunkSteps: number; originalSteps: number; replay: string };
    expect(file.replay).toBe(replayLine);
    expect(file.shrunkSteps).toBeLessThanOrEqual(file.originalSteps);
    expect(result.stderr).toMatch(/shrinking seed \d+/);

    const [, ...args] = (replayLine ?? '').split(' ');
    const replay = ksim([...args, '--json'], cwd);
    expect(replay.code).toBe(1);
    expect((JSON.parse(replay.stdout) as { traceHash: string }).traceHash).toBe(file.traceHash);
    const readable = ksim(args, cwd);
    expect(readable.code).toBe(1);
    expect(readable.stdout).toMatch(/fault script \(\d+ steps?, shrunk from \d+\)/);
    expect(readable.stderr).toContain('trace hash matches the failure file');
  });

  test('--json has runs, failingSeeds, anomalyCounts and firstFailure {seed, shrunkSteps, replay}', () => {
    const cwd = tempDir('json');
    writeJson(cwd, 'lossy.json', SHORT_LOSSY);
    const { code, report } = checkJson(['lossy.json', '--seeds', '40', '--no-shrink'], cwd);
    expect(code).toBe(1);
    const seed = report.failingSeeds[0] ?? -1;
    expect(report.failingSeeds).toEqual([seed]);
    expect(report.runs).toBe(seed);
    expect(report.firstFailure).toMatchObject({ seed, shrunkSteps: expect.any(Number), replay: `ksim replay ksim-failure-short-lossy-${seed}.json` });
    expect(report.firstFailure?.shrunkSteps).toBe(report.firstFailure?.originalSteps);
    expect(existsSync(join(cwd, `ksim-failure-short-lossy-${seed}.json`))).toBe(true);
    expect(Object.values(report.anomalyCounts).every((n) => n >= 1 && n <= report.runs)).toBe(true);
    tamperedFile = join(cwd, report.firstFailure?.file ?? '');
  });

  test('the first failure does not depend on the number of workers', () => {
    // Start the search at a passing seed so the first failure is not simply the first seed run.
    const survey = checkJson(['lossy.json', '--seeds', '30', '--all', '--no-shrink']).report;
    const passing = Array.from({ length: 30 }, (_, i) => i + 1).find((seed) => !survey.failingSeeds.includes(seed));
    const from = passing ?? 1;
    const firstAfter = passing === undefined ? 1 : survey.failingSeeds.find((seed) => seed > passing);
    const args = ['lossy.json', '--seeds', String(31 - from), '--from', String(from), '--no-shrink'];
    const one = checkJson([...args, '--workers', '1']);
    const two = checkJson([...args, '--workers', '2']);
    expect(two.report).toEqual(one.report);
    expect(one.report.failingSeeds).toEqual(firstAfter === undefined ? [] : [firstAfter]);
    expect(one.report.runs).toBe(firstAfter === undefined ? 31 - from : firstAfter - from + 1);
  });

  test('--shard I/N splits the seeds; the shards merge into the whole search', () => {
    const whole = checkJson(['lossy.json', '--seeds', '10', '--all', '--no-shrink']).report;
    const shards = [1, 2, 3].map((i) => checkJson(['lossy.json', '--seeds', '10', '--all', '--no-shrink', '--shard', `${i}/3`]).report);
    expect(shards.map((s) => s.runs)).toEqual([4, 3, 3]);
    expect(shards.flatMap((s) => s.failingSeeds).sort((a, b) => a - b)).toEqual(whole.failingSeeds);
    const merged: Record<string, number> = {};
    for (const shard of shards) for (const [type, n] of Object.entries(shard.anomalyCounts)) merged[type] = (merged[type] ?? 0) + n;
    expect(merged).toEqual(whole.anomalyCounts);
    const firsts = shards.flatMap((s) => (s.firstFailure === null ? [] : [s.firstFailure.seed]));
    expect(Math.min(...firsts)).toBe(whole.firstFailure?.seed);
    // Shard 2/3 holds seeds 2, 5, 8, …: every failing seed it reports is one of them.
    expect(shards[1]?.failingSeeds.every((seed) => (seed - 1) % 3 === 1)).toBe(true);
  });

});

describe('ksim replay', () => {
  test('a replay whose trace hash differs is a ksim bug: exit code 3, one line with seed and scenario', () => {
    // The unshrunk failure file written by the --json test above.
    const path = tamperedFile;
    const cwd = dirname(path);
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    // As if ksim itself had written this hash (its checksum agrees): a replay that differs is ksim's fault.
    const forged = { ...file, traceHash: '0000000000000000' };
    writeFileSync(path, JSON.stringify({ ...forged, checksum: failureChecksum(forged) }));
    const replay = ksim(['replay', path, '--json'], cwd);
    expect(replay.code).toBe(3);
    expect(oneLineError(replay)).toMatch(/determinism broke.*scenario short-lossy, seed \d+/);
  });

  test('a failure file edited by hand is the user\'s doing: exit code 2, "this file was changed"', () => {
    const path = tamperedFile;
    const file = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...file, traceHash: '1111111111111111' }));
    const replay = ksim(['replay', path], dirname(path));
    expect(replay.code).toBe(2);
    expect(oneLineError(replay)).toMatch(/this file was changed after ksim wrote it/);
  });
});
