// inconsistent-offsets: over the run, the history learned two different values at one offset of a
// partition, i.e. the log was rewritten below what a client had been told or had read. What the
// history knows of an offset comes from every source Jepsen's version order uses: the records polls
// returned (at their offsets), and acknowledged sends (send-ok carries the offset the leader
// assigned). An unknown-outcome send (send-info) carries no offset, in ksim as in Kafka (a timeout
// has none, and an error response's base offset is -1); once a poll returns its value, that read is
// the proof it was committed, and the read's offset is what the history knows. The same value twice
// at one offset (a re-read after a rebalance, the ack and the read of one record) is consistent.
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history/history.js';
import type { Value } from '../../models/history/history.js';
import type { History } from '../../models/history/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { OffsetTable } from '../_internals/offset-table.js';
import { capped, labelled } from '../_internals/values.js';

type Source = 'ack' | 'poll';

interface Observation {
  readonly value: Value;
  readonly source: Source;
  readonly process: NodeId;
  readonly t: Micros;
}

interface Conflict {
  readonly partition: number;
  readonly offset: number;
  /** The first observation, then the first of every other value learned there. */
  readonly observations: Observation[];
}

/** Per partition: the first value learned at each offset, and the history row that taught it. */
interface Known {
  readonly values: OffsetTable;
  readonly rows: OffsetTable;
  /** offset → its conflict, once it has one. */
  conflicts: Map<number, Conflict> | null;
}

/** Counts (partition, offset) pairs, in the order their conflict first showed. */
export function checkInconsistentOffsets(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('inconsistent-offsets', input.options.maxExamples);
  for (const { partition, offset, observations } of findConflicts(input.history)) {
    cases.add(() => ({
      summary:
        `offset ${offset} of partition ${partition} was ` +
        capped(observations).map((o) => `${o.source === 'ack' ? 'acknowledged to' : 'read by'} ${o.process} as ${valueLabel(o.value)} at ${o.t}µs`).join(', then '),
      partition,
      offset,
      distinctValues: observations.length,
      observations: capped(observations).map((o) => ({ ...labelled(o.value), source: o.source, process: o.process, atUs: o.t })),
    }));
  }
  return cases.report();
}

function findConflicts(history: History): Conflict[] {
  const byPartition = new Map<number, Known>();
  const conflicts: Conflict[] = [];
  const denseLimit = 4 * history.length + 4096;
  const learn = (row: number, partition: number, offset: number, value: Value): void => {
    let known = byPartition.get(partition);
    if (known === undefined) {
      known = { values: new OffsetTable(denseLimit), rows: new OffsetTable(denseLimit), conflicts: null };
      byPartition.set(partition, known);
    }
    const first = known.values.get(offset);
    if (first === value) return;
    if (Number.isNaN(first)) {
      known.values.set(offset, value);
      known.rows.set(offset, row);
      return;
    }
    const conflict = known.conflicts?.get(offset);
    if (conflict === undefined) {
      const c: Conflict = { partition, offset, observations: [observation(history, known.rows.get(offset), first), observation(history, row, value)] };
      (known.conflicts ??= new Map()).set(offset, c);
      conflicts.push(c);
    } else if (!conflict.observations.some((o) => o.value === value)) {
      conflict.observations.push(observation(history, row, value));
    }
  };
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-ok') learn(i, history.partition(i), history.offset(i), history.value(i));
    else if (kind === 'poll') {
      for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
        learn(i, history.recordPartition(k), history.recordOffset(k), history.recordValue(k));
      }
    }
  }
  return conflicts;
}

function observation(history: History, row: number, value: Value): Observation {
  return { value, source: history.kind(row) === 'send-ok' ? 'ack' : 'poll', process: history.process(row), t: history.time(row) };
}
