// Transactions end to end: transactional producers, the coordinator on the leader of
// __transaction_state, markers, the last stable offset and read_committed consumers, judged by the
// checkers; coordinator failover, zombie fencing, the coordinator's timeout abort, and a delayed
// EndTxn of an earlier transaction with KIP-890 part 2 off (KAFKA-17754) and on; the final log of
// Raft-replicated partitions with transactions.
import { describe, expect, it } from 'vitest';
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import type { FinalState } from '../../models/history/history.js';
import { FIRST_TRANSACTIONAL_PRODUCER_ID } from '../../models/transactions/txn-coordinator.js';
import type { EndTxn, TxnInitProducerId, AddPartitionsToTxn } from '../../models/transactions/txn-messages.js';
import { checkAll } from '../../properties/check.js';
import { buildRun } from '../../scenario/build.js';
import { finalState } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import { answerListOffsets } from '../../models/replication/list-offsets.js';
import { anomalyTypes, ops, records, run } from './harness.js';

const TXN = {
  durationMs: 8000, settleMs: 30000, topic: { partitions: 2 }, broker: { 'min.insync.replicas': 2 },
  producers: [{ 'transactional.id': 'tx', abortProbability: 0.3 }],
  consumers: [{ 'isolation.level': 'read_committed', commit: 'after-process', 'auto.offset.reset': 'earliest' }],
  faults: { mode: 'none' },
};

describe('transactions on a healthy cluster', () => {
  const out = run(TXN, 3);

  it('commits and aborts, writes a marker per partition per transaction, and read_committed never returns an aborted record', () => {
    expect(out.result.anomalies).toEqual([]);
    expect(out.result.liveness).toEqual([]);
    const ends = ops(out, 'txn-end');
    expect(ends.filter((e) => e.commit).length).toBeGreaterThan(30);
    expect(ends.filter((e) => !e.commit).length).toBeGreaterThan(5);
    const markers = records(out, 'txn-markers');
    expect(markers.length).toBe(ends.length);
    expect(ops(out, 'send-fail').every((op) => op.error === 'TRANSACTION_ABORTED')).toBe(true);
  });

  it('the final log leaves out control records and aborted transactions', () => {
    const leader = out.final.replicas.find((r) => r.partition === 0 && r.isLeader)!;
    expect(leader.txn?.control.length).toBeGreaterThan(30);
    expect(leader.txn?.aborted.length).toBeGreaterThan(0);
    expect(leader.txn?.open).toEqual([]);
  });

  it('a read_uncommitted consumer reads the aborted records: aborted-read', () => {
    const uncommitted = run({ ...TXN, consumers: [{ ...TXN.consumers[0], 'isolation.level': 'read_uncommitted' }] }, 3);
    expect(anomalyTypes(uncommitted)).toEqual(['aborted-read']);
  });

  it('is deterministic', () => {
    expect(run(TXN, 3).result.traceHash).toBe(out.result.traceHash);
  });
});

// Found by the generated scenarios: a Raft replica's final state lacked the transactional offsets, so
// the final log counted commit markers (and aborted records) as committed data: unseen, lost-delivery,
// poll-skip and, the markers all carrying one value, duplicate.
describe('transactions over Raft-replicated partitions on a healthy cluster', () => {
  const raft = run({ ...TXN, protocol: { replication: 'raft' } }, 3);

  it('the final log leaves out control records and aborted transactions, as with ISR', () => {
    const leader = raft.final.replicas.find((r) => r.partition === 0 && r.isLeader)!;
    expect(leader.txn?.control.length).toBeGreaterThan(10);
    expect(leader.txn?.aborted.length).toBeGreaterThan(0);
    expect(raft.result.anomalies).toEqual([]);
    expect(raft.result.liveness).toEqual([]);
  });
});

describe('transactions under faults', () => {
  it('the coordinator fails over with the leadership of __transaction_state, and transactions go on', () => {
    // __transaction_state is partition 3 (two data partitions, then the offsets partition); its first leader is b1.
    const out = run({ ...TXN, durationMs: 15000, faults: { mode: 'script', steps: [{ atMs: 4000, fault: 'crash', node: 'b1' }, { atMs: 9000, fault: 'restart', node: 'b1' }] } }, 3);
    expect(out.result.anomalies).toEqual([]);
    const loads = records(out, 'txn-coordinator-load');
    expect(new Set(loads.map((r) => r.node)).size).toBeGreaterThan(1);
    const commitsAfter = ops(out, 'txn-end').filter((e) => e.commit && e.t > 6_000_000);
    expect(commitsAfter.length).toBeGreaterThan(10);
  });
});

/** A test node that sends scripted messages to every broker (only the coordinator acts on them). */
class Injector implements Actor {
  constructor(private readonly env: Env, private readonly brokers: readonly NodeId[], private readonly script: readonly { atUs: number; msg: (id: number) => Message }[]) {}
  start(): void {
    this.script.forEach(({ atUs, msg }, i) => this.env.setTimer(atUs, () => {
      for (const b of this.brokers) this.env.send(b, msg(900_000 + i));
    }));
  }
  receive(): void {}
}

