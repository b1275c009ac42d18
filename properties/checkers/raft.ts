// Raft's safety properties (Raft paper, Figure 3) as replica-level anomalies beside log-divergence,
// judged only on Raft partitions (protocol.replication raft): those with a leader-elected operation.
// An ISR partition records none (a controller quorum's metadata log does, under its own partition
// number, which leaves an ISR topic's partitions unjudged), and its own failures of these properties (an unclean election commits a
// second value at an offset) are the ISR anomalies' to report (log-divergence, committed-record-lost).
// - election-safety: two replicas won an election for one partition in one term (leader-elected ops).
// - log-matching: two final logs hold an entry of the same epoch at one offset, but differ there or
//   anywhere before it.
// - leader-completeness: a record committed in some term lies at or past the log end a leader of a
//   later term had when it won (so that leader lacked it).
// - state-machine-safety: two commits (hw-advance ops) put different values at one offset.
import type { HistoryOp, ReplicaState } from '../../models/history/history.js';
import { valueLabel } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { recordAt, replicasOf } from '../_internals/replicas.js';

type LeaderElected = Extract<HistoryOp, { kind: 'leader-elected' }>;

function elections(input: CheckInput): LeaderElected[] {
  const history = input.history;
  const out: LeaderElected[] = [];
  for (const i of history.objectRows()) {
    if (history.kind(i) === 'leader-elected') out.push(history.at(i) as LeaderElected);
  }
  return out;
}

export function checkElectionSafety(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('election-safety', input.options.maxExamples);
  const first = new Map<string, LeaderElected>();
  for (const won of elections(input)) {
    const key = `${won.partition}/${won.term}`;
    const earlier = first.get(key);
    if (earlier === undefined) { first.set(key, won); continue; }
    if (earlier.process === won.process) continue;
    cases.add(() => ({
      summary: `${earlier.process} (${earlier.t}µs) and ${won.process} (${won.t}µs) both won term ${won.term} of partition ${won.partition}`,
      partition: won.partition, term: won.term, leaders: [earlier.process, won.process], electedAtUs: [earlier.t, won.t],
    }));
  }
  return cases.report();
}

/** The partitions replicated by Raft: those a leader was elected for by vote. */
function raftPartitions(input: CheckInput): Set<number> {
  return new Set(elections(input).map((won) => won.partition));
}

export function checkLogMatching(input: CheckInput): AnomalyReport | null {
  const raft = raftPartitions(input);
  if (raft.size === 0) return null;
  const cases = new CaseCollector('log-matching', input.options.maxExamples);
  for (const partition of input.finalLogs.keys()) {
    if (!raft.has(partition)) continue;
    const replicas = replicasOf(input.final, partition);
    for (let a = 0; a < replicas.length; a++) {
      for (let b = a + 1; b < replicas.length; b++) comparePair(replicas[a]!, replicas[b]!, partition, cases);
    }
  }
  return cases.report();
}

/** The first offset where two logs differ; an entry of one epoch on both after it breaks log matching. */
function comparePair(x: ReplicaState, y: ReplicaState, partition: number, cases: CaseCollector): void {
  const from = Math.max(x.logStartOffset, y.logStartOffset);
  const to = Math.min(x.logEndOffset, y.logEndOffset);
  let firstDifference = -1;
  for (let offset = from; offset < to; offset++) {
    const rx = recordAt(x, offset);
    const ry = recordAt(y, offset);
    if (rx === undefined || ry === undefined) continue;
    const same = rx.epoch === ry.epoch && rx.value === ry.value;
    if (!same && firstDifference < 0) firstDifference = offset;
    if (firstDifference < 0 || rx.epoch !== ry.epoch) continue;
    const at = firstDifference;
    cases.add(() => ({
      summary:
        `${x.node} and ${y.node} both hold an entry of epoch ${rx.epoch} at offset ${offset} of partition ${partition}, ` +
        (at === offset ? `but ${valueLabel(rx.value)} and ${valueLabel(ry.value)}` : `but their logs differ from offset ${at}`),
      partition, offset, epoch: rx.epoch, nodes: [x.node, y.node], firstDifference: at,
    }));
    return;
  }
}

export function checkLeaderCompleteness(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('leader-completeness', input.options.maxExamples);
  const history = input.history;
  const won = elections(input);
  if (won.length === 0) return null;
  // The highest offset committed per partition and term, with when it was first committed.
  const committed = new Map<string, { partition: number; term: number; end: number; t: number }>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'hw-advance') continue;
    const end = history.recordsEnd(i);
    if (end === history.recordsStart(i)) continue;
    const partition = history.partition(i);
    const term = history.leaderEpoch(i);
    const key = `${partition}/${term}`;
    const last = history.recordOffset(end - 1) + 1;
    const known = committed.get(key);
    if (known === undefined) committed.set(key, { partition, term, end: last, t: history.time(i) });
    else if (last > known.end) committed.set(key, { ...known, end: last });
  }
  for (const leader of won) {
    for (const c of committed.values()) {
      if (c.partition !== leader.partition || c.term >= leader.term || c.end <= leader.logEnd) continue;
      cases.add(() => ({
        summary:
          `${leader.process} won term ${leader.term} of partition ${leader.partition} with its log ending at ${leader.logEnd}, ` +
          `but term ${c.term} had committed up to offset ${c.end - 1}`,
        partition: leader.partition, term: leader.term, leader: leader.process, logEnd: leader.logEnd, committedTerm: c.term, committedEnd: c.end,
      }));
    }
  }
  return cases.report();
}

export function checkStateMachineSafety(input: CheckInput): AnomalyReport | null {
  const raft = raftPartitions(input);
  if (raft.size === 0) return null;
  const cases = new CaseCollector('state-machine-safety', input.options.maxExamples);
  const history = input.history;
  const byPartition = new Map<number, Map<number, { value: number; leader: string; epoch: number }>>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'hw-advance') continue;
    const partition = history.partition(i);
    if (!raft.has(partition)) continue;
    let offsets = byPartition.get(partition);
    if (offsets === undefined) byPartition.set(partition, offsets = new Map());
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const offset = history.recordOffset(k);
      const value = history.recordValue(k);
      const earlier = offsets.get(offset);
      if (earlier === undefined) { offsets.set(offset, { value, leader: history.process(i), epoch: history.leaderEpoch(i) }); continue; }
      if (earlier.value === value) continue;
      const leader = history.process(i);
      const epoch = history.leaderEpoch(i);
      cases.add(() => ({
        summary:
          `offset ${offset} of partition ${partition} was committed as ${valueLabel(earlier.value)} (by ${earlier.leader}, epoch ${earlier.epoch}) ` +
          `and later as ${valueLabel(value)} (by ${leader}, epoch ${epoch})`,
        partition, offset, values: [earlier.value, value], leaders: [earlier.leader, leader], epochs: [earlier.epoch, epoch],
      }));
      offsets.set(offset, { value, leader, epoch });
    }
  }
  return cases.report();
}
