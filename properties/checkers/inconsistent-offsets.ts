// inconsistent-offsets: polls of one (partition, offset) returned different values over the run,
// i.e. the log was rewritten below what a consumer had already read. The same value polled twice
// at one offset (a re-read after a rebalance) is consistent.
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history.js';
import type { Value } from '../../models/history.js';
import type { History } from '../../models/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { capped, labelled } from '../_internals/values.js';

interface Observation {
  readonly value: Value;
  readonly process: NodeId;
  readonly t: Micros;
}

/** First reader of an offset, plus the first reader of every other value seen there. */
interface OffsetReads {
  readonly first: Observation;
  others: Observation[] | null;
}

interface Conflict {
  readonly partition: number;
  readonly offset: number;
  readonly reads: OffsetReads;
}

/** Counts (partition, offset) pairs, in the order their conflict first showed. */
export function checkInconsistentOffsets(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('inconsistent-offsets', input.options.maxExamples);
  for (const { partition, offset, reads } of findConflicts(input.history)) {
    const observations = [reads.first, ...(reads.others ?? [])];
    cases.add(() => ({
      summary:
        `offset ${offset} of partition ${partition} was read as ` +
        capped(observations).map((o) => `${valueLabel(o.value)} (${o.process} at ${o.t}µs)`).join(', then '),
      partition,
      offset,
      distinctValues: observations.length,
      reads: capped(observations).map((o) => ({ ...labelled(o.value), process: o.process, atUs: o.t })),
    }));
  }
  return cases.report();
}

function findConflicts(history: History): Conflict[] {
  const byPartition = new Map<number, Map<number, OffsetReads>>();
  const conflicts: Conflict[] = [];
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'poll') continue;
    const process = history.process(i);
    const t = history.time(i);
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const partition = history.recordPartition(k);
      const offset = history.recordOffset(k);
      const value = history.recordValue(k);
      let offsets = byPartition.get(partition);
      if (offsets === undefined) {
        offsets = new Map();
        byPartition.set(partition, offsets);
      }
      const reads = offsets.get(offset);
      const observation = { value, process, t };
      if (reads === undefined) {
        offsets.set(offset, { first: observation, others: null });
      } else if (reads.first.value !== value && reads.others?.some((o) => o.value === value) !== true) {
        if (reads.others === null) {
          reads.others = [];
          conflicts.push({ partition, offset, reads });
        }
        reads.others.push(observation);
      }
    }
  }
  return conflicts;
}
