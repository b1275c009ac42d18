// The leader's ISR rules as Kafka's Partition has them: a follower at the leader's log end is never
// out of sync (getOutOfSyncReplicas / ReplicaState.isCaughtUp), and the high watermark waits for a
// follower caught up enough to join the ISR (maybeIncrementLeaderHW), unless it is not eligible
// (isReplicaIsrEligible: fenced or of another broker epoch in this broker's metadata, or refused by
// the controller). Driven directly, on a fake environment whose disk writes complete at once.
import { describe, expect, test } from 'vitest';
import type { Message, NodeId } from '../../sim/env.js';
import type { BrokerConfig } from '../../models/config.js';
import { History } from '../../models/history/history-log.js';
import { LeaderRole } from '../../models/replication/leader.js';
import type { AlterPartition, FetchRequest, PartitionMeta } from '../../models/messages.js';
import { batchBytes } from '../../models/replication/records.js';
import { ReplicaCore } from '../../models/replication/replica.js';
import { fakeEnv } from './fake-env.js';
import { logBatch } from './records.js';

const LAG_US = 10_000_000;
const CONFIG: BrokerConfig = {
  minInsyncReplicas: 1, uncleanLeaderElectionEnable: false, replicaLagTimeMaxUs: LAG_US, replicaFetchWaitMaxUs: 0,
  hwCheckpointIntervalUs: 5_000_000, flushMessages: null, flushUs: null, brokerSessionTimeoutUs: 9_000_000,
  eligibleLeaderReplicasEnable: false, truncation: 'leader-epoch', epochFencing: true, truncateOnEpochChange: true, isrJoinPastEpochStart: true,
  producerIdExpirationUs: 86_400_000_000, producerIdExpirationCheckIntervalUs: 600_000_000, logSegmentBytes: 1 << 30,
};

/** The broker epoch the fixture's followers fetch with. */
const FOLLOWER_EPOCH = 7;

/**
 * A leader b1 of epoch 1. `inherited` records of epoch 0 precede the epoch, with the high watermark
 * `staleHw` below their end: a new leader's own, one fetch round late.
 */
