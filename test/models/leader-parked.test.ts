// A leader's long-polled fetches (Kafka's DelayedFetch in the fetch purgatory): a fetch at the log
// end waits up to its maxWait for records, and is answered either by an append or at its timeout. A
// leader nobody writes to answers every fetch at its timeout; those answered fetches must not stay
// listed (a long run kept thousands a minute per idle leader, each with its request and callback),
// and the ones still waiting are answered as before, in their order.
import { describe, expect, test } from 'vitest';
import type { Message, NodeId } from '../../sim/env.js';
import type { BrokerConfig } from '../../models/config.js';
import { History } from '../../models/history/history-log.js';
import { LeaderRole } from '../../models/replication/leader.js';
import type { FetchRequest, PartitionMeta } from '../../models/messages.js';
import { batchBytes } from '../../models/replication/records.js';
import { ReplicaCore } from '../../models/replication/replica.js';
import { fakeEnv } from './fake-env.js';

const CONFIG: BrokerConfig = {
  minInsyncReplicas: 1, uncleanLeaderElectionEnable: false, replicaLagTimeMaxUs: 30_000_000, replicaFetchWaitMaxUs: 500_000,
  hwCheckpointIntervalUs: 5_000_000, flushMessages: null, flushUs: null, brokerSessionTimeoutUs: 9_000_000,
  eligibleLeaderReplicasEnable: false, truncation: 'leader-epoch', epochFencing: true, truncateOnEpochChange: true, isrJoinPastEpochStart: true,
  producerIdExpirationUs: 86_400_000_000, producerIdExpirationCheckIntervalUs: 600_000_000, logSegmentBytes: 1 << 30,
};
const WAIT_US = 500_000;

/** Leader b1 of epoch 1 (ISR b1, b2, b3) on a fake environment whose timers fire when `advance` passes them. */
function idleLeader() {
  let now = 1_000_000;
  const timers = new Map<number, { at: number; fn: () => void }>();
  let nextTimer = 1;
  const sent: { to: NodeId; msg: Message }[] = [];
  const env = {
    ...fakeEnv('b1', () => now, (to, msg) => { sent.push({ to, msg }); }),
    setTimer: (delay: number, fn: () => void) => { timers.set(nextTimer, { at: now + delay, fn }); return nextTimer++; },
    cancelTimer: (id: number) => { timers.delete(id); },
  } as ReturnType<typeof fakeEnv>;
  const alive = new Map<NodeId, number>([['b2', 7], ['b3', 7]]);
  const core = new ReplicaCore({ env, id: 'b1', controller: 'c1', config: CONFIG, history: new History(), brokerEpoch: () => 1, meta: () => undefined, aliveBrokerEpoch: (b) => alive.get(b) }, 0);
  core.leaderEpoch = 1;
  core.role = 'leader';
  core.log.assignEpoch(1, 0);
  const meta: PartitionMeta = { partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 1, isr: ['b1', 'b2', 'b3'], elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' };
  const leader = new LeaderRole(core, meta);
  let session = 0;
  return {
    leader, sent,
    /** Moves the clock by `us`, firing the timers due on the way, in time order. */
    advance(us: number): void {
      const until = now + us;
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
        if (due === undefined) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = until;
    },
    fetch(replica: NodeId, fetchOffset: number): number {
      const req: FetchRequest = {
        type: 'fetch', partition: 0, replica, brokerEpoch: 7, fetchOffset, lastFetchedEpoch: 1, currentLeaderEpoch: 1, maxWaitUs: WAIT_US, session: ++session,
      };
      leader.onFetch(replica, req);
      return session;
    },
    produce(count: number): void {
      const values = Array.from({ length: count }, (_, i) => i);
      leader.appendClient({ partition: 0, values, sizeBytes: batchBytes(count, 100), producerId: -1, producerEpoch: -1, baseSequence: -1 }, '1', 30_000_000, () => undefined);
    },
    /** Fetches the leader holds (answered or not): a private list, read for this test only. */
    listed(): number {
      return (leader as unknown as { parked: unknown[] }).parked.length;
    },
    answeredSessions(): number[] {
      return sent.map((s) => s.msg).filter((m) => m.type === 'fetch-resp').map((m) => (m as unknown as { session: number }).session);
    },
  };
}

describe('a leader\'s parked fetches', () => {
  test('an idle leader answers each fetch at its timeout and keeps no answered fetch listed', () => {
    const f = idleLeader();
    for (let round = 0; round < 1000; round++) {
      f.fetch('b2', 0);
      f.fetch('b3', 0);
      f.advance(WAIT_US);
    }
    expect(f.answeredSessions()).toHaveLength(2000);
    // Without dropping answered fetches the list held all 2,000.
    expect(f.listed()).toBeLessThan(130);
  });

  test('the fetches still waiting are answered by an append, in the order they came, each once', () => {
    const f = idleLeader();
    for (let round = 0; round < 200; round++) {
      f.fetch('b2', 0);
      f.advance(WAIT_US); // answered at its timeout
    }
    const waiting = [f.fetch('b2', 0), f.fetch('b3', 0)];
    f.advance(WAIT_US / 2);
    const before = f.answeredSessions().length;
    f.produce(1);
    expect(f.answeredSessions().slice(before)).toEqual(waiting);
    f.advance(WAIT_US); // their timeouts pass: nothing is answered twice
    expect(f.answeredSessions()).toHaveLength(202);
    expect(new Set(f.answeredSessions()).size).toBe(202);
  });
});
