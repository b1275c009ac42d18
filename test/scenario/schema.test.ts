import { describe, expect, test } from 'vitest';
import { UserError } from '../../sim/errors.js';
import { ANOMALY_NAMES, groupInstanceIds, parseScenario, scenarioNodes, type Scenario } from '../../scenario/schema.js';

const parse = (raw: unknown): Scenario => parseScenario(raw, 'scenario.json');

/** Parses and returns the thrown message, failing the test if nothing (or not a UserError) is thrown. */
function errorOf(raw: unknown): string {
  try {
    parse(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    const message = (error as UserError).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`expected a UserError for ${JSON.stringify(raw)}`);
}

const script = (...steps: unknown[]) => ({ faults: { mode: 'script', steps } });

describe('defaults', () => {
  test('{} yields every default of the DESIGN.md table', () => {
    expect(parse({})).toStrictEqual({
      name: 'scenario',
      durationMs: 60000,
      // settleMs is absent: the settle cap is derived from the timeouts (test/scenario/settle-cap.test.ts).
      brokers: 3,
      controllers: 1,
      topic: { partitions: 1, replicationFactor: 3 },
      broker: {
        'min.insync.replicas': 1,
        'transaction.state.log.min.isr': 2,
        'unclean.leader.election.enable': false,
        'replica.lag.time.max.ms': 30000,
        'replica.fetch.wait.max.ms': 500,
        'replica.high.watermark.checkpoint.interval.ms': 5000,
        'flush.messages': null,
        'flush.ms': null,
        'broker.session.timeout.ms': 9000,
        'eligible.leader.replicas.enable': false,
        'group.min.session.timeout.ms': 6000,
        'group.max.session.timeout.ms': 1800000,
        'producer.id.expiration.ms': 86400000,
        'producer.id.expiration.check.interval.ms': 600000,
        'log.segment.bytes': 1073741824,
      },
      protocol: { version: null, truncation: 'leader-epoch', epochFencing: true, truncateOnEpochChange: true, isrJoinPastEpochStart: true, transactionEpochBump: true, replication: 'isr' },
      raft: { 'quorum.election.timeout.ms': 1000, 'quorum.fetch.timeout.ms': 2000, fsync: true, plantedBug: null },
      producers: [{
        count: 1,
        acks: 'all',
        'enable.idempotence': true,
        retries: 2147483647,
        'max.in.flight.requests.per.connection': 5,
        'request.timeout.ms': 30000,
        'delivery.timeout.ms': 120000,
        'linger.ms': 5,
        'batch.size': 16384,
        'buffer.memory': 33554432,
        'max.block.ms': 60000,
        'max.request.size': 1048576,
        messagesPerSec: 100,
        valueBytes: 100,
        'transactional.id': null,
        'transaction.timeout.ms': 60000,
        recordsPerTransaction: 10,
        abortProbability: 0,
      }],
      consumers: [{
        group: 'g1',
        count: 1,
        'group.instance.id': null,
        commit: 'auto',
        'auto.offset.reset': 'latest',
        'auto.commit.interval.ms': 5000,
        'session.timeout.ms': 45000,
        'max.poll.interval.ms': 300000,
        processingMs: 1,
        'isolation.level': 'read_uncommitted',
        subscribe: null,
      }],
      pipelines: [],
      network: {
        latencyMs: { min: 0.1, max: 2 },
        nicMbps: 10000,
        dropProbability: 0,
        duplicateProbability: 0,
        reorderProbability: 0,
        partitionMode: 'drop',
      },
      disk: { writeMs: 0.05, fsyncMs: 2, dirtyExpireMs: 30000, tornWrites: false },
      faults: {
        mode: 'random',
        kinds: ['partition', 'crash', 'power-loss', 'pause', 'slow-disk', 'slow-net', 'clock-skew'],
        meanIntervalMs: 5000,
        targets: ['any', 'leader', 'followers', 'isr', 'controller'],
        swarm: true,
        steps: [],
      },
      limits: { maxRecords: 5_000_000, maxSimulatedMs: 86_400_000, maxNodes: 1000 },
      allowedAnomalies: [],
    });
  });

  test('replicationFactor defaults to min(3, brokers)', () => {
    expect(parse({ brokers: 1 }).topic.replicationFactor).toBe(1);
    expect(parse({ brokers: 2 }).topic.replicationFactor).toBe(2);
    expect(parse({ brokers: 5 }).topic.replicationFactor).toBe(3);
    expect(parse({ brokers: 5, topic: { replicationFactor: 5 } }).topic.replicationFactor).toBe(5);
  });

  test('defaults fill in inside entries the user gave', () => {
    const s = parse({ producers: [{ acks: 'all' }, { count: 2 }], consumers: [{ group: 'g2' }, {}] });
    expect(s.producers.map((p) => [p.count, p['linger.ms']])).toEqual([[1, 5], [2, 5]]);
    expect(s.consumers.map((k) => [k.group, k.commit])).toEqual([['g2', 'auto'], ['g1', 'auto']]);
  });

  test('parsing {} twice gives independent objects (defaults are not shared)', () => {
    const first = parse({});
    first.faults.kinds.pop();
    first.allowedAnomalies.push('lost-write');
    expect(parse({}).faults.kinds).toHaveLength(7);
    expect(parse({}).allowedAnomalies).toEqual([]);
  });

  test('description and allowedAnomalies are kept; seed is not a scenario key', () => {
    const s = parse({ description: 'one line', allowedAnomalies: ['lost-write', 'lost-write', 'duplicate'] });
    expect(s.description).toBe('one line');
    expect(s.allowedAnomalies).toEqual(['lost-write', 'duplicate']);
    expect(parse({ allowedAnomalies: [...ANOMALY_NAMES] }).allowedAnomalies).toHaveLength(19);
    expect(errorOf({ seed: 7 })).toBe('scenario.json: unknown key "seed"');
  });
});

describe('type and range errors name the key', () => {
  test.each([
    [{ brokerz: 3 }, 'scenario.json: unknown key "brokerz" (did you mean "brokers"?)'],
    [{ broker: { 'min.insync.replica': 2 } }, 'scenario.json: broker: unknown key "min.insync.replica" (did you mean "min.insync.replicas"?)'],
    [{ producers: [{ ack: 'all' }] }, 'scenario.json: producers.0: unknown key "ack" (did you mean "acks"?)'],
    [{ network: { latencyMs: { mean: 1 } } }, 'scenario.json: network.latencyMs: unknown key "mean"'],
    [{ brokers: '3' }, 'scenario.json: brokers: expected a number, got "3"'],
    [{ brokers: 1.5 }, 'scenario.json: brokers: 1.5 is not an integer'],
    [{ brokers: 0 }, 'scenario.json: brokers: 0 is less than the minimum 1'],
    [{ topic: 5 }, 'scenario.json: topic: expected an object, got 5'],
    [{ broker: { 'unclean.leader.election.enable': 'true' } }, 'scenario.json: broker.unclean.leader.election.enable: expected true or false, got "true"'],
    [{ broker: { 'flush.messages': 0 } }, 'scenario.json: broker.flush.messages: 0 is less than the minimum 1'],
    [{ network: { dropProbability: 1.5 } }, 'scenario.json: network.dropProbability: 1.5 is greater than the maximum 1'],
    [{ network: { nicMbps: 0 } }, 'scenario.json: network.nicMbps: 0 must be greater than 0'],
    [{ protocol: { truncation: 'kip101' } }, 'scenario.json: protocol.truncation: "kip101" is not one of "high-watermark", "epoch-end-offset", "leader-epoch"'],
    [{ protocol: { version: '2.2' } }, 'scenario.json: protocol.version: "2.2" is not a Kafka release ksim knows ("0.10", "0.11", "2.0", "2.1", "3.9", "4.0", "4.1")'],
    [{ protocol: { version: 1.1 } }, 'scenario.json: protocol.version: 1.1 is not a Kafka release ksim knows ("0.10", "0.11", "2.0", "2.1", "3.9", "4.0", "4.1")'],
    [{ consumers: [{ commit: 'never' }] }, 'scenario.json: consumers.0.commit: "never" is not one of "auto", "before-process", "after-process"'],
    [{ faults: { kinds: [] } }, 'scenario.json: faults.kinds: needs at least 1 entry'],
    [{ faults: { kinds: ['meteor'] } }, 'scenario.json: faults.kinds.0: "meteor" is not one of "partition", "crash", "power-loss", "pause", "slow-disk", "slow-net", "clock-skew"'],
    [{ allowedAnomalies: ['lost'] }, expect.stringMatching(/^scenario\.json: allowedAnomalies\.0: "lost" is not one of "lost-write", /)],
    [{ name: '' }, 'scenario.json: name: must not be empty'],
    [[], 'scenario.json: expected an object, got an array'],
  ])('%j', (raw, message) => {
    expect(errorOf(raw)).toEqual(message);
  });

  test('several problems: the first is named and the rest counted', () => {
    expect(errorOf({ brokers: 0, settleMs: -1, durationMs: 'x' })).toBe(
      'scenario.json: durationMs: expected a number, got "x" (and 2 more problems)',
    );
  });
});

describe('protocol switches and protocol.version', () => {
  const switches = (protocol: object, broker: object = {}) => {
    const s = parse({ protocol, broker });
    const { replication, ...switchesOnly } = s.protocol;
    expect(replication).toBe('isr');
    return { ...switchesOnly, elr: s.broker['eligible.leader.replicas.enable'] };
  };
  const FIXES_OF_2_1 = { truncation: 'leader-epoch', epochFencing: true, truncateOnEpochChange: true, isrJoinPastEpochStart: true, transactionEpochBump: false };
  const ALL_FIXES = { ...FIXES_OF_2_1, transactionEpochBump: true };

  test('each release sets every switch as it shipped', () => {
    const none = { epochFencing: false, truncateOnEpochChange: false, isrJoinPastEpochStart: false, transactionEpochBump: false, elr: false };
    expect(switches({ version: '0.10' })).toEqual({ version: '0.10', truncation: 'high-watermark', ...none });
    expect(switches({ version: '0.11' })).toEqual({ version: '0.11', truncation: 'epoch-end-offset', ...none });
    expect(switches({ version: '2.0' })).toEqual({ version: '2.0', truncation: 'leader-epoch', ...none });
    for (const version of ['2.1', '3.9']) expect(switches({ version })).toEqual({ version, ...FIXES_OF_2_1, elr: false });
    expect(switches({ version: '4.0' })).toEqual({ version: '4.0', ...ALL_FIXES, elr: false });
    expect(switches({ version: '4.1' })).toEqual({ version: '4.1', ...ALL_FIXES, elr: true });
  });

  test('a resolved scenario parses to itself, with or without a version', () => {
    for (const protocol of [{}, { version: '0.11' }, { truncation: 'high-watermark' }, { version: '4.1', truncateOnEpochChange: false }]) {
      const once = parse({ protocol });
      expect(parse(JSON.parse(JSON.stringify(once)))).toStrictEqual(once);
    }
  });

  test('a release may be a number, as --vary and JSON numbers give it', () => {
    expect([0.1, 0.11, 2, 2.1, 3.9, 4, 4.1].map((version) => switches({ version }).version)).toEqual(['0.10', '0.11', '2.0', '2.1', '3.9', '4.0', '4.1']);
  });

  test('an explicit switch overrides the release; eligible.leader.replicas.enable too', () => {
    expect(switches({ version: '2.1', truncateOnEpochChange: false })).toMatchObject({ truncation: 'leader-epoch', epochFencing: true, truncateOnEpochChange: false });
    expect(switches({ version: '0.11', truncation: 'leader-epoch' })).toMatchObject({ truncation: 'leader-epoch', epochFencing: false });
    expect(switches({ version: '4.1' }, { 'eligible.leader.replicas.enable': false }).elr).toBe(false);
    expect(switches({ version: '2.1' }, { 'eligible.leader.replicas.enable': true }).elr).toBe(true);
  });

  test('without a version: every fix but ELR; high-watermark truncation turns off the two that read the epoch cache', () => {
    expect(switches({})).toEqual({ version: null, ...ALL_FIXES, elr: false });
    expect(switches({ truncation: 'high-watermark' })).toEqual({
      version: null, truncation: 'high-watermark', epochFencing: false, truncateOnEpochChange: true, isrJoinPastEpochStart: false, transactionEpochBump: true, elr: false,
    });
    expect(switches({ truncation: 'epoch-end-offset' })).toMatchObject({ epochFencing: true, isrJoinPastEpochStart: true });
  });

  test('a fix that needs leader epochs, set explicitly with high-watermark truncation, is an error', () => {
    expect(errorOf({ protocol: { truncation: 'high-watermark', epochFencing: true } })).toBe(
      'scenario.json: protocol.epochFencing: epoch fencing (KIP-320) needs leader epochs: protocol.truncation is "high-watermark"');
    expect(errorOf({ protocol: { version: '0.10', isrJoinPastEpochStart: true } })).toBe(
      'scenario.json: protocol.isrJoinPastEpochStart: joining the ISR past the epoch start (KAFKA-7128) needs leader epochs: protocol.truncation is "high-watermark"');
    // Implied by the release, they give way.
    expect(switches({ version: '2.1', truncation: 'high-watermark' })).toMatchObject({ epochFencing: false, isrJoinPastEpochStart: false, truncateOnEpochChange: true });
  });
});

describe('cross-field rules', () => {
  test('replicationFactor greater than brokers', () => {
    expect(errorOf({ brokers: 2, topic: { replicationFactor: 3 } })).toBe('scenario.json: topic.replicationFactor: 3 is greater than brokers (2)');
  });

  test('min.insync.replicas greater than replicationFactor', () => {
    expect(errorOf({ broker: { 'min.insync.replicas': 4 } })).toBe(
      'scenario.json: broker.min.insync.replicas: 4 is greater than topic.replicationFactor (3)',
    );
    expect(parse({ broker: { 'min.insync.replicas': 3 } }).broker['min.insync.replicas']).toBe(3);
  });

  test('latencyMs.min greater than max', () => {
    expect(errorOf({ network: { latencyMs: { min: 5, max: 1 } } })).toBe(
      'scenario.json: network.latencyMs.min: 5 is greater than network.latencyMs.max (1)',
    );
    expect(parse({ network: { latencyMs: { min: 1, max: 1 } } }).network.latencyMs).toEqual({ min: 1, max: 1 });
  });
});

describe('producers: acks and idempotence', () => {
  test.each([
    ['all', 'all'], ['-1', 'all'], [-1, 'all'], ['1', '1'], [1, '1'], ['0', '0'], [0, '0'],
  ])('acks %j is %j', (acks, canonical) => {
    expect(parse({ producers: [{ acks, 'enable.idempotence': false }] }).producers[0]?.acks).toBe(canonical);
  });

  test('invalid acks', () => {
    expect(errorOf({ producers: [{ acks: 2 }] })).toBe('scenario.json: producers.0.acks: 2 is not a valid acks value (use "all", "1" or "0")');
    expect(errorOf({ producers: [{ acks: 'leader' }] })).toBe('scenario.json: producers.0.acks: "leader" is not a valid acks value (use "all", "1" or "0")');
  });

  test('idempotence left unset yields to acks=1/0, retries=0, or more than 5 in flight', () => {
    const idempotence = (p: object) => parse({ producers: [p] }).producers[0]?.['enable.idempotence'];
    expect(idempotence({})).toBe(true);
    expect(idempotence({ acks: '1' })).toBe(false);
    expect(idempotence({ acks: 0 })).toBe(false);
    expect(idempotence({ retries: 0 })).toBe(false);
    expect(idempotence({ 'max.in.flight.requests.per.connection': 6 })).toBe(false);
    expect(idempotence({ acks: 'all', 'enable.idempotence': false })).toBe(false);
  });

  test('idempotence set explicitly with a conflicting setting is an error, as in the Java client', () => {
    expect(errorOf({ producers: [{}, { acks: 1, 'enable.idempotence': true }] })).toBe(
      'scenario.json: producers.1.enable.idempotence: enable.idempotence requires acks=all (acks is "1")',
    );
    expect(errorOf({ producers: [{ retries: 0, 'enable.idempotence': true }] })).toBe(
      'scenario.json: producers.0.enable.idempotence: enable.idempotence requires retries > 0 (retries is 0)',
    );
  });

  test('delivery.timeout.ms: a default grows to linger.ms + request.timeout.ms, an explicit short one is an error', () => {
    expect(parse({ producers: [{ 'request.timeout.ms': 200000 }] }).producers[0]?.['delivery.timeout.ms']).toBe(200005);
    expect(errorOf({ producers: [{ 'request.timeout.ms': 1000, 'delivery.timeout.ms': 500 }] })).toBe(
      'scenario.json: producers.0.delivery.timeout.ms: 500 is less than linger.ms + request.timeout.ms (1005)',
    );
  });

  test('buffer.memory must hold one batch (batch.size, or one record\'s batch if larger)', () => {
    expect(parse({ producers: [{ 'buffer.memory': 16384 }] }).producers[0]?.['buffer.memory']).toBe(16384);
    expect(errorOf({ producers: [{ 'buffer.memory': 16383 }] })).toBe('scenario.json: producers.0.buffer.memory: 16383 is less than one batch (16384 bytes)');
    expect(errorOf({ producers: [{ 'buffer.memory': 20000, valueBytes: 20000 }] })).toBe('scenario.json: producers.0.buffer.memory: 20000 is less than one batch (20071 bytes)');
  });
});

describe('fault script steps', () => {
  test('every DESIGN.md step format parses; atMs defaults to the previous step time, 0 first', () => {
    const s = parse({
      producers: [{ count: 2 }],
      ...script(
        { fault: 'partition', isolate: ['b1'] },
        { atMs: 5000, fault: 'partition', groups: [['b1'], ['b2', 'b3', 'c1']] },
        { fault: 'partition', from: 'b1', to: 'b2' },
        { atMs: 6000, fault: 'heal' },
        { fault: 'heal', nodes: ['b1'] },
        { fault: 'crash', node: 'b2' },
        { fault: 'power-loss', node: 'p2' },
        { atMs: 7000, fault: 'restart', node: 'b2' },
        { fault: 'pause', node: 'k1' },
        { fault: 'resume', node: 'k1' },
        { fault: 'slow-disk', node: 'b1', factor: 10 },
        { fault: 'slow-net', node: 'c1', factor: 0.5 },
        { fault: 'clock-skew', node: 'b1', offsetMs: -2000 },
      ),
    });
    expect(s.faults.mode).toBe('script');
    expect(s.faults.steps).toStrictEqual([
      { atMs: 0, fault: 'partition', isolate: ['b1'] },
      { atMs: 5000, fault: 'partition', groups: [['b1'], ['b2', 'b3', 'c1']] },
      { atMs: 5000, fault: 'partition', from: 'b1', to: 'b2' },
      { atMs: 6000, fault: 'heal' },
      { atMs: 6000, fault: 'heal', nodes: ['b1'] },
      { atMs: 6000, fault: 'crash', node: 'b2' },
      { atMs: 6000, fault: 'power-loss', node: 'p2' },
      { atMs: 7000, fault: 'restart', node: 'b2' },
      { atMs: 7000, fault: 'pause', node: 'k1' },
      { atMs: 7000, fault: 'resume', node: 'k1' },
      { atMs: 7000, fault: 'slow-disk', node: 'b1', factor: 10 },
      { atMs: 7000, fault: 'slow-net', node: 'c1', factor: 0.5 },
      { atMs: 7000, fault: 'clock-skew', node: 'b1', offsetMs: -2000 },
    ]);
  });

  test('restarting a node that is not down is accepted (a no-op for the kernel)', () => {
    expect(parse(script({ fault: 'restart', node: 'b1' })).faults.steps).toHaveLength(1);
  });

  test('a node that does not exist is rejected, naming the step key', () => {
    expect(errorOf(script({ fault: 'crash', node: 'b4' }))).toBe(
      'scenario.json: faults.steps.0.node: "b4" is not a node of this scenario (nodes: b1…b3, c1, p1, k1)',
    );
    expect(errorOf(script({ fault: 'heal' }, { fault: 'partition', groups: [['b1'], ['b2', 'p2']] }))).toMatch(
      /^scenario\.json: faults\.steps\.1\.groups\.1\.1: "p2" is not a node/,
    );
    expect(errorOf(script({ fault: 'partition', from: 'b1', to: 'c2' }))).toMatch(/^scenario\.json: faults\.steps\.0\.to: "c2"/);
  });

  test('client node names count over every producers[] and consumers[] entry', () => {
    const raw = { brokers: 5, producers: [{ count: 2 }, {}], consumers: [{ count: 2 }, { group: 'g2', count: 2 }] };
    expect(() => parse({ ...raw, ...script({ fault: 'crash', node: 'p3' }, { fault: 'crash', node: 'k4' }, { fault: 'crash', node: 'b5' }) })).not.toThrow();
    expect(errorOf({ ...raw, ...script({ fault: 'crash', node: 'p4' }) })).toBe(
      'scenario.json: faults.steps.0.node: "p4" is not a node of this scenario (nodes: b1…b5, c1, p1…p3, k1…k4)',
    );
    const nodes = scenarioNodes(parse(raw));
    expect(nodes.producers).toEqual([{ id: 'p1', entry: 0 }, { id: 'p2', entry: 0 }, { id: 'p3', entry: 1 }]);
    expect(nodes.consumers.map((k) => `${k.id}:${k.entry}`)).toEqual(['k1:0', 'k2:0', 'k3:1', 'k4:1']);
  });

  test('malformed steps', () => {
    expect(errorOf(script({ fault: 'crsh', node: 'b1' }))).toMatch(/^scenario\.json: faults\.steps\.0\.fault: "crsh" is not one of "partition", "heal", "crash"/);
    expect(errorOf(script({ node: 'b1' }))).toMatch(/^scenario\.json: faults\.steps\.0\.fault: missing \(expected one of "partition"/);
    expect(errorOf(script({ fault: 'crash' }))).toBe('scenario.json: faults.steps.0.node: missing (expected a string)');
    expect(errorOf(script({ fault: 'crash', node: 'b1', factor: 2 }))).toBe('scenario.json: faults.steps.0: unknown key "factor"');
    expect(errorOf(script({ fault: 'slow-net', node: 'b1', factor: 0 }))).toBe('scenario.json: faults.steps.0.factor: 0 must be greater than 0');
    expect(errorOf(script({ fault: 'partition' }))).toBe(
      'scenario.json: faults.steps.0: a partition step takes exactly one of "isolate", "groups", or "from" and "to"',
    );
    expect(errorOf(script({ fault: 'partition', isolate: ['b1'], from: 'b1', to: 'b2' }))).toMatch(/a partition step takes exactly one of/);
    expect(errorOf(script({ fault: 'partition', from: 'b1' }))).toBe(
      'scenario.json: faults.steps.0.to: missing: a one-way partition needs both "from" and "to"',
    );
    expect(errorOf(script({ fault: 'partition', isolate: [] }))).toBe('scenario.json: faults.steps.0.isolate: needs at least 1 entry');
  });

  test('steps out of time order are rejected', () => {
    expect(errorOf(script({ atMs: 5000, fault: 'heal' }, { atMs: 1000, fault: 'heal' }))).toBe(
      "scenario.json: faults.steps.1.atMs: 1000 is before the previous step's atMs (5000); steps must be in time order",
    );
  });

  test('steps without mode "script" would be ignored, so they are an error', () => {
    expect(errorOf({ faults: { steps: [{ fault: 'heal' }] } })).toBe(
      'scenario.json: faults.steps: steps run only with "mode": "script"; add it to faults',
    );
    expect(parse({ faults: { mode: 'none', steps: [{ fault: 'heal' }] } }).faults.mode).toBe('none');
  });
});

describe('consumers: auto.offset.reset, group.instance.id, session timeout bounds', () => {
  test('auto.offset.reset takes earliest, latest or none (Kafka\'s default latest)', () => {
    expect(parse({ consumers: [{}, { 'auto.offset.reset': 'earliest' }, { 'auto.offset.reset': 'none' }] }).consumers.map((k) => k['auto.offset.reset']))
      .toEqual(['latest', 'earliest', 'none']);
    expect(errorOf({ consumers: [{ 'auto.offset.reset': 'smallest' }] })).toBe(
      'scenario.json: consumers.0.auto.offset.reset: "smallest" is not one of "earliest", "latest", "none"',
    );
  });

  test('group.instance.id: a non-empty string; an entry of several consumers numbers its instances', () => {
    const s = parse({ consumers: [{ count: 2, 'group.instance.id': 'app' }, {}, { group: 'g2', 'group.instance.id': 'solo' }] });
    expect(groupInstanceIds(s.consumers)).toEqual(['app-1', 'app-2', null, 'solo']);
    expect(errorOf({ consumers: [{ 'group.instance.id': '' }] })).toBe('scenario.json: consumers.0.group.instance.id: must not be empty');
    expect(errorOf({ consumers: [{ 'group.instance.id': 7 }] })).toBe('scenario.json: consumers.0.group.instance.id: expected a string, got 7');
  });

  test('two consumers of one group with one group.instance.id would fence each other: rejected', () => {
    expect(errorOf({ consumers: [{ 'group.instance.id': 'app-2' }, { count: 2, 'group.instance.id': 'app' }] })).toBe(
      'scenario.json: consumers.1.group.instance.id: "app-2" is also the group.instance.id of a consumer of consumers.0 in group "g1": ' +
      'the coordinator would fence one of them (FENCED_INSTANCE_ID)',
    );
    // In different groups the same instance id is no conflict.
    expect(() => parse({ consumers: [{ 'group.instance.id': 'app' }, { group: 'g2', 'group.instance.id': 'app' }] })).not.toThrow();
  });

  test('session.timeout.ms must lie within the broker\'s group.min/max.session.timeout.ms (INVALID_SESSION_TIMEOUT)', () => {
    expect(errorOf({ consumers: [{}, { 'session.timeout.ms': 5999 }] })).toBe(
      'scenario.json: consumers.1.session.timeout.ms: 5999 is less than broker.group.min.session.timeout.ms (6000): ' +
      'the group coordinator would refuse the JoinGroup with INVALID_SESSION_TIMEOUT',
    );
    expect(errorOf({ consumers: [{ 'session.timeout.ms': 1800001 }] })).toBe(
      'scenario.json: consumers.0.session.timeout.ms: 1800001 is greater than broker.group.max.session.timeout.ms (1800000): ' +
      'the group coordinator would refuse the JoinGroup with INVALID_SESSION_TIMEOUT',
    );
    expect(parse({ consumers: [{ 'session.timeout.ms': 6000 }, { 'session.timeout.ms': 1800000 }] }).consumers).toHaveLength(2);
    // The broker's bounds move the limits.
    expect(parse({ broker: { 'group.min.session.timeout.ms': 3000 }, consumers: [{ 'session.timeout.ms': 3000 }] }).consumers[0]?.['session.timeout.ms']).toBe(3000);
    expect(errorOf({ broker: { 'group.max.session.timeout.ms': 30000 } })).toMatch(/^scenario\.json: consumers\.0\.session\.timeout\.ms: 45000 is greater than broker\.group\.max/);
    expect(errorOf({ broker: { 'group.min.session.timeout.ms': 9000, 'group.max.session.timeout.ms': 8000 }, consumers: [] })).toBe(
      'scenario.json: broker.group.min.session.timeout.ms: 9000 is greater than broker.group.max.session.timeout.ms (8000)',
    );
  });
});

describe('faults.targets', () => {
  test('accepts one target or a list of counts and roles; rejects anything else naming the key', () => {
    expect(parseScenario({ faults: { targets: 'minority' } }, 's.json').faults.targets).toEqual(['minority']);
    expect(parseScenario({ faults: { targets: ['leader', 'isr', 'leader'] } }, 's.json').faults.targets).toEqual(['leader', 'isr']);
    expect(() => parseScenario({ faults: { targets: 'all' } }, 's.json')).toThrow(/faults\.targets/);
    expect(() => parseScenario({ faults: { targets: [] } }, 's.json')).toThrow(/faults\.targets/);
  });

  test('swarm is on unless set to false', () => {
    expect(parseScenario({}, 's.json').faults.swarm).toBe(true);
    expect(parseScenario({ faults: { swarm: false } }, 's.json').faults.swarm).toBe(false);
    expect(() => parseScenario({ faults: { swarm: 'no' } }, 's.json')).toThrow(/faults\.swarm/);
  });
});

describe('topics and pipelines', () => {
  const topics = [{ name: 'input', partitions: 2 }, { name: 'output', partitions: 3, replicationFactor: 2 }];

  test('a list of topics numbers their partitions in order; consumers and pipelines name theirs', () => {
    const s = parse({ topics, consumers: [{ subscribe: 'output' }], pipelines: [{ count: 2 }] });
    expect(s.topics).toEqual([{ name: 'input', partitions: 2, replicationFactor: 3 }, { name: 'output', partitions: 3, replicationFactor: 2 }]);
    expect(s.pipelines[0]).toMatchObject({ group: 'pipeline', input: null, output: null, 'processing.guarantee': 'exactly_once_v2', 'isolation.level': 'read_committed', 'transaction.timeout.ms': 10000 });
    expect(scenarioNodes(s).pipelines.map((t) => t.id)).toEqual(['t1', 't2']);
    expect(parse({ topics, pipelines: [{ 'processing.guarantee': 'at_least_once' }] }).pipelines[0]!['isolation.level']).toBe('read_uncommitted');
    expect('topics' in parse({})).toBe(false);
  });

  test('refuses, in one line naming the key, what cannot be built', () => {
    expect(errorOf({ topic: { partitions: 2 }, topics })).toMatch(/topic.*either "topic" or "topics"/);
    expect(errorOf({ pipelines: [{}] })).toMatch(/pipelines\.0.*list them in "topics"/);
    expect(errorOf({ topics, pipelines: [{ input: 'nope' }] })).toMatch(/pipelines\.0\.input.*"nope" is not a topic/);
    expect(errorOf({ topics, pipelines: [{ output: 'input' }] })).toMatch(/pipelines\.0\.output.*also the pipeline's input/);
    expect(errorOf({ topics: [topics[0]], pipelines: [{}] })).toMatch(/pipelines\.0\.output.*needs a topic/);
    expect(errorOf({ topics, consumers: [{ subscribe: 'x' }] })).toMatch(/consumers\.0\.subscribe/);
    expect(errorOf({ topics: [topics[0], topics[0]] })).toMatch(/topics\.1\.name.*names two topics/);
    expect(errorOf({ topics, pipelines: [{ 'processing.guarantee': 'exactly_once' }] })).toMatch(/pipelines\.0\.processing\.guarantee/);
    expect(errorOf({ topics, pipelines: [{ colour: 'red' }] })).toMatch(/pipelines\.0.*colour/);
  });
});