function fixture(isr: readonly NodeId[], config: BrokerConfig = CONFIG, inherited = 0, staleHw = 0) {
  let now = 1_000_000;
  // This broker's metadata: which followers are unfenced, with which broker epoch.
  const alive = new Map<NodeId, number>([['b2', FOLLOWER_EPOCH], ['b3', FOLLOWER_EPOCH]]);
  const sent: { to: NodeId; msg: Message }[] = [];
  const env = fakeEnv('b1', () => now, (to, msg) => { sent.push({ to, msg }); });
  const core = new ReplicaCore({ env, id: 'b1', controller: 'c1', config, history: new History(), brokerEpoch: () => 1, meta: () => undefined, aliveBrokerEpoch: (b) => alive.get(b) }, 0);
  core.leaderEpoch = 1;
  core.role = 'leader';
  if (inherited > 0) core.log.append([logBatch(0, 0, inherited)]);
  core.highWatermark = staleHw;
  core.log.assignEpoch(1, inherited);
  const meta: PartitionMeta = { partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 1, isr, elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' };
  const leader = new LeaderRole(core, meta);
  let value = 0;
  return {
    core, leader, sent, alive,
    advance(us: number): void { now += us; },
    produce(count: number): void {
      const values = Array.from({ length: count }, () => value++);
      leader.appendClient({ partition: 0, values, sizeBytes: batchBytes(count, 100), producerId: -1, producerEpoch: -1, baseSequence: -1 }, '1', 30_000_000, () => undefined);
    },
    fetch(replica: NodeId, fetchOffset: number): void {
      const req: FetchRequest = {
        type: 'fetch', partition: 0, replica, brokerEpoch: FOLLOWER_EPOCH, fetchOffset, lastFetchedEpoch: 1, currentLeaderEpoch: 1, maxWaitUs: 0, session: 1,
      };
      leader.onFetch(replica, req);
    },
    alters(): AlterPartition[] {
      return sent.map((s) => s.msg).filter((m): m is AlterPartition => m.type === 'alter-partition');
    },
  };
}

describe('ISR shrink', () => {
  test('a follower at the leader\'s log end stays in the ISR however long ago it last had to catch up', () => {
    const f = fixture(['b1', 'b2', 'b3']);
    f.produce(10);
    f.fetch('b2', 10);
    f.fetch('b3', 10);
    f.advance(3 * LAG_US); // nothing appended meanwhile, and no fetch either
    f.leader.maybeShrinkIsr();
    expect(f.alters()).toEqual([]);
    // Once the log moves on without them, both are out of sync.
    f.produce(1);
    f.leader.maybeShrinkIsr();
    expect(f.alters().map((a) => a.isr)).toEqual([['b1']]);
  });
});

describe('ISR expansion', () => {
  test('a caught-up follower is proposed only once the metadata here holds it unfenced', () => {
    const f = fixture(['b1', 'b2']);
    f.alive.delete('b3');
    f.produce(10);
    f.fetch('b2', 10);
    f.fetch('b3', 10);
    expect(f.alters()).toEqual([]);
    f.alive.set('b3', FOLLOWER_EPOCH);
    f.fetch('b3', 10);
    expect(f.alters().map((a) => a.isr)).toEqual([['b1', 'b2', 'b3']]);
  });
});

describe('KAFKA-7128: joining the ISR past the start of the leader\'s epoch', () => {
  // b1 inherited 10 records of epoch 0, all committed by the previous leader, with a stale HW of 5.
  // b3, outside the ISR, fetches at 5: at the HW, but short of the epoch's start at 10.
  test('with the fix a follower at the stale high watermark is not proposed until it passes the epoch start', () => {
    const f = fixture(['b1', 'b2'], CONFIG, 10, 5);
    f.fetch('b3', 5);
    expect(f.alters()).toEqual([]);
    f.fetch('b3', 10);
    expect(f.alters().map((a) => a.isr)).toEqual([['b1', 'b2', 'b3']]);
  });

  test('without it (before Kafka 2.1) the stale high watermark admits it', () => {
    const f = fixture(['b1', 'b2'], { ...CONFIG, isrJoinPastEpochStart: false }, 10, 5);
    f.fetch('b3', 5);
    expect(f.alters().map((a) => a.isr)).toEqual([['b1', 'b2', 'b3']]);
  });
});

describe('high watermark', () => {
  test('waits for a follower caught up enough to join the ISR, until it has lagged too long', () => {
    const f = fixture(['b1', 'b2']);
    f.produce(10);
    f.fetch('b2', 0);
    f.fetch('b3', 10); // caught up: the leader proposes adding it
    const proposal = f.alters()[0]!;
    expect(proposal.isr).toEqual(['b1', 'b2', 'b3']);
    // The controller answers with a stale-version error: b3 stays out of the ISR, still eligible.
    f.leader.onAlterPartitionResponse({ type: 'alter-partition-resp', partition: 0, error: 'INVALID_UPDATE_VERSION', meta: { partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 1, isr: ['b1', 'b2'], elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' } });
    f.produce(10);
    f.fetch('b2', 20);
    expect(f.core.highWatermark).toBe(10); // b3 (at 10) holds it back: it is about to join
    f.advance(LAG_US + 1);
    f.fetch('b2', 20);
    expect(f.core.highWatermark).toBe(20); // b3 has not caught up for too long
  });

  test('does not wait for a follower the controller refused (INELIGIBLE_REPLICA: fenced)', () => {
    const f = fixture(['b1', 'b2']);
    f.produce(10);
    f.fetch('b2', 0);
    f.fetch('b3', 10);
    f.leader.onAlterPartitionResponse({ type: 'alter-partition-resp', partition: 0, error: 'INELIGIBLE_REPLICA', meta: { partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 1, isr: ['b1', 'b2'], elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' } });
    f.produce(10);
    f.fetch('b2', 20);
    expect(f.core.highWatermark).toBe(20);
  });

  test('does not wait for a follower its metadata holds fenced, nor one fetching with another broker epoch', () => {
    const f = fixture(['b1', 'b2']);
    f.produce(10);
    f.fetch('b2', 0);
    f.fetch('b3', 10);
    // The proposal to add b3 fails on a stale version: b3 stays out, caught up within the lag time.
    f.leader.onAlterPartitionResponse({ type: 'alter-partition-resp', partition: 0, error: 'INVALID_UPDATE_VERSION', meta: { partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 1, isr: ['b1', 'b2'], elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' } });
    f.produce(10);
    f.fetch('b2', 20);
    expect(f.core.highWatermark).toBe(10); // b3 holds it back while eligible
    f.alive.delete('b3'); // the metadata here now holds b3 fenced
    f.fetch('b2', 20);
    expect(f.core.highWatermark).toBe(20);
    // A new incarnation of b3 registered, but these fetches carry the old broker epoch (KIP-903).
    f.alive.set('b3', FOLLOWER_EPOCH + 1);
    f.fetch('b3', 20);
    f.produce(10);
    f.fetch('b2', 30);
    expect(f.core.highWatermark).toBe(30);
    expect(f.alters()).toHaveLength(1); // nor is it proposed for the ISR
  });

  test('an ISR a fence shrank to the leader commits at once: the fenced followers are not waited for', () => {
    // Kafka's controller removes fenced brokers from the ISR and the leader, whose metadata holds
    // them fenced, advances its HW (maybeIncrementLeaderHW from makeLeader): it acknowledges alone.
    const f = fixture(['b1', 'b2', 'b3']);
    f.produce(10);
    f.fetch('b2', 10);
    f.fetch('b3', 10);
    f.produce(10);
    expect(f.core.highWatermark).toBe(10);
    f.alive.clear();
    f.leader.applyMeta({ partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 2, isr: ['b1'], elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' });
    expect(f.core.highWatermark).toBe(20);
  });

  test('a follower outside the ISR that has not fetched under this leader holds nothing back', () => {
    const f = fixture(['b1', 'b2']);
    f.produce(10);
    f.fetch('b2', 10);
    expect(f.core.highWatermark).toBe(10);
  });

  test('a follower whose first fetch is below the high watermark holds nothing back: it is not caught up', () => {
    const f = fixture(['b1', 'b2']);
    f.produce(10);
    f.fetch('b2', 10);
    f.produce(10);
    f.fetch('b3', 5);
    f.fetch('b2', 20);
    expect(f.core.highWatermark).toBe(20);
  });

  test('a new ISR member that has not fetched since holds the high watermark back once it is in the ISR', () => {
    const f = fixture(['b1', 'b2', 'b3']);
    f.produce(10);
    f.fetch('b2', 10);
    expect(f.core.highWatermark).toBe(0);
    f.leader.applyMeta({ partition: 0, leader: 'b1', leaderEpoch: 1, partitionEpoch: 2, isr: ['b1', 'b2'], elr: [], replicas: ['b1', 'b2', 'b3'], lastKnownLeader: 'b1' });
    expect(f.core.highWatermark).toBe(10);
  });
});
