// A JoinGroup answer dropped by a partition: the consumer asks again once the session timeout has
// passed (rather than waiting max.poll.interval.ms as over TCP, where a late answer still arrives),
// so the group settles and every committed record is polled.
import { expect, test } from 'vitest';
import { loadScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import { count, run } from './harness.js';

test('a consumer whose JoinGroup answer was lost joins again and catches up', () => {
  const out = run({
    durationMs: 5000, settleMs: 12000,
    consumers: [{ count: 1, 'auto.offset.reset': 'earliest', 'session.timeout.ms': 6000 }],
    faults: { mode: 'script', steps: [{ atMs: 3000, fault: 'partition', isolate: ['k1'] }] },
  });
  expect(count(out, 'unseen')).toBe(0);
  expect(out.history.toArray().some((op) => op.kind === 'assign' && op.t > 3_000_000)).toBe(true);
});

test('a reply meant for an earlier incarnation of a client never matches a request of the new one', () => {
  // The default preset at seed 3: k1 restarts while the coordinator holds its old JoinGroup; the
  // coordinator's late answer reached the new process's SyncGroup call when ids restarted at 1.
  const scenario = loadScenario('default');
  const restarted = { ...scenario, producers: scenario.producers.map((p) => ({ ...p, acks: '1' as const, 'enable.idempotence': false })) };
  expect(() => runScenario(restarted, 3)).not.toThrow();
});
