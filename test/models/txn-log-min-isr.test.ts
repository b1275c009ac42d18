// transaction.state.log.min.isr: Kafka creates `__transaction_state` with its own min.insync.replicas
// (TransactionStateManager's topic configs, default 2), so a cluster whose data topics demand every
// replica (min.insync.replicas = RF) still runs transactions with one transaction-log replica gone.
import { describe, expect, it } from 'vitest';
import { minInsyncReplicasOf, type BrokerConfig, type ClusterLayout } from '../../models/config.js';
import { ops, run, scripted } from './harness.js';

// 4 brokers, one data partition on b1,b2,b3, `__transaction_state` (no consumers: partition 1) on
// b2,b3,b4; b4 crashes at 1 s and stays down, so only the transaction log loses a replica.
const scenario = (txnLogMinIsr: number): Record<string, unknown> => scripted({
  durationMs: 30000, brokers: 4, topic: { partitions: 1, replicationFactor: 3 },
  broker: { 'min.insync.replicas': 3, 'transaction.state.log.min.isr': txnLogMinIsr },
  producers: [{ 'transactional.id': 'tx', messagesPerSec: 50 }],
}, [{ atMs: 1000, fault: 'crash', node: 'b4' }]);

/** Transactions the producer asked to commit between 15 and 29 s, after the transaction log lost b4 (fenced at ~10 s). */
function commitsLate(txnLogMinIsr: number): number {
  const out = run(scenario(txnLogMinIsr), 1);
  return ops(out, 'txn-end').filter((e) => e.commit && e.t >= 15_000_000 && e.t < 29_000_000).length;
}

describe('transaction.state.log.min.isr', () => {
  it('applies to the transaction log partition only, capped at its replicas', () => {
    const config = { minInsyncReplicas: 3, transactionStateLogMinIsr: 2 } as BrokerConfig;
    const layout = { replicas: [['b1', 'b2', 'b3'], ['b2', 'b3', 'b4']], transactionPartition: 1 } as unknown as ClusterLayout;
    expect(minInsyncReplicasOf(config, layout, 0)).toBe(3);
    expect(minInsyncReplicasOf(config, layout, 1)).toBe(2);
    expect(minInsyncReplicasOf({ ...config, transactionStateLogMinIsr: 5 }, layout, 1)).toBe(3);
    expect(minInsyncReplicasOf(config, { ...layout, transactionPartition: null }, 1)).toBe(3);
  });

  it("with Kafka's default of 2, transactions go on after a transaction-log replica is lost; at 3 they stop", () => {
    expect(commitsLate(2)).toBeGreaterThan(10);
    expect(commitsLate(3)).toBe(0);
  });
});
