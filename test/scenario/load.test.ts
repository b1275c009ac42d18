import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { UserError } from '../../sim/errors.js';
import { listPresets, loadScenario, presetsDir, readScenario } from '../../scenario/load.js';
import { ANOMALY_NAMES } from '../../scenario/schema.js';

const PRESETS = [
  'acks-all-min-isr-1', 'acks1-leader-crash', 'commit-after-process', 'commit-before-process', 'default', 'exactly-once-pipeline',
  'isr-vs-raft', 'jepsen-unclean-election', 'kafka17754-delayed-endtxn', 'kafka7128-stale-hw-isr-join', 'kafka7164-missed-epoch-change', 'kip101-double-power-loss',
  'kip101-hw-truncation',
  'kip279-fast-failover', 'kip966-last-replica-standing', 'retry-duplicates', 'safe', 'safe-transactions',
];
const SCRIPTED = ['kafka17754-delayed-endtxn', 'kafka7128-stale-hw-isr-join', 'kafka7164-missed-epoch-change', 'kip279-fast-failover'];

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ksim-scenario-'));
});

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(ref: string): string {
  try {
    loadScenario(ref);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected a UserError loading ${ref}`);
}

describe('presets', () => {
  test('listPresets names every preset, sorted, each with a one-line description', () => {
    const presets = listPresets();
    expect(presets.map((p) => p.name)).toEqual(PRESETS);
    for (const preset of presets) {
      expect(preset.description.length, preset.name).toBeGreaterThan(20);
      expect(preset.description, preset.name).not.toContain('\n');
    }
  });

  test.each(PRESETS)('preset %s loads, validates, and carries its own name and allowed anomalies', (name) => {
    const scenario = loadScenario(name);
    expect(scenario.name).toBe(name);
    expect(scenario.description).toBeDefined();
    // Random faults, but for the three whose case random faults do not build: a script, and the description says so.
    if (SCRIPTED.includes(name)) {
      expect(scenario.faults.mode).toBe('script');
      expect(scenario.description).toMatch(/scripted fault schedule \(random /);
    } else {
      expect(scenario.faults.mode).toBe('random');
    }
    for (const anomaly of scenario.allowedAnomalies) expect(ANOMALY_NAMES).toContain(anomaly);
    // Presets spell out the keys they mean so users can read them; they are files, not code paths.
    const json = JSON.parse(readFileSync(join(presetsDir(), `${name}.json`), 'utf8')) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(expect.arrayContaining(['name', 'description', 'allowedAnomalies']));
  });

  test('presets set what their anomaly needs', () => {
    const safe = loadScenario('safe');
    expect(safe.broker['min.insync.replicas']).toBe(2);
    expect(safe.faults.kinds).toEqual(['partition', 'crash', 'pause', 'clock-skew']);
    expect(loadScenario('jepsen-unclean-election').broker['unclean.leader.election.enable']).toBe(true);
    expect(loadScenario('acks1-leader-crash').producers[0]?.acks).toBe('1');
    expect(loadScenario('acks1-leader-crash').producers[0]?.['enable.idempotence']).toBe(false);
    const kip101 = loadScenario('kip101-hw-truncation');
    expect([kip101.protocol.truncation, kip101.topic.replicationFactor]).toEqual(['high-watermark', 2]);
    const kafka7128 = loadScenario('kafka7128-stale-hw-isr-join');
    expect([kafka7128.protocol.isrJoinPastEpochStart, kafka7128.protocol.truncation, kafka7128.topic.replicationFactor]).toEqual([false, 'leader-epoch', 4]);
    const kafka17754 = loadScenario('kafka17754-delayed-endtxn');
    expect([kafka17754.protocol.transactionEpochBump, kafka17754.network.partitionMode, kafka17754.consumers[0]?.['isolation.level']]).toEqual([false, 'retransmit', 'read_committed']);
    expect(loadScenario('retry-duplicates').producers[0]?.['enable.idempotence']).toBe(false);
    expect(loadScenario('commit-before-process').consumers[0]?.commit).toBe('before-process');
    expect(loadScenario('commit-after-process').consumers[0]?.commit).toBe('after-process');
    const base = loadScenario('default');
    // No preset sets settleMs: the settle cap is derived from its timeouts (docs/settle.md).
    expect([base.durationMs, base.settleMs, base.faults.kinds]).toEqual([60000, undefined, ['partition', 'crash', 'power-loss']]);
    expect(base.faults.targets).toEqual(['one']);
  });

  test('presets keep Kafka\'s default timeouts: only what a preset exists to show, and environment knobs, differ', () => {
    // Every Kafka timeout a scenario can set; the defaults are the schema's (Kafka's).
    const timeouts = (s: ReturnType<typeof loadScenario>) => ({
      broker: ['replica.lag.time.max.ms', 'replica.fetch.wait.max.ms', 'replica.high.watermark.checkpoint.interval.ms', 'broker.session.timeout.ms']
        .map((key) => s.broker[key as keyof typeof s.broker]),
      producers: s.producers.map((p) => [p['request.timeout.ms'], p['delivery.timeout.ms'], p['linger.ms'], p['max.block.ms']]),
      consumers: s.consumers.map((k) => [k['session.timeout.ms'], k['max.poll.interval.ms'], k['auto.commit.interval.ms']]),
      raft: [s.raft['quorum.election.timeout.ms'], s.raft['quorum.fetch.timeout.ms']],
    });
    const defaults = timeouts(loadScenario(write('defaults.json', '{"consumers": [{}]}')));
    for (const name of PRESETS) {
      const preset = loadScenario(name);
      const got = timeouts(preset);
      expect(got.broker, name).toEqual(defaults.broker);
      expect(got.raft, name).toEqual(defaults.raft);
      for (const producer of got.producers) expect(producer, name).toEqual(defaults.producers[0]);
      for (const consumer of got.consumers) expect(consumer, name).toEqual(defaults.consumers[0]);
      expect(preset.settleMs, name).toBeUndefined();
    }
  });

  test('the presets folder is the one beside the scenario source', () => {
    expect(presetsDir().replace(/\\/g, '/')).toMatch(/scenario\/presets\/?$/);
  });
});

describe('files', () => {
  test('a file path loads; a missing name defaults to the file name', () => {
    const path = write('my-run.json', '{"brokers": 5}');
    const scenario = loadScenario(path);
    expect(scenario.brokers).toBe(5);
    expect(scenario.name).toBe('my-run');
    expect(loadScenario(write('named.json', '{"name": "mine"}')).name).toBe('mine');
  });

  test('readScenario returns the raw JSON, not validated', () => {
    const path = write('raw.json', '{"brokers": 0}');
    expect(readScenario(path)).toEqual({ source: path, raw: { name: 'raw', brokers: 0 } });
  });

  test('schema problems name the file and the key', () => {
    const path = write('bad-key.json', '{"brokers": 3, "broker": {"min.insync.replicas": 4}}');
    expect(errorOf(path)).toBe(`${path}: broker.min.insync.replicas: 4 is greater than topic.replicationFactor (3)`);
  });

  test('missing file or unknown preset', () => {
    expect(errorOf(join(dir, 'nope.json'))).toBe(`${join(dir, 'nope.json')}: no such file`);
    expect(errorOf('nope')).toBe(`nope: no such file or preset (presets: ${PRESETS.join(', ')})`);
  });

  test('a folder is not a scenario', () => {
    const folder = join(dir, 'folder.json');
    mkdirSync(folder);
    expect(errorOf(folder)).toBe(`${folder}: is a folder, not a scenario file`);
  });

  test('bad JSON gives line and column when V8 reports a position', () => {
    const path = write('trailing-comma.json', '{\n  "brokers": 3,\n}\n');
    expect(errorOf(path)).toBe(`${path}: invalid JSON: Expected double-quoted property name at line 3, column 1`);
  });

  test('bad JSON without a position stays one line (V8 source snippet dropped)', () => {
    const path = write('token.json', '{\n  "brokers": \n}');
    expect(errorOf(path)).toBe(`${path}: invalid JSON: Unexpected token '}'`);
    const empty = write('empty.json', '');
    expect(errorOf(empty)).toBe(`${empty}: invalid JSON: Unexpected end of JSON input`);
  });

  test('a byte-order mark is tolerated', () => {
    expect(loadScenario(write('bom.json', '\uFEFF{"brokers": 4}')).brokers).toBe(4);
  });
});
