// lost-delivery: a group's committed offset passed a record the application never processed
// (at-most-once: commit before process, then a crash). Per group and partition the reference is
// the last successful commit by time; the records are those of the final committed log below it.
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history.js';
import type { HistoryOp, Value } from '../../models/history.js';
import type { History } from '../../models/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogOf, recordsBetween } from '../final-log.js';
import { finalLogFields, labelled } from '../_internals/values.js';

interface Commit {
  readonly offset: number;
  readonly process: NodeId;
  readonly t: Micros;
}

/** Values processed by the members of each group, and by consumers not yet known to be in one. */
interface Processed {
  readonly byGroup: Map<string, Set<Value>>;
  readonly ungrouped: Set<Value>;
}

/** Counts (group, record) pairs, in group, partition, then offset order. */
export function checkLostDelivery(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('lost-delivery', input.options.maxExamples);
  const processed = processedValues(input.history);
  for (const [group, commits] of lastCommits(input.history)) {
    const done = processed.byGroup.get(group);
    for (const [partition, commit] of commits) {
      const log = finalLogOf(input.finalLogs, partition);
      for (const { offset, value } of recordsBetween(log, Number.MIN_SAFE_INTEGER, commit.offset)) {
        if (done?.has(value) === true || processed.ungrouped.has(value)) continue;
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
      if (previous === undefined || op.t >= previous.t) commits.set(partition, { offset, process: op.process, t: op.t });
    }
  }
  const groups = [...byGroup].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return groups.map(([group, commits]) => [group, [...commits].sort((a, b) => a[0] - b[0])]);
}

/**
 * Process ops carry no group: a consumer's group is the one of its latest assign or commit. A value
 * processed before its consumer's group is known counts for every group rather than be misjudged.
 */
function processedValues(history: History): Processed {
  const groupOf = new Map<NodeId, string>();
  const processed: Processed = { byGroup: new Map(), ungrouped: new Set() };
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'assign' || kind === 'commit-ok' || kind === 'commit-fail') {
      const op = history.at(i) as Extract<HistoryOp, { kind: 'assign' | 'commit-ok' | 'commit-fail' }>;
      groupOf.set(op.process, op.group);
      continue;
    }
    if (kind !== 'process') continue;
    const value = history.value(i);
    const group = groupOf.get(history.process(i));
    if (group === undefined) {
      processed.ungrouped.add(value);
      continue;
    }
    let values = processed.byGroup.get(group);
    if (values === undefined) {
      values = new Set();
      processed.byGroup.set(group, values);
    }
    values.add(value);
  }
  return processed;
}
