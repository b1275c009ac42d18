// log-divergence: at the end of the run two replicas of a partition hold different records at one
// offset below both their high watermarks: each believes a different record is committed there
// (KIP-101 scenario 2). Down replicas count too: their disk is what they restart from.
import { valueLabel } from '../../models/history/history.js';
import type { ReplicaState } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { recordAt, replicasOf } from '../_internals/replicas.js';
import type { ReplicaRecord } from '../_internals/replicas.js';
import { labelled } from '../_internals/values.js';

interface Holding {
  readonly replica: ReplicaState;
  readonly record: ReplicaRecord;
}

/** Counts divergent (partition, offset) pairs, in partition then offset order. */
export function checkLogDivergence(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('log-divergence', input.options.maxExamples);
  for (const partition of input.finalLogs.keys()) {
    const replicas = replicasOf(input.final, partition);
    if (replicas.length < 2) continue;
    const from = Math.min(...replicas.map((r) => r.logStartOffset));
    const to = Math.max(...replicas.map((r) => r.highWatermark));
    for (let offset = from; offset < to; offset++) {
      const holdings = committedAt(replicas, offset);
      const first = holdings[0];
      if (first === undefined || holdings.every((h) => h.record.value === first.record.value)) continue;
      cases.add(() => ({
        summary:
          `offset ${offset} of partition ${partition} is committed as ` +
          holdings.map((h) => `${valueLabel(h.record.value)} on ${h.replica.node}`).join(' but as '),
        partition,
        offset,
        replicas: holdings.map((h) => ({
          node: h.replica.node,
          up: h.replica.up,
          ...labelled(h.record.value),
          epoch: h.record.epoch,
          highWatermark: h.replica.highWatermark,
        })),
      }));
    }
  }
  return cases.report();
}

/** The records the replicas hold at `offset` below their own high watermark. */
function committedAt(replicas: readonly ReplicaState[], offset: number): Holding[] {
  const holdings: Holding[] = [];
  for (const replica of replicas) {
    if (offset >= replica.highWatermark) continue;
    const record = recordAt(replica, offset);
    if (record !== undefined) holdings.push({ replica, record });
  }
  return holdings;
}
