import { describe, expect, test } from 'vitest';
import { UserError } from '../../sim/errors.js';
import { readScenario } from '../../scenario/load.js';
import { parseScenario } from '../../scenario/schema.js';
import { applyVary, crossProduct, EACH, parseVary, SERVER_PROPERTIES_NAMES } from '../../scenario/vary.js';

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as UserError).message;
  }
  throw new Error('expected a UserError');
}

describe('parseVary', () => {
  test.each([
    ['broker.unclean.leader.election.enable=true,false', ['broker', 'unclean.leader.election.enable'], [true, false]],
    ['broker.min.insync.replicas=1,2', ['broker', 'min.insync.replicas'], [1, 2]],
    ['broker.flush.messages=null,1', ['broker', 'flush.messages'], [null, 1]],
    ['producers.acks=all,1,0', ['producers', EACH, 'acks'], ['all', 1, 0]],
    ['producers.enable.idempotence=true,false', ['producers', EACH, 'enable.idempotence'], [true, false]],
    ['producers[0].acks=1', ['producers', 0, 'acks'], [1]],
    ['producers.1.max.in.flight.requests.per.connection=1,5', ['producers', 1, 'max.in.flight.requests.per.connection'], [1, 5]],
    ['consumers.commit=before-process,after-process', ['consumers', EACH, 'commit'], ['before-process', 'after-process']],
    ['topic.replicationFactor=2,3', ['topic', 'replicationFactor'], [2, 3]],
    ['network.latencyMs.max=2,20', ['network', 'latencyMs', 'max'], [2, 20]],
    ['disk.fsyncMs=0.5,2', ['disk', 'fsyncMs'], [0.5, 2]],
    ['protocol.truncation=high-watermark,leader-epoch', ['protocol', 'truncation'], ['high-watermark', 'leader-epoch']],
    ['protocol.version=0.10,0.11,2.0,2.1,4.0', ['protocol', 'version'], [0.1, 0.11, 2, 2.1, 4]],
    ['protocol.truncateOnEpochChange=true,false', ['protocol', 'truncateOnEpochChange'], [true, false]],
    ['brokers=3,5', ['brokers'], [3, 5]],
    ['durationMs=20000', ['durationMs'], [20000]],
    ['faults.mode=none,random', ['faults', 'mode'], ['none', 'random']],
    ['faults.kinds=partition+crash,power-loss', ['faults', 'kinds'], [['partition', 'crash'], ['power-loss']]],
    ['allowedAnomalies=lost-write+duplicate', ['allowedAnomalies'], [['lost-write', 'duplicate']]],
  ])('%s', (spec, path, values) => {
    const vary = parseVary(spec);
    expect(vary.path).toEqual(path);
    expect(vary.values.map((v) => v.value)).toEqual(values);
  });

  test.each([
    ['broker.foo=1', '--vary broker.foo: unknown key "broker.foo"'],
    ['brokerz=1', '--vary brokerz: unknown key "brokerz" (did you mean "brokers"?)'],
    ['broker.min.insync.replica=2', '--vary broker.min.insync.replica: unknown key "broker.min.insync.replica" (did you mean "broker.min.insync.replicas"?)'],
    ['producers[0].ack=1', '--vary producers[0].ack: unknown key "producers.0.ack" (did you mean "producers.0.acks"?)'],
    ['topic=1', '--vary topic: choose a setting inside topic (partitions, replicationFactor)'],
    ['producers=1', '--vary producers: choose a setting inside producers'],
    ['faults.steps=1', '--vary faults.steps: faults.steps cannot be varied'],
    ['brokers.count=1', '--vary brokers.count: brokers has no settings inside it'],
    ['brokers', '--vary brokers: expected KEY=VALUE1,VALUE2,…'],
    ['=1', '--vary =1: expected KEY=VALUE1,VALUE2,…'],
    ['brokers=', '--vary brokers=: a value is empty'],
    ['brokers=1,,3', '--vary brokers=1,,3: a value is empty'],
  ])('%s is rejected', (spec, message) => {
    expect(errorOf(() => parseVary(spec))).toBe(message);
  });
});

