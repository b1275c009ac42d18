// Failure files: a shrunk failure written, read back and replayed gives the very same run; every
// broken file is one UserError line naming the file.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { UserError } from '../../sim/errors.js';
import { loadScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import type { FailureFile, FailureRecord } from '../../properties/failure-file.js';
import {
  failureFileName, failureRecord, readFailureFile, replayCommand, replayFailure, scriptScenario, writeFailureFile,
} from '../../properties/failure-file.js';
import { searchSeeds } from '../../properties/search.js';
import { shrinkFailure } from '../../properties/shrink.js';

let dir = '';
let record: FailureRecord;
let path = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ksim-failure-'));
  const scenario = loadScenario('acks1-leader-crash');
  const first = searchSeeds(scenario, { from: 1, count: 30, stopAtFirst: true, target: 'lost-write' }).first;
  if (first === undefined) throw new Error('acks1-leader-crash: no lost-write in 30 seeds');
  const shrunk = shrinkFailure(scenario, first.seed, first.output.plan, 'lost-write', { maxRuns: 60 });
  record = failureRecord({
    scenario, seed: first.seed, anomaly: 'lost-write', originalSteps: first.output.plan.length, steps: shrunk.steps, output: shrunk.output,
  });
  path = writeFailureFile(dir, record);
});

describe('writing, reading and replaying', () => {
  test('the file is named after the scenario and seed and holds the replay command', () => {
    expect(path).toBe(join(dir, `ksim-failure-acks1-leader-crash-${record.seed}.json`));
    const file = readFailureFile(path);
    expect(file.replay).toBe(`ksim replay ${path}`);
    expect(file).toEqual({ ...record, replay: file.replay, checksum: file.checksum });
    expect(file.checksum).toMatch(/^[0-9a-f]{16}$/);
    expect(file.version).toBe(1);
    expect(file.scenario.faults).toMatchObject({ mode: 'script', steps: record.scenario.faults.steps });
    expect(file.shrunkSteps).toBe(file.scenario.faults.steps.length);
    expect(file.shrunkSteps).toBeLessThan(file.originalSteps);
    expect(file.anomalies.map((a) => a.type)).toContain('lost-write');
  });

  test('replaying gives the identical trace hash and the anomaly, with or without trace records', () => {
    const file = readFailureFile(path);
    const replay = replayFailure(file);
    expect(replay.hashMatches).toBe(true);
    expect(replay.anomalyPresent).toBe(true);
    expect(replay.output.result.traceHash).toBe(file.traceHash);
    const traced = replayFailure(file, { recordTrace: true });
    expect(traced.hashMatches).toBe(true);
    expect(traced.output.trace?.length).toBeGreaterThan(0);
  });

  test('the scenario in the file is complete JSON that parses to itself', () => {
    const json: unknown = JSON.parse(readFileSync(path, 'utf8'));
    const scenario = (json as { scenario: unknown }).scenario;
    expect(parseScenario(scenario, 'file')).toEqual(scenario);
  });

  test('a hash that does not match is reported, not hidden', () => {
    const file: FailureFile = { ...readFailureFile(path), traceHash: '0000000000000000' };
    expect(replayFailure(file).hashMatches).toBe(false);
  });

  test('failureRecord refuses a run without the anomaly', () => {
    const scenario = loadScenario('acks1-leader-crash');
    const output = runScenario(scenario, 1, { plan: [] });
    expect(output.result.anomalies.map((a) => a.type)).not.toContain('lost-write');
    expect(() => failureRecord({ scenario, seed: 1, anomaly: 'lost-write', originalSteps: 0, steps: [], output })).toThrow(/does not show lost-write/);
  });

  test('scriptScenario keeps every setting and replaces only the faults', () => {
    const scenario = loadScenario('acks1-leader-crash');
    const steps = [{ atMs: 1000, fault: 'crash' as const, node: 'b1' }];
    const script = scriptScenario(scenario, steps);
    expect({ ...script, faults: scenario.faults }).toEqual(scenario);
    expect(script.faults).toEqual({ ...scenario.faults, mode: 'script', steps });
    expect(runScenario(script, 3).result.traceHash).toBe(runScenario(scenario, 3, { plan: steps }).result.traceHash);
  });
});

