// Bad input of every class gives one line on stderr naming the problem, exit code 2, no stack.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_SEEDS } from '../../cli/check/seeds.js';
import { DEFAULT_EXPLORE_SEEDS } from '../../cli/explore/default-vary.js';
import { DEFAULT_SHRINK_MAX_RUNS } from '../../properties/shrink.js';
import { ensureBuilt, ksim, oneLineError, SHORT_CALM, tempDir, writeJson } from './helpers.js';

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('usage');
});

function expectUsageError(args: readonly string[], pattern: RegExp): void {
  const result = ksim(args, dir);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  expect(oneLineError(result)).toMatch(pattern);
}

describe('usage errors: one line, exit code 2', () => {
  test('no command', () => expectUsageError([], /missing command/));
  test('unknown command', () => expectUsageError(['frobnicate'], /unknown command 'frobnicate'/));
  test('unknown flag, with a suggestion', () => expectUsageError(['run', 'default', '--sed', '3'], /unknown option '--sed'.*--seed/));
  test('missing argument', () => expectUsageError(['run'], /missing required argument 'scenario'/));
  test('too many arguments', () => expectUsageError(['run', 'default', 'safe'], /too many arguments/));
  test('bad seed', () => expectUsageError(['run', 'default', '--seed', '1.5'], /--seed 1\.5: expected a whole number/));
  test('missing scenario file', () => expectUsageError(['run', 'nowhere.json'], /nowhere\.json: no such file/));
  test('unknown preset', () => expectUsageError(['run', 'no-such-preset'], /no such file or preset/));

  test('bad JSON', () => {
    writeFileSync(join(dir, 'broken.json'), '{ "brokers": 3,\n');
    expectUsageError(['run', 'broken.json'], /broken\.json: invalid JSON/);
  });

  test('invalid scenario key', () => {
    writeJson(dir, 'typo.json', { brokerz: 3 });
    expectUsageError(['check', 'typo.json'], /unknown key "brokerz".*brokers/);
  });

  test('bad --vary key and value', () => {
    expectUsageError(['explore', 'default', '--vary', 'broker.min.isr=1,2'], /--vary broker\.min\.isr: unknown key/);
    expectUsageError(['explore', 'default', '--vary', 'producers.acks=2'], /acks/);
    expectUsageError(['explore', 'default', '--vary', 'producers.acks'], /expected KEY=VALUE/);
    expectUsageError(['explore', 'default', '--vary', 'count=1,2'], /^ksim: --vary count: ambiguous: producers\.count or consumers\.count\? name the section$/);
  });

  test('bad --shard', () => {
    expectUsageError(['check', 'default', '--shard', '0/4'], /--shard 0\/4: the shard number must be between 1 and 4/);
    expectUsageError(['check', 'default', '--shard', '5/4'], /between 1 and 4/);
    expectUsageError(['check', 'default', '--shard', 'two'], /expected I\/N/);
  });

  test('bad --seeds and --workers', () => {
    expectUsageError(['check', 'default', '--seeds', '0'], /--seeds 0: must be at least 1/);
    expectUsageError(['explore', 'default', '--workers', 'many'], /--workers many/);
  });

  test('corrupt failure file', () => {
    writeFileSync(join(dir, 'not-json.json'), 'ksim failed here');
    expectUsageError(['replay', 'not-json.json'], /not-json\.json: invalid JSON/);
    writeJson(dir, 'wrong-shape.json', { version: 1, seed: 'seven' });
    expectUsageError(['replay', 'wrong-shape.json'], /wrong-shape\.json: seed/);
    expectUsageError(['replay', 'missing-failure.json'], /no such file/);
  });

  test('corrupt trace file', () => {
    writeFileSync(join(dir, 'bad.jsonl'), '{"t": 0, "kind": "send"}\nnot json\n');
    expectUsageError(['trace', 'bad.jsonl'], /bad\.jsonl:2: not valid JSON/);
    writeFileSync(join(dir, 'empty.jsonl'), '\n');
    expectUsageError(['trace', 'empty.jsonl'], /empty trace file/);
    expectUsageError(['trace', 'missing.jsonl', '--format', 'text'], /no such trace file/);
  });

  test('bad trace format', () => {
    writeFileSync(join(dir, 'one.jsonl'), '{"t": 0, "kind": "settle"}\n');
    expectUsageError(['trace', 'one.jsonl', '--format', 'svg'], /--format svg: expected one of text, html, perfetto/);
  });

  test('a valid scenario file is not an error (the tests above are not vacuous)', () => {
    writeJson(dir, 'calm.json', SHORT_CALM);
    expect(ksim(['run', 'calm.json', '--seed', '1'], dir).code).toBe(0);
  });
});

describe('help, version and presets', () => {
  test('--help and --version exit 0 on stdout', () => {
    const help = ksim(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['run', 'check', 'replay', 'explore', 'trace', 'presets']) expect(help.stdout).toContain(command);
    expect(ksim(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  test('the defaults --help states are the ones the code uses', () => {
    const explore = ksim(['explore', '--help']);
    expect(explore.code).toBe(0);
    expect(explore.stdout).toContain(`seeds per combination (default ${DEFAULT_EXPLORE_SEEDS})`);
    const check = ksim(['check', '--help']);
    expect(check.stdout).toContain(`how many seeds (default: ${DEFAULT_SEEDS})`);
    expect(check.stdout).toContain(`most runs to spend shrinking (default ${DEFAULT_SHRINK_MAX_RUNS})`);
  });

  test('presets lists every preset with one line each', () => {
    const result = ksim(['presets']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(10);
    expect(lines.some((line) => /^default\s+\S/.test(line))).toBe(true);
    expect(lines.some((line) => /^jepsen-unclean-election\s+Anomaly 1/.test(line))).toBe(true);
  });
});