describe('parseVary with Kafka\'s own names', () => {
  // As in server.properties or a client's configuration: the section is implied when only one has the key.
  test.each([
    ['unclean.leader.election.enable=false,true', ['broker', 'unclean.leader.election.enable']],
    ['min.insync.replicas=1,2', ['broker', 'min.insync.replicas']],
    ['broker.session.timeout.ms=9000,18000', ['broker', 'broker.session.timeout.ms']],
    ['acks=1,all', ['producers', EACH, 'acks']],
    ['enable.idempotence=false,true', ['producers', EACH, 'enable.idempotence']],
    ['session.timeout.ms=10000,45000', ['consumers', EACH, 'session.timeout.ms']],
    // server.properties names the scenario spells otherwise.
    ['num.partitions=1,3', ['topic', 'partitions']],
    ['default.replication.factor=2,3', ['topic', 'replicationFactor']],
    ['log.flush.interval.messages=1,null', ['broker', 'flush.messages']],
    ['log.flush.interval.ms=1000,null', ['broker', 'flush.ms']],
  ])('%s', (spec, path) => {
    expect(parseVary(spec).path).toEqual(path);
  });

  test('every server.properties name the scenario spells otherwise resolves to a key of the scenario', () => {
    for (const [name, key] of Object.entries(SERVER_PROPERTIES_NAMES)) expect(parseVary(`${name}=1`).path).toEqual(parseVary(`${key}=1`).path);
    expect(errorOf(() => crossProduct([parseVary('num.partitions=1,2'), parseVary('topic.partitions=3')]))).toBe('--vary topic.partitions: this setting is varied twice');
  });

  test('keeps the name as given for labels, and counts as the same setting as its long form', () => {
    const vary = parseVary('acks=1,all');
    expect(vary.key).toBe('acks');
    expect(crossProduct([vary]).map((c) => c.label)).toEqual(['acks=1', 'acks=all']);
    expect(errorOf(() => crossProduct([vary, parseVary('producers.acks=0')]))).toBe('--vary producers.acks: this setting is varied twice');
  });

  test('a name two sections share is refused with both; an unknown one keeps its own message', () => {
    expect(errorOf(() => parseVary('count=1,2'))).toBe('--vary count: ambiguous: producers.count or consumers.count? name the section');
    expect(errorOf(() => parseVary('min.insync.replica=2'))).toBe('--vary min.insync.replica: unknown key "min.insync.replica" (did you mean "min.insync.replicas"?)');
    expect(errorOf(() => parseVary('broker.foo=1'))).toBe('--vary broker.foo: unknown key "broker.foo"');
  });
});

describe('applyVary', () => {
  test('sets a dotted Kafka key, creating the section, without changing the input', () => {
    const raw = { brokers: 3 };
    const vary = parseVary('broker.unclean.leader.election.enable=true');
    expect(applyVary(raw, vary, true)).toEqual({ brokers: 3, broker: { 'unclean.leader.election.enable': true } });
    expect(raw).toEqual({ brokers: 3 });
  });

  test('producers.<key> sets every entry; an absent array is the default single entry', () => {
    const vary = parseVary('producers.acks=1');
    expect(applyVary({}, vary, 1)).toEqual({ producers: [{ acks: 1 }] });
    const raw = { producers: [{ count: 2 }, { acks: 'all' }] };
    expect(applyVary(raw, vary, 1)).toEqual({ producers: [{ count: 2, acks: 1 }, { acks: 1 }] });
    expect(raw.producers[1]).toEqual({ acks: 'all' });
  });

  test('an index sets one entry and must exist', () => {
    const vary = parseVary('consumers[1].commit=before-process');
    const raw = { consumers: [{}, { group: 'g2' }] };
    expect(applyVary(raw, vary, 'before-process')).toEqual({ consumers: [{}, { group: 'g2', commit: 'before-process' }] });
    expect(errorOf(() => applyVary({ consumers: [{}] }, vary, 'x'))).toBe("--vary consumers[1].commit: the scenario's consumers has only 1 entry");
  });

  test('a raw scenario of the wrong shape is reported, not overwritten', () => {
    expect(errorOf(() => applyVary({ topic: 5 }, parseVary('topic.partitions=2'), 2))).toBe("--vary topic.partitions: the scenario's topic is not an object");
    expect(errorOf(() => applyVary({ producers: [] }, parseVary('producers.acks=1'), 1))).toBe(
      "--vary producers.acks: the scenario's producers is empty, so there is nothing to set",
    );
  });
});