describe('names and commands', () => {
  test('file names keep only safe characters', () => {
    expect(failureFileName('acks1-leader-crash', 7)).toBe('ksim-failure-acks1-leader-crash-7.json');
    expect(failureFileName('my scenario/../x', 12)).toBe('ksim-failure-my-scenario-..-x-12.json');
    expect(failureFileName('///', 3)).toBe('ksim-failure-scenario-3.json');
  });

  test('paths with spaces or quotes are quoted for the shell', () => {
    expect(replayCommand('ksim-failure-a-1.json')).toBe('ksim replay ksim-failure-a-1.json');
    expect(replayCommand('/tmp/my dir/f.json')).toBe(`ksim replay '/tmp/my dir/f.json'`);
    expect(replayCommand("it's.json")).toBe(`ksim replay 'it'\\''s.json'`);
  });
});

describe('broken files are one-line UserErrors', () => {
  function errorOf(file: string): string {
    try {
      readFailureFile(file);
    } catch (error) {
      expect(error).toBeInstanceOf(UserError);
      const message = (error as Error).message;
      expect(message).not.toContain('\n');
      expect(message.startsWith(`${file}: `)).toBe(true);
      return message.slice(file.length + 2);
    }
    throw new Error(`${file} was accepted`);
  }

  function writeJson(name: string, json: unknown): string {
    const file = join(dir, name);
    writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    return file;
  }

  function edited(name: string, edit: (json: Record<string, unknown>) => void): string {
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    edit(json);
    return writeJson(name, json);
  }

  test('missing, a folder, not JSON', () => {
    expect(errorOf(join(dir, 'nope.json'))).toBe('no such file');
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    expect(errorOf(folder)).toBe('is a folder, not a failure file');
    expect(errorOf(writeJson('broken.json', '{"version": 1,'))).toMatch(/^invalid JSON \(.+\)$/);
  });

  test('not a failure file, or another version', () => {
    expect(errorOf(writeJson('array.json', [1, 2]))).toBe('not a ksim failure file: expected "version": 1');
    expect(errorOf(edited('v2.json', (j) => { j['version'] = 2; }))).toBe('not a ksim failure file: expected "version": 1 (version 2)');
  });

  test('bad fields name the field', () => {
    expect(errorOf(edited('seed.json', (j) => { j['seed'] = 'x'; }))).toBe('seed: expected a whole number from 0 to 9007199254740991, got "x"');
    expect(errorOf(edited('hash.json', (j) => { delete j['traceHash']; }))).toBe('traceHash: expected a non-empty string');
    expect(errorOf(edited('anomaly.json', (j) => { j['anomaly'] = 'lost-writes'; }))).toBe('anomaly: "lost-writes" is not an anomaly name');
    expect(errorOf(edited('anomalies.json', (j) => { j['anomalies'] = [{ type: 'lost-write' }]; }))).toBe('anomalies.0: expected { "type": <anomaly name>, "count": <integer> }');
    expect(errorOf(edited('steps.json', (j) => { j['shrunkSteps'] = -1; }))).toBe('shrunkSteps: expected a non-negative integer');
  });

  test('an invalid scenario is reported with its key', () => {
    expect(errorOf(edited('acks.json', (j) => { (j['scenario'] as { producers: { acks: string }[] }).producers[0]!.acks = '2'; })))
      .toBe('scenario: producers.0.acks: "2" is not a valid acks value (use "all", "1" or "0")');
    expect(errorOf(edited('random.json', (j) => { (j['scenario'] as { faults: Record<string, unknown> }).faults = { mode: 'random' }; })))
      .toBe('scenario: faults.mode: a failure file replays a script ("mode": "script"), got "random"');
    expect(errorOf(edited('count.json', (j) => { j['shrunkSteps'] = 99; })))
      .toMatch(/^shrunkSteps: 99 does not match the \d+ steps of scenario.faults.steps$/);
  });
});
