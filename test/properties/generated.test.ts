// Generated scenarios of the safe envelope with Kafka's defaults (properties/generated.ts): every draw
// is a valid scenario inside the envelope (transactions, Raft partitions and controller quorums among
// them), and a small sample of them, run, shows no anomaly but duplicate-delivery and settles (the
// liveness the envelope allows aside: a quorum with transactions may send nothing). The long sweep
// is `npm run bench -- --only generated`.
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import { generatedAllowed, generatedSafeScenario, sampleGenerated } from '../../properties/generated.js';

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
    const transactional = s.producers.some((p) => p['transactional.id'] !== null);
    // With transactions every consumer reads committed data only (read_uncommitted reads aborted records by design).
    if (transactional) for (const k of s.consumers) expect(k['isolation.level']).toBe('read_committed');
    expect(new Set(s.producers.map((p) => p['transactional.id']).filter((id) => id !== null)).size)
      .toBe(s.producers.filter((p) => p['transactional.id'] !== null).length);
    const kinds = s.faults.mode === 'random' ? s.faults.kinds : s.faults.steps.map((step) => step.fault);
    // Power loss only where every write that counts is fsynced: raft.fsync off with power loss is outside the envelope.
    if (kinds.includes('power-loss')) {
      expect(s.raft.fsync).toBe(true);
      if (s.protocol.replication === 'isr') expect(s.broker['flush.messages']).toBe(1);
    }
    expect(s.allowedAnomalies).toEqual(generatedAllowed(s.controllers, transactional));
  });

  test('random faults come with and without swarm, at count and role targets', () => {
    const random = sampleGenerated(300, SEED).map((json) => parseScenario(json, 'generated').faults).filter((f) => f.mode === 'random');
    expect(new Set(random.map((f) => f.swarm))).toEqual(new Set([true, false]));
    expect(new Set(random.flatMap((f) => f.targets))).toEqual(new Set(['any', 'one', 'minority', 'leader', 'followers', 'isr', 'controller']));
  });

  test('draws transactions, Raft partitions (fsync on and off) and controller quorums, alone and together', () => {
    const drawn = sampleGenerated(300, SEED).map((json) => parseScenario(json, 'generated'));
    const txn = drawn.filter((s) => s.producers.some((p) => p['transactional.id'] !== null));
    expect(new Set(drawn.map((s) => s.protocol.replication))).toEqual(new Set(['isr', 'raft']));
    expect(new Set(drawn.map((s) => s.controllers))).toEqual(new Set([1, 3, 5]));
    expect(new Set(drawn.filter((s) => s.protocol.replication === 'raft').map((s) => s.raft.fsync))).toEqual(new Set([true, false]));
    expect(new Set(txn.map((s) => s.protocol.replication))).toEqual(new Set(['isr', 'raft']));
    expect(txn.some((s) => s.controllers > 1)).toBe(true);
    expect(new Set(txn.flatMap((s) => s.producers.map((p) => p.abortProbability)))).toContain(0.5);
    expect(drawn.some((s) => s.consumers.some((k) => k['isolation.level'] === 'read_committed') && !txn.includes(s))).toBe(true);
    expect(new Set(drawn.map((s) => s.network.partitionMode))).toEqual(new Set(['drop', 'retransmit']));
  });

  test('a sample of them, run, shows no anomaly but duplicate-delivery, and every run settles (a quorum with transactions may send nothing)', () => {
    const sample = sampleGenerated(8, SEED, { durationMs: { min: 5000, max: 10_000 }, maxRate: 200 });
    for (const [i, json] of sample.entries()) {
      const { result } = runScenario(parseScenario(json, `generated #${i}`), i + 1);
      const problems = [...result.unexpected, ...result.liveness.filter((l) => !l.allowed).map((l) => `${l.type}: ${l.problems.join('; ')}`)];
      expect({ i, problems }).toEqual({ i, problems: [] });
    }
  });
});