/** A run with an injector node added; the load phase and then a quiet minute, judged without the drain. */
function runWithInjector(raw: Record<string, unknown>, script: readonly { atUs: number; msg: (id: number) => Message }[], seed = 1) {
  const s = parseScenario(raw, 'inject');
  const built = buildRun(s, seed, { recordTrace: true });
  built.world.addNode('x1', (env) => new Injector(env, built.layout.brokers, script));
  built.faults.schedule();
  built.world.start();
  built.world.runUntil(built.durationUs + 70_000_000);
  const final: FinalState = finalState(built);
  return { built, final, anomalies: checkAll(built.history, final, { consumers: false }).map((a) => a.type) };
}

describe('fencing and timeouts', () => {
  it('a new instance with the same transactional.id fences the old one, which starts over as a new instance', () => {
    const init = (id: number): TxnInitProducerId => ({ type: 'txn-init-producer-id', id, transactionalId: 'tx', timeoutUs: 60_000_000, producerId: -1, producerEpoch: -1 });
    const { built, anomalies } = runWithInjector({ ...TXN, consumers: [] }, [{ atUs: 3_000_000, msg: init }]);
    expect(anomalies).toEqual([]);
    const trace = built.world.trace.records ?? [];
    expect(trace.some((r) => r.kind === 'txn-fenced' && r.node === 'p1')).toBe(true);
    expect(trace.filter((r) => r.kind === 'txn-init' && r.node === 'p1').length).toBeGreaterThanOrEqual(2);
  });

  it('the coordinator fences and aborts a transaction open past transaction.timeout.ms', () => {
    const pid = FIRST_TRANSACTIONAL_PRODUCER_ID + 1; // the zombie's id comes after p1's
    const script = [
      { atUs: 1_000_000, msg: (id: number): TxnInitProducerId => ({ type: 'txn-init-producer-id', id, transactionalId: 'zombie', timeoutUs: 5_000_000, producerId: -1, producerEpoch: -1 }) },
      { atUs: 1_500_000, msg: (id: number): AddPartitionsToTxn => ({ type: 'add-partitions-to-txn', id, transactionalId: 'zombie', producerId: pid, producerEpoch: 0, partitions: [0] }) },
    ];
    const { built } = runWithInjector({ ...TXN, consumers: [] }, script);
    const trace = built.world.trace.records ?? [];
    const timeout = trace.find((r) => r.kind === 'txn-timeout');
    expect(timeout).toMatchObject({ transactionalId: 'zombie' });
    expect(timeout!.t).toBeGreaterThan(6_500_000);
    expect(trace.some((r) => r.kind === 'txn-state' && r.transactionalId === 'zombie' && r.to === 'CompleteAbort' && r.producerEpoch === 1)).toBe(true);
  });
});

describe('KAFKA-17754: a delayed EndTxn of an earlier transaction', () => {
  // Copies of p1's commit EndTxn (epoch 0: its epoch in every transaction before KIP-890 part 2, and
  // the epoch of its first transaction with it), arriving late, every 7 ms for a second: some land
  // while a later transaction is open. The application aborts half of its transactions.
  const delayedCommits = Array.from({ length: 140 }, (_, i) => ({
    atUs: 3_000_000 + i * 7_000,
    msg: (id: number): EndTxn => ({ type: 'end-txn', id, transactionalId: 'tx', producerId: FIRST_TRANSACTIONAL_PRODUCER_ID, producerEpoch: 0, commit: true }),
  }));
  const scenario = (bump: boolean) => ({ ...TXN, protocol: { transactionEpochBump: bump }, producers: [{ 'transactional.id': 'tx', abortProbability: 0.5 }] });

  it('without KIP-890 part 2 it commits a later, open transaction: read_committed reads records their producer never asked to commit', () => {
    const { anomalies } = runWithInjector(scenario(false), delayedCommits);
    expect(anomalies).toContain('intermediate-read');
  });

  it('with KIP-890 part 2 the delayed EndTxn carries an old epoch and is fenced', () => {
    const { anomalies, built } = runWithInjector(scenario(true), delayedCommits);
    expect(anomalies).toEqual([]);
    expect(ops({ history: built.history } as never, 'txn-end').length).toBeGreaterThan(30);
  });
});

// Found by the generated scenarios: ListOffsets answered `latest` with the high watermark whatever the
// isolation level, so a read_committed consumer that reset while a transaction was open started past
// its records and never read them once committed. Kafka's Partition.fetchOffsetForTimestamp answers a
// read_committed `latest` with the last stable offset.
describe('ListOffsets latest for a read_committed consumer', () => {
  // A leader in epoch 1 (its epoch starts at 0) with high watermark 9 and a transaction open from offset 3.
  const core = (firstUnstable: number | null) => ({
    partition: 0, leaderEpoch: 1, highWatermark: 9,
    log: { startOffsetOf: () => 0, epochs: [{ epoch: 1, startOffset: 0 }] },
    producers: { firstUnstableOffset: () => firstUnstable },
  }) as unknown as Parameters<typeof answerListOffsets>[0];
  const latest = (readCommitted: boolean, firstUnstable: number | null) => answerListOffsets(core(firstUnstable), true, {
    type: 'list-offsets', id: 1, partition: 0, currentLeaderEpoch: 1, timestamp: 'latest', ...(readCommitted ? { readCommitted: true as const } : {}),
  }).offset;

  it('is the last stable offset for read_committed, the high watermark for read_uncommitted', () => {
    expect(latest(true, 3)).toBe(3);
    expect(latest(false, 3)).toBe(9);
    expect(latest(true, null)).toBe(9);
  });
});
