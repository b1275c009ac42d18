// The leader's high watermark is the smallest log end over the ISR (Kafka's
// Partition.maybeIncrementLeaderHW), and acks=all answers a send only once the high watermark has
// passed it. A mutant putting the high watermark at the largest log end instead (the leader's own)
// passed the randomized safe-region property of safety.test.ts: its fault scripts seldom cut the
// followers off and then crash the leader inside the window where that matters. Here a randomized
// property drives the leader directly, and one scripted run in the safe region hits the window.
import { describe, expect, test as plainTest } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import type { NodeId } from '../../sim/env.js';
import type { BrokerConfig } from '../../models/config.js';
import { History } from '../../models/history/history-log.js';
import { LeaderRole } from '../../models/replication/leader.js';
import type { FetchRequest, PartitionMeta } from '../../models/messages.js';
import { batchBytes } from '../../models/replication/records.js';
import { ReplicaCore } from '../../models/replication/replica.js';
import { fakeEnv } from './fake-env.js';
import { count, ops, run, scripted } from './harness.js';

const LAG_US = 10_000_000;
const CONFIG: BrokerConfig = {
  minInsyncReplicas: 2, uncleanLeaderElectionEnable: false, replicaLagTimeMaxUs: LAG_US, replicaFetchWaitMaxUs: 0,
  hwCheckpointIntervalUs: 5_000_000, flushMessages: null, flushUs: null, brokerSessionTimeoutUs: 9_000_000,
  eligibleLeaderReplicasEnable: false, truncation: 'leader-epoch', epochFencing: true, truncateOnEpochChange: true, isrJoinPastEpochStart: true,
  producerIdExpirationUs: 86_400_000_000, producerIdExpirationCheckIntervalUs: 600_000_000, logSegmentBytes: 1 << 30,
};
const FOLLOWERS = ['b2', 'b3'] as const;
const FOLLOWER_EPOCH = 7;

/** Leader b1 of epoch 1 with ISR b1, b2, b3, on a fake environment whose disk writes complete at once. */
function leaderOfThree() {
  let now = 1_000_000;
  const env = fakeEnv('b1', () => now);
  const alive = new Map<NodeId, number>(FOLLOWERS.map((b) => [b, FOLLOWER_EPOCH]));
  const core = new ReplicaCore({
    env, id: 'b1', controller: 'c1', config: CONFIG, history: new History(), brokerEpoch: () => 1, meta: () => undefined,
    aliveBrokerEpoch: (b) => alive.get(b),
  }, 0);
  core.leaderEpoch = 1;
  core.role = 'leader';
  core.log.assignEpoch(1, 0);
  const meta: PartitionMeta = { partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 1, isr: ['b1', 'b2', 'b3'], elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' };
  const leader = new LeaderRole(core, meta);
  /** Offsets below which acks=all sends were answered (each answer: its batch's end). */
  const acked: number[] = [];
  let next = 0;
  return {
    core, acked,
    advance(us: number): void { now += us; },
    produce(records: number): void {
      const values = Array.from({ length: records }, () => next++);
      const end = next;
      leader.appendClient(
        { partition: 0, values, sizeBytes: batchBytes(records, 100), producerId: -1, producerEpoch: -1, baseSequence: -1 }, 'all', 30_000_000,
        (error) => { if (error === null) acked.push(end); },
      );
    },
    fetch(replica: NodeId, fetchOffset: number): void {
      const req: FetchRequest = {
        type: 'fetch', partition: 0, replica, brokerEpoch: FOLLOWER_EPOCH, fetchOffset, lastFetchedEpoch: 1, currentLeaderEpoch: 1, maxWaitUs: 0, session: 1,
      };
      leader.onFetch(replica, req);
    },
  };
}

type Step = { readonly produce: number } | { readonly follower: 0 | 1; readonly share: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ produce: fc.integer({ min: 1, max: 4 }) }),
  // A fetch at some share of the leader's log end: a follower behind, partly caught up, or at the end.
  fc.record({ follower: fc.constantFrom(0 as const, 1 as const), share: fc.constantFrom(0, 0.25, 0.5, 0.75, 1) }),
);

describe('the leader\'s high watermark, randomized', () => {
  test.prop([fc.array(stepArb, { minLength: 1, maxLength: 40 })], { seed: 20261206, numRuns: 300 })(
    'is the smallest log end over the ISR, never more, and acks=all answers only below it',
    (steps) => {
      const f = leaderOfThree();
      const fetched = [0, 0];
      let expectedHw = 0;
      for (const step of steps) {
        f.advance(1_000); // far below the lag time: nobody leaves the ISR
        if ('produce' in step) f.produce(step.produce);
        else {
          const offset = Math.floor(step.share * f.core.log.logEndOffset);
          fetched[step.follower] = offset;
          f.fetch(FOLLOWERS[step.follower], offset);
        }
        // The HW never moves back (a follower refetching lower does not lower it).
        expectedHw = Math.max(expectedHw, Math.min(f.core.log.logEndOffset, ...fetched));
        expect(f.core.highWatermark).toBe(expectedHw);
        for (const end of f.acked) expect(end).toBeLessThanOrEqual(expectedHw);
      }
      // Every send whose records all sit below the HW has been answered.
      const answered = new Set(f.acked);
      let end = 0;
      for (const step of steps) {
        if (!('produce' in step)) continue;
        end += step.produce;
        if (end <= expectedHw) expect(answered.has(end)).toBe(true);
      }
    },
  );
});

describe('in the safe region', () => {
  // The followers are cut off from the leader (all three still reach the controller), and the
  // leader crashes before the lag time drops them from the ISR: the sends it took meanwhile never
  // reached a follower, so they must not have been acknowledged.
  const followersCutOffThenLeaderCrash = (seed: number) => run(scripted({
    durationMs: 12000, settleMs: 8000,
    broker: { 'min.insync.replicas': 2, 'unclean.leader.election.enable': false },
    producers: [{ acks: 'all', messagesPerSec: 200 }],
  }, [
    { atMs: 2000, fault: 'partition', groups: [['b1', 'p1', 'c1'], ['b2', 'b3', 'c1']] },
    { atMs: 3000, fault: 'crash', node: 'b1' },
    { atMs: 4000, fault: 'heal' },
    { atMs: 6000, fault: 'restart', node: 'b1' },
  ]), seed);

  plainTest.each([1, 2, 3])('followers cut off, then the leader crashes: nothing acknowledged is lost (seed %i)', (seed) => {
    const out = followersCutOffThenLeaderCrash(seed);
    // The run did acknowledge sends before the cut and after the failover: the check is not empty.
    expect(ops(out, 'send-ok').length).toBeGreaterThan(500);
    expect(count(out, 'lost-write')).toBe(0);
    expect(count(out, 'committed-record-lost')).toBe(0);
  });
});