describe('crossProduct', () => {
  test('nested-loop order: the first vary changes slowest', () => {
    const combos = crossProduct([parseVary('broker.unclean.leader.election.enable=true,false'), parseVary('producers.acks=all,1,0')]);
    expect(combos.map((c) => c.label)).toEqual([
      'broker.unclean.leader.election.enable=true producers.acks=all',
      'broker.unclean.leader.election.enable=true producers.acks=1',
      'broker.unclean.leader.election.enable=true producers.acks=0',
      'broker.unclean.leader.election.enable=false producers.acks=all',
      'broker.unclean.leader.election.enable=false producers.acks=1',
      'broker.unclean.leader.election.enable=false producers.acks=0',
    ]);
    expect(combos[4]?.settings).toEqual([
      { key: 'broker.unclean.leader.election.enable', value: false },
      { key: 'producers.acks', value: 1 },
    ]);
  });

  test('each combination applied to a preset validates with the varied settings', () => {
    const { source, raw } = readScenario('default');
    const combos = crossProduct([parseVary('producers.acks=all,1'), parseVary('faults.kinds=partition+crash,power-loss')]);
    const scenarios = combos.map((combo) => parseScenario(combo.apply(raw), `${source} ${combo.label}`));
    expect(scenarios.map((s) => [s.producers[0]?.acks, s.producers[0]?.['enable.idempotence'], s.faults.kinds.join('+')])).toEqual([
      ['all', true, 'partition+crash'],
      ['all', true, 'power-loss'],
      ['1', false, 'partition+crash'],
      ['1', false, 'power-loss'],
    ]);
  });

  test('acks=1 on the safe preset turns idempotence off, as Kafka does when it was not set; set explicitly, it is refused', () => {
    // The README's `ksim explore safe --vary broker.min.insync.replicas=1,2 --vary producers.acks=1,all`.
    const { source, raw } = readScenario('safe');
    const combos = crossProduct([parseVary('broker.min.insync.replicas=1,2'), parseVary('producers.acks=1,all')]);
    const scenarios = combos.map((combo) => parseScenario(combo.apply(raw), `${source} ${combo.label}`));
    expect(scenarios.map((s) => [s.broker['min.insync.replicas'], s.producers[0]?.acks, s.producers[0]?.['enable.idempotence']])).toEqual([
      [1, '1', false], [1, 'all', true], [2, '1', false], [2, 'all', true],
    ]);
    const [explicit] = crossProduct([parseVary('acks=1'), parseVary('enable.idempotence=true')]);
    expect(() => parseScenario(explicit?.apply(raw), source)).toThrow('preset safe: producers.0.enable.idempotence: enable.idempotence requires acks=all (acks is "1")');
  });

  test('an invalid varied value fails validation naming the key', () => {
    const [combo] = crossProduct([parseVary('producers.acks=2')]);
    expect(() => parseScenario(combo?.apply({}), 'scenario.json')).toThrow('scenario.json: producers.0.acks: 2 is not a valid acks value');
  });

  test('no varies: one combination that changes nothing', () => {
    const combos = crossProduct([]);
    expect(combos).toHaveLength(1);
    const raw = { brokers: 4 };
    expect(combos[0]?.apply(raw)).toBe(raw);
  });

  test('the same key varied twice is an error', () => {
    expect(errorOf(() => crossProduct([parseVary('brokers=3'), parseVary('brokers=5')]))).toBe('--vary brokers: this setting is varied twice');
  });
});
