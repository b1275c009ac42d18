// Shrunk scripts that once tripped ksim assertions (found by the seed searches of the known-bug
// suite while the model was being written, then fixed in models/). Each must run to the end.
import { describe, expect, test } from 'vitest';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';

const CASES: readonly { name: string; seeds: readonly number[]; raw: Record<string, unknown> }[] = [
  {
    // A truncation undone by a power loss (flush.messages=1 keeps the log, not the truncation) left
    // a follower with an empty epoch its new leader never had: "epoch 1 after 2 goes backwards".
    name: 'three power losses with flush.messages=1', seeds: [5, 25],
    raw: {
      durationMs: 10000, settleMs: 8000, consumers: [],
      broker: { 'min.insync.replicas': 1, 'replica.lag.time.max.ms': 1000, 'broker.session.timeout.ms': 3000, 'flush.messages': 1 },
      faults: { mode: 'script', steps: [
        { atMs: 1970, fault: 'power-loss', node: 'b1' }, { atMs: 7550, fault: 'power-loss', node: 'b2' }, { atMs: 9330, fault: 'power-loss', node: 'b3' },
      ] },
    },
  },
  {
    // The same assertion from crashes alone: a leader of an empty epoch crashed and came back as a follower.
    name: 'leader bounce then the other replica crashes (RF 2, min ISR 2)', seeds: [10],
    raw: {
      durationMs: 10000, settleMs: 8000, brokers: 2, consumers: [],
      broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': true, 'broker.session.timeout.ms': 3000, 'replica.lag.time.max.ms': 1000 },
      faults: { mode: 'script', steps: [
        { atMs: 500, fault: 'crash', node: 'b1' }, { atMs: 700, fault: 'restart', node: 'b1' }, { atMs: 800, fault: 'crash', node: 'b2' },
      ] },
    },
  },
  {
    // A follower cut off from the start kept acks=all requests timing out; the producer's retries
    // piled up timers without bound ("more than 65536 pending timers").
    name: 'a follower cut off from the start under a 1 s request timeout', seeds: [1, 9],
    raw: {
      durationMs: 10000, settleMs: 8000, consumers: [], broker: { 'min.insync.replicas': 2 },
      producers: [{ acks: 'all', 'enable.idempotence': false, 'request.timeout.ms': 1000, 'max.in.flight.requests.per.connection': 5, messagesPerSec: 200 }],
      faults: { mode: 'script', steps: [{ atMs: 0, fault: 'partition', groups: [['p1', 'b1', 'c1', 'b2'], ['b3']] }] },
    },
  },
];

describe('former assertion failures', () => {
  test.each(CASES)('$name', ({ raw, seeds }) => {
    const scenario = parseScenario(raw, 'regression');
    for (const seed of seeds) {
      const out = runScenario(scenario, seed);
      // The run got through its load phase and its settle phase (which ends at quiescence or its cap).
      expect(out.result.settle.startedAtMs).toBe(scenario.durationMs);
      expect(out.result.simulatedMs).toBeGreaterThan(scenario.durationMs);
    }
  });
});
