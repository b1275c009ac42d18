// lost-delivery: a group's committed offset passed a record the application never processed
// (at-most-once: commit before process, then a crash). Per group and partition the reference is
// the last successful commit by time; the records are those of the final committed log below it,
// less what a recorded reset of one of the group's consumers explains:
//
// - offsets a reset jumped over (from its `from`, or from the log's start when the consumer had no
//   position, up to its `to`): that is auto.offset.reset doing what it was configured to do, not a
//   lost delivery;
// - offsets at or above the `to` of a reset made after the last commit: the consumer moved back
//   below its group's commit (KIP-320 truncation detection, or an out-of-range reset after a
//   truncation), so the commit was made against a log that no longer holds what it covered, and
//   the records the final log has there now are not what it vouched for. The truncation itself is
//   lost-write / committed-record-lost / inconsistent-offsets, not a lost delivery too.
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history/history.js';
import type { HistoryOp } from '../../models/history/history.js';
import type { History } from '../../models/history/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { ConsumerGroups } from '../_internals/groups.js';
import { finalLogOf, recordsBetween } from '../final-log.js';
import { ValueSet } from '../_internals/value-set.js';
import { finalLogFields, labelled } from '../_internals/values.js';

interface Commit {
  readonly offset: number;
  readonly process: NodeId;
  readonly t: Micros;
  readonly row: number;
}

interface Reset {
  readonly from: number | null;
  readonly to: number;
  readonly t: Micros;
  readonly row: number;
}

/** What the group's consumers did: the values they processed and the resets they recorded. */
interface Deliveries {
  readonly processed: Map<string, ValueSet>;
  /** Values processed by consumers not yet known to be in a group: they count for every group. */
  readonly ungrouped: ValueSet;
  /** group → partition → resets, in history order. */
  readonly resets: Map<string, Map<number, Reset[]>>;
}

type ResetOp = Extract<HistoryOp, { kind: 'reset' }>;

/** Counts (group, record) pairs, in group, partition, then offset order. */
export function checkLostDelivery(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('lost-delivery', input.options.maxExamples);
  const deliveries = deliveriesOf(input.history);
  for (const [group, commits] of lastCommits(input.history)) {
    const done = deliveries.processed.get(group);
    for (const [partition, commit] of commits) {
      const resets = deliveries.resets.get(group)?.get(partition) ?? [];
      const bound = judgedBelow(commit, resets);
      const skipped = skippedRanges(resets);
      const log = finalLogOf(input.finalLogs, partition);
      for (const { offset, value } of recordsBetween(log, Number.MIN_SAFE_INTEGER, bound)) {
        if (done?.has(value) === true || deliveries.ungrouped.has(value) || skipped.some(([from, to]) => offset >= from && offset < to)) continue;
        cases.add(() => ({
          summary:
            `group ${group} committed offset ${commit.offset} of partition ${partition} (${commit.process} at ${commit.t}µs) ` +
            `but never processed ${valueLabel(value)} at offset ${offset}`,
          group,
          partition,
          offset,
          ...labelled(value),
          committedOffset: commit.offset,
          committedBy: commit.process,
          committedAtUs: commit.t,
          ...finalLogFields(log),
        }));
      }
    }
  }
  return cases.report();
}

/** The commit's offset, lowered to the `to` of every reset made after it. */
function judgedBelow(commit: Commit, resets: readonly Reset[]): number {
  let bound = commit.offset;
  for (const r of resets) {
    const after = r.t > commit.t || (r.t === commit.t && r.row > commit.row);
    if (after) bound = Math.min(bound, r.to);
  }
  return bound;
}

/** [from, to) of every reset that jumped forward (from the log's start when it had no position). */
function skippedRanges(resets: readonly Reset[]): [number, number][] {
  const ranges: [number, number][] = [];
  for (const r of resets) {
    const from = r.from ?? Number.MIN_SAFE_INTEGER;
    if (r.to > from) ranges.push([from, r.to]);
  }
  return ranges;
}

/** The last commit-ok by time (ties: the later op) per group and partition, sorted by group then partition. */
function lastCommits(history: History): [string, [number, Commit][]][] {
  const byGroup = new Map<string, Map<number, Commit>>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'commit-ok') continue;
    const op = history.at(i) as Extract<HistoryOp, { kind: 'commit-ok' | 'commit-fail' }>;
    let commits = byGroup.get(op.group);
    if (commits === undefined) {
      commits = new Map();
      byGroup.set(op.group, commits);
    }
    for (const { partition, offset } of op.offsets) {
      const previous = commits.get(partition);
      if (previous === undefined || op.t >= previous.t) commits.set(partition, { offset, process: op.process, t: op.t, row: i });
    }
  }
  const groups = [...byGroup].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return groups.map(([group, commits]) => [group, [...commits].sort((a, b) => a[0] - b[0])]);
}

/**
 * Process and reset ops carry no group: a consumer's group is the one of its latest assign or
 * commit. A value processed before its consumer's group is known counts for every group rather than
 * be misjudged; a reset before it is known explains nothing.
 */
function deliveriesOf(history: History): Deliveries {
  const groups = new ConsumerGroups();
  const deliveries: Deliveries = { processed: new Map(), ungrouped: new ValueSet(history.length), resets: new Map() };
  for (let i = 0; i < history.length; i++) {
    if (groups.observe(history, i)) continue;
    const kind = history.kind(i);
    if (kind === 'reset') {
      const op = history.at(i) as ResetOp;
      const group = groups.of(op.process);
      if (group !== undefined) resetsOf(deliveries, group, op.partition).push({ from: op.from, to: op.to, t: op.t, row: i });
    } else if (kind === 'process') {
      const value = history.value(i);
      const group = groups.of(history.process(i));
      if (group === undefined) deliveries.ungrouped.add(value);
      else processedBy(deliveries, group, history.length).add(value);
    }
  }
  return deliveries;
}

function processedBy(deliveries: Deliveries, group: string, denseLimit: number): ValueSet {
  let values = deliveries.processed.get(group);
  if (values === undefined) deliveries.processed.set(group, (values = new ValueSet(denseLimit)));
  return values;
}

function resetsOf(deliveries: Deliveries, group: string, partition: number): Reset[] {
  let byPartition = deliveries.resets.get(group);
  if (byPartition === undefined) deliveries.resets.set(group, (byPartition = new Map()));
  let list = byPartition.get(partition);
  if (list === undefined) byPartition.set(partition, (list = []));
  return list;
}
