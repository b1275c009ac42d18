// The CLI never loses what a user had and never starts work it cannot finish: oversized inputs are
// refused in well under a second; outputs go through a temporary file; an output is never one of
// the command's inputs; an existing file is replaced only with --force; a failure file never
// replaces another failure; a failure found in a folder ksim cannot write is still reported.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BIN, ensureBuilt, ksim, oneLineError, SHORT_CALM, SHORT_LOSSY, tempDir, writeJson } from './helpers.js';

beforeAll(() => ensureBuilt());

/** Runs ksim and checks it refused with one line and exit code 2, quickly. */
function refused(args: readonly string[], cwd?: string): string {
  const started = process.hrtime.bigint();
  const result = ksim(args, cwd);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  expect(result.code).toBe(2);
  // Node's own start-up is most of this; a refusal after work would take seconds.
  expect(ms).toBeLessThan(3000);
  return oneLineError(result);
}

describe('oversized inputs are refused before any work', () => {
  const dir = tempDir('limits');
  test.each([
    ['a run of 30 years', { durationMs: 1e12, producers: [{ messagesPerSec: 0 }] }, /durationMs: durationMs \+ settleMs = .* limits\.maxSimulatedMs/],
    ['10^9 values a second', { producers: [{ messagesPerSec: 1e9 }] }, /messagesPerSec: at most 1000000/],
    ['60 billion values', { producers: [{ messagesPerSec: 1e6, count: 1000 }] }, /limits\.maxRecords/],
    ['100,000 consumers', { consumers: [{ count: 100000 }] }, /limits\.maxNodes/],
    ['a number JSON cannot hold', { durationMs: 'BIG' }, /durationMs: expected a number, got "BIG"/],
  ])('%s', (_label, scenario, message) => {
    expect(refused(['run', writeJson(dir, 'big.json', scenario), '--seed', '1'])).toMatch(message);
  });

  test('1e400 is named as too large, not as null', () => {
    const path = join(dir, 'inf.json');
    writeFileSync(path, '{"durationMs": 1e400}');
    expect(refused(['run', path, '--seed', '1'])).toMatch(/durationMs: expected a number, got a number too large to represent/);
  });

  test('the limit is the scenario\'s own: lowered, a small run is refused; at its default the same run goes', () => {
    const load = { ...SHORT_CALM, producers: [{ messagesPerSec: 100 }] };
    expect(refused(['run', writeJson(dir, 'low.json', { ...load, limits: { maxRecords: 100 } }), '--seed', '1'])).toMatch(/about 300 values .* limits\.maxRecords \(100,/);
    expect(ksim(['run', writeJson(dir, 'default.json', load), '--seed', '1']).code).toBe(0);
  });

  test('an explore of 10^10 combinations', () => {
    const varies = Array.from({ length: 10 }, (_, i) => ['--vary', `durationMs=${Array.from({ length: 10 }, (_v, j) => 1000 + 10 * i + j).join(',')}`]).flat();
    expect(refused(['explore', 'safe', ...varies])).toMatch(/10,000,000,000 combinations; at most 1000/);
  });

  test('--workers 1000', () => {
    expect(refused(['check', 'safe', '--workers', '1000', '--seeds', '2'])).toMatch(/--workers 1000: at most 64/);
  });

  test('seeds past 2^53 − 1', () => {
    expect(refused(['check', 'safe', '--from', '9007199254740990', '--seeds', '5'])).toMatch(/largest seed/);
    // One past the largest, where from + count − 1 rounds back to 2^53 − 1 in floating point.
    expect(refused(['check', 'safe', '--from', '9007199254740991', '--seeds', '2'])).toMatch(/largest seed/);
    expect(refused(['explore', 'safe', '--vary', 'acks=1,all', '--from', '9007199254740991', '--seeds', '2'])).toMatch(/largest seed/);
    expect(refused(['run', 'safe', '--seed', '9007199254740993'])).toMatch(/--seed 9007199254740993: expected a whole number/);
  });

  test('an empty shard', () => {
    expect(refused(['check', 'safe', '--seeds', '3', '--shard', '5/10'])).toMatch(/--shard 5\/10: this shard has no seeds/);
  });

  test('terminal escapes in a name', () => {
    expect(refused(['run', writeJson(dir, 'ansi.json', { name: 'a\u001b[31mred' }), '--seed', '1'])).toMatch(/name: control characters/);
  });
});

describe('writes that lose nothing', () => {
  test('--trace onto the scenario it reads is refused, and the scenario is intact', () => {
    const dir = tempDir('victim');
    const path = writeJson(dir, 'victim.json', SHORT_CALM);
    const before = readFileSync(path, 'utf8');
    expect(refused(['run', path, '--seed', '1', '--trace', path])).toMatch(/is an input of this command/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });

  test('-o over an existing file needs --force; -o onto its own input never works', () => {
    const dir = tempDir('overwrite');
    const scenario = writeJson(dir, 'calm.json', SHORT_CALM);
    const trace = join(dir, 'run.jsonl');
    expect(ksim(['run', scenario, '--seed', '1', '--trace', trace]).code).toBe(0);
    const precious = join(dir, 'notes.txt');
    writeFileSync(precious, 'my notes\n');
    expect(refused(['trace', trace, '--format', 'text', '-o', precious])).toMatch(/notes\.txt: exists; choose another path or pass --force/);
    expect(readFileSync(precious, 'utf8')).toBe('my notes\n');
    expect(ksim(['trace', trace, '--format', 'text', '-o', precious, '--force']).code).toBe(0);
    expect(readFileSync(precious, 'utf8')).not.toBe('my notes\n');
    const traceText = readFileSync(trace, 'utf8');
    expect(refused(['trace', trace, '--format', 'html', '-o', trace, '--force'])).toMatch(/is an input of this command/);
    expect(readFileSync(trace, 'utf8')).toBe(traceText);
    // A second --trace to the same file is a replacement too.
    expect(refused(['run', scenario, '--seed', '2', '--trace', trace])).toMatch(/run\.jsonl: exists/);
    expect(ksim(['run', scenario, '--seed', '2', '--trace', trace, '--force']).code).toBe(0);
    // No temporary file is left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  test('a re-run never replaces an earlier, different failure file of the same seed; --out-dir is created', () => {
    const dir = tempDir('suffix');
    const lossy = writeJson(dir, 'lossy.json', SHORT_LOSSY);
    const first = JSON.parse(ksim(['check', lossy, '--seeds', '30', '--workers', '1', '--no-shrink', '--json', '--out-dir', 'out'], dir).stdout) as { firstFailure: { file: string; seed: number } };
    const name = join(dir, first.firstFailure.file);
    expect(name).toContain(join(dir, 'out'));
    // The same search again finds the same failure: the very same file, not a copy.
    const again = JSON.parse(ksim(['check', lossy, '--seeds', '30', '--workers', '1', '--no-shrink', '--json', '--out-dir', 'out'], dir).stdout) as { firstFailure: { file: string } };
    expect(again.firstFailure.file).toBe(first.firstFailure.file);
    // A different failure for the same name (shrunk this time) gets a suffix; the first stays.
    const before = readFileSync(name, 'utf8');
    const shrunk = JSON.parse(ksim(['check', lossy, '--seeds', '30', '--workers', '1', '--json', '--out-dir', 'out'], dir).stdout) as { firstFailure: { file: string } };
    expect(shrunk.firstFailure.file).toMatch(/-2\.json$/);
    expect(readFileSync(name, 'utf8')).toBe(before);
  });

  test('in a folder ksim cannot write, a found failure is still reported (text and --json), exit code 1', () => {
    const dir = tempDir('readonly');
    chmodSync(dir, 0o755);
    const lossy = writeJson(dir, 'lossy.json', SHORT_LOSSY);
    chmodSync(lossy, 0o644);
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    // Root writes anywhere: run the command as nobody there, so the folder really refuses.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const run = (extra: readonly string[]) => {
      const r = spawnSync(process.execPath, [BIN, 'check', lossy, '--seeds', '30', '--workers', '1', '--no-shrink', ...extra],
        { cwd: locked, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, ...asUser });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const json = run(['--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { failingSeeds: number[]; firstFailure: { file: string | null; writeError: string; replay: string; steps: unknown[] } };
    expect(report.failingSeeds.length).toBeGreaterThan(0);
    expect(report.firstFailure.file).toBeNull();
    expect(report.firstFailure.writeError).toMatch(/cannot write \(EACCES\)/);
    expect(report.firstFailure.replay).toMatch(/^ksim run .*lossy\.json --seed \d+$/);
    expect(Array.isArray(report.firstFailure.steps)).toBe(true);
    const text = run([]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/FAILED: short-lossy: seed \d+ fails/);
    expect(text.stdout).toMatch(/failure file not written: .*EACCES/);
    expect(text.stdout).toMatch(/reproduce \(unshrunk\): ksim run/);
    expect(readdirSync(locked)).toEqual([]);
  });
});
