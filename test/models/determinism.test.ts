// Determinism of the whole system, not only the kernel: the full model (brokers, controller,
// idempotent producer, consumer group) under every fault kind and target (the swarm nemesis's
// defaults, roles included) and the chaos knobs, each seed run
// twice, gives the same trace hash, event count and verdict; different seeds give different runs.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';

const scenario = parseScenario({
  durationMs: 15000, settleMs: 8000, brokers: 4, topic: { partitions: 2, replicationFactor: 3 },
  producers: [{ messagesPerSec: 200 }, { acks: '1', messagesPerSec: 100 }],
  consumers: [{ count: 2, commit: 'after-process', 'session.timeout.ms': 6000 }],
  network: { dropProbability: 0.001, duplicateProbability: 0.001, reorderProbability: 0.001 },
  disk: { tornWrites: true },
  faults: { mode: 'random', meanIntervalMs: 1500 },
}, 'determinism');

describe('determinism', () => {
  test('every seed gives the same trace hash on a second run; seeds differ from each other', () => {
    const hashes = new Set<string>();
    const drawn = new Set<string>();
    for (let seed = 1; seed <= 8; seed++) {
      const first = runScenario(scenario, seed).result;
      const second = runScenario(scenario, seed).result;
      expect(second.traceHash).toBe(first.traceHash);
      expect(second.events).toBe(first.events);
      expect(second.anomalies).toEqual(first.anomalies);
      expect(first.faults).toBeGreaterThan(0);
      expect(second.nemesis).toEqual(first.nemesis);
      hashes.add(first.traceHash);
      for (const target of first.nemesis?.targets ?? []) drawn.add(target);
    }
    expect(hashes.size).toBe(8);
    // The default nemesis is swarm testing over every default target: the roles are covered too.
    expect([...drawn].sort()).toEqual(['any', 'controller', 'followers', 'isr', 'leader']);
  });

  test('recording the full trace does not change the run', () => {
    const plain = runScenario(scenario, 3).result;
    const recorded = runScenario(scenario, 3, { recordTrace: true });
    expect(recorded.result.traceHash).toBe(plain.traceHash);
    expect(recorded.trace?.length).toBeGreaterThan(1000);
  });
});
