// Generated scenarios of the safe envelope with Kafka's defaults (properties/generated.ts): every draw
// is a valid scenario inside the envelope, and a small sample of them, run, shows no anomaly but
// duplicate-delivery and settles. The long sweep is `npm run bench -- --only generated`.
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import { GENERATED_ALLOWED, generatedSafeScenario, sampleGenerated } from '../../properties/generated.js';

const SEED = Number(process.env['KSIM_PROPERTY_SEED'] ?? 20261205);

describe('generated safe-envelope scenarios', () => {
  test.prop([generatedSafeScenario()], { seed: SEED, numRuns: 300 })('are valid and inside the envelope', (json) => {
    const s = parseScenario(json, 'generated');
    expect(s.topic.replicationFactor).toBeGreaterThanOrEqual(3);
    expect(s.broker['min.insync.replicas']).toBeGreaterThanOrEqual(2);
    expect(s.broker['unclean.leader.election.enable']).toBe(false);
    expect(s.protocol.truncation).toBe('leader-epoch');
    expect(s.settleMs).toBeUndefined();
    for (const p of s.producers) expect([p.acks, p['enable.idempotence']]).toEqual(['all', true]);
    for (const k of s.consumers) expect(k.commit).toBe('after-process');
    const kinds = s.faults.mode === 'random' ? s.faults.kinds : s.faults.steps.map((step) => step.fault);
    if (kinds.includes('power-loss')) expect(s.broker['flush.messages']).toBe(1);
    expect(s.allowedAnomalies).toEqual([...GENERATED_ALLOWED]);
  });

  test('random faults come with and without swarm, at count and role targets', () => {
    const random = sampleGenerated(300, SEED).map((json) => parseScenario(json, 'generated').faults).filter((f) => f.mode === 'random');
    expect(new Set(random.map((f) => f.swarm))).toEqual(new Set([true, false]));
    expect(new Set(random.flatMap((f) => f.targets))).toEqual(new Set(['any', 'one', 'minority', 'leader', 'followers', 'isr', 'controller']));
  });

  test('a sample of them, run, shows no anomaly but duplicate-delivery, and every run settles', () => {
    const sample = sampleGenerated(8, SEED, { durationMs: { min: 5000, max: 10_000 }, maxRate: 200 });
    for (const [i, json] of sample.entries()) {
      const { result } = runScenario(parseScenario(json, `generated #${i}`), i + 1);
      const problems = [...result.unexpected, ...result.liveness.filter((l) => !l.allowed).map((l) => `${l.type}: ${l.problems.join('; ')}`)];
      expect({ i, problems }).toEqual({ i, problems: [] });
    }
  });
});
