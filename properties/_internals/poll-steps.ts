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
  for (const i of history.objectRows()) {
    const kind = history.kind(i);
    if (kind === 'assign' || kind === 'crash') {
      last.delete(history.process(i));
      continue;
    }
    if (kind !== 'poll') continue;
    const process = history.process(i);
    const t = history.time(i);
    let positions = last.get(process);
    if (positions === undefined) {
      positions = new Map();
      last.set(process, positions);
    }
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const partition = history.recordPartition(k);
      const current: PolledAt = { offset: history.recordOffset(k), value: history.recordValue(k), t };
      const previous = positions.get(partition);
      if (previous !== undefined) visit({ process, partition, previous, current });
      positions.set(partition, current);
    }
  }
}
