// Properties over generated scenarios: the arbitraries only generate what parseScenario accepts, any
// valid scenario runs without a ksim assertion, and in the safe region (RF ≥ 3, acks=all, min ISR ≥
// 2, no unclean election, leader-epoch truncation, idempotence, no power loss) nothing acknowledged
// is lost, duplicated or reordered. The fast-check seed is fixed so the suite is reproducible; set
// KSIM_PROPERTY_SEED to explore others (a failure prints its seed and shrunk counterexample).
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { validateStep } from '../../sim/fault-check.js';
import { runScenario } from '../../scenario/run.js';
import { drainCapMs } from '../../scenario/settle-cap.js';
import { parseScenario, scenarioNodes } from '../../scenario/schema.js';
import type { ScenarioJson } from '../../properties/arbitraries.js';
import {
  SAFETY_ANOMALIES, SAFE_FAULT_KINDS, deliveryAnomaliesOf, faultScript, safeScenario, scenarioJson, scriptNodesOf,
} from '../../properties/arbitraries.js';

const SEED = Number(process.env['KSIM_PROPERTY_SEED'] ?? 20261121);
const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });

function nodesOf(json: ScenarioJson): Set<string> {
  const nodes = scenarioNodes(json);
  return new Set([...nodes.brokers, ...nodes.controllers, ...nodes.producers.map((p) => p.id), ...nodes.consumers.map((k) => k.id)]);
}

describe('arbitraries', () => {
  test.prop([scenarioJson()], { seed: SEED, numRuns: 300 })('every generated scenario is valid and keeps its settings', (json) => {
    const scenario = parseScenario(json, 'generated');
    expect(scenario.brokers).toBe(json.brokers);
    expect(scenario.topic.replicationFactor).toBeLessThanOrEqual(scenario.brokers);
    expect(scenario.broker['min.insync.replicas']).toBeLessThanOrEqual(scenario.topic.replicationFactor);
    expect(scenario.faults.mode).toBe(json.faults.mode);
    scenario.producers.forEach((p, i) => {
      const asked = json.producers[i]?.['enable.idempotence'];
      if (asked !== undefined) expect(p['enable.idempotence']).toBe(asked);
      if (p['enable.idempotence']) expect(p.acks).toBe('all');
    });
  });

  test.prop([fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 20000 })], { seed: SEED, numRuns: 200 })(
    'fault scripts are in time order, name only known nodes, and undo every fault',
    (brokers, consumers, durationMs) => {
      const counts = { brokers, producers: [{ count: 1 }], consumers: Array.from({ length: consumers }, () => ({ count: 1 })) };
      const nodes = scriptNodesOf(counts);
      const known = new Set([...nodes.crashable, ...nodes.partitionable]);
      const [steps] = fc.sample(faultScript(nodes, { durationMs, maxEpisodes: 8 }), { seed: durationMs, numRuns: 1 });
      expect(steps).toBeDefined();
      steps!.forEach((step, i) => {
        expect(() => validateStep(step, (id) => known.has(id))).not.toThrow();
        if (i > 0) expect(step.atMs).toBeGreaterThanOrEqual(steps![i - 1]!.atMs);
      });
      const opens = steps!.filter((s) => ['partition', 'crash', 'power-loss', 'pause'].includes(s.fault)).length
        + steps!.filter((s) => ('factor' in s && s.factor !== 1) || ('offsetMs' in s && s.offsetMs !== 0)).length;
      const undos = steps!.filter((s) => ['heal', 'restart', 'resume'].includes(s.fault)).length
        + steps!.filter((s) => ('factor' in s && s.factor === 1) || ('offsetMs' in s && s.offsetMs === 0)).length;
      expect(undos).toBe(opens);
      expect(steps!.filter((s) => s.atMs >= durationMs && !['heal', 'restart', 'resume'].includes(s.fault) && !('factor' in s && s.factor === 1) && !('offsetMs' in s && s.offsetMs === 0))).toEqual([]);
    },
  );

  test.prop([safeScenario], { seed: SEED, numRuns: 200 })('safe scenarios stay in the safe region', (json) => {
    const s = parseScenario(json, 'safe');
    expect(s.topic.replicationFactor).toBeGreaterThanOrEqual(3);
    expect(s.broker['min.insync.replicas']).toBeGreaterThanOrEqual(2);
    expect(s.broker['unclean.leader.election.enable']).toBe(false);
    expect(s.protocol.truncation).toBe('leader-epoch');
    for (const p of s.producers) expect([p.acks, p['enable.idempotence']]).toEqual(['all', true]);
    if (s.producers.some((p) => p['transactional.id'] !== null)) for (const k of s.consumers) expect(k['isolation.level']).toBe('read_committed');
    expect(s.faults.mode).toBe('script');
    for (const step of s.faults.steps) {
      expect(step.fault).not.toBe('power-loss');
      if ('node' in step) expect(nodesOf(json).has(step.node)).toBe(true);
    }
    expect(SAFE_FAULT_KINDS).not.toContain('power-loss');
    const explained = new Set(s.consumers.flatMap((k) => deliveryAnomaliesOf(k.commit)));
    expect(new Set(s.allowedAnomalies)).toEqual(explained);
  });
});

describe('runs', () => {
  test.prop([scenarioJson({ durationMs: { min: 500, max: 3000 }, settleMs: { min: 2000, max: 4000 } }), seedArb], { seed: SEED, numRuns: 40 })(
    'any valid scenario runs to the end without a ksim assertion, and twice gives the same trace hash',
    (json, seed) => {
      const scenario = parseScenario(json, 'generated');
      const first = runScenario(scenario, seed);
      // The run ends once quiescent and drained: no later than the settle cap plus the drain's bound.
      expect(first.result.settle.startedAtMs).toBe(json.durationMs);
      expect(first.result.simulatedMs).toBeLessThanOrEqual(json.durationMs + json.settleMs + drainCapMs(scenario));
      expect(runScenario(scenario, seed).result.traceHash).toBe(first.result.traceHash);
    },
  );

  test.prop([safeScenario, seedArb], { seed: SEED, numRuns: 150 })(
    'in the safe region nothing acknowledged is lost, duplicated or reordered, and replicas agree',
    (json, seed) => {
      const out = runScenario(parseScenario(json, 'safe'), seed);
      const unsafe = out.result.anomalies.filter((a) => SAFETY_ANOMALIES.includes(a.type));
      expect(unsafe.map((a) => `${a.type}: ${a.examples[0]?.summary ?? ''}`)).toEqual([]);
    },
  );
});
