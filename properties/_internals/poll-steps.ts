// Walks each consumer's polls partition by partition and hands every pair of successive polled
// records to a visitor. Shared by nonmonotonic-poll and poll-skip, which judge the same pairs.
import type { Micros, NodeId } from '../../sim/env.js';
import type { Value } from '../../models/history.js';
import type { History } from '../../models/history-log.js';

export interface PolledAt {
  readonly offset: number;
  readonly value: Value;
  readonly t: Micros;
}

export interface PollStep {
  readonly process: NodeId;
  readonly partition: number;
  readonly previous: PolledAt;
  readonly current: PolledAt;
}

/**
 * Calls `visit` for every record a consumer polled after an earlier record of the same partition,
 * within one poll and across polls. An `assign` of the consumer forgets its positions (a rebalance
 * legitimately restarts from the committed offset), and so does a `crash` of it: the restarted
 * consumer resumes from the committed offset too, even if the model records no assign for it.
 */
export function forEachPollStep(history: History, visit: (step: PollStep) => void): void {
  const last = new Map<NodeId, Map<number, PolledAt>>();
  for (const op of history.objectOps()) {
    if (op.kind === 'assign' || op.kind === 'crash') {
      last.delete(op.process);
      continue;
    }
    if (op.kind !== 'poll') continue;
    let positions = last.get(op.process);
    if (positions === undefined) {
      positions = new Map();
      last.set(op.process, positions);
    }
    for (const record of op.records) {
      const current: PolledAt = { offset: record.offset, value: record.value, t: op.t };
      const previous = positions.get(record.partition);
      if (previous !== undefined) visit({ process: op.process, partition: record.partition, previous, current });
      positions.set(record.partition, current);
    }
  }
}
