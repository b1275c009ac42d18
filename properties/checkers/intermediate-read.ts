// intermediate-read: a read_committed consumer polled a record of a transaction before its producer
// asked to commit it (Jepsen's G1b, "intermediate read": a transaction's effects observed before it
// is final). A record of a transactional producer counts when the poll came (in the history's order,
// not by the processes' clocks, which a skew moves) before the producer sent the EndTxn that commits
// the record's transaction (`txn-end` with commit), or when no such EndTxn was ever sent for it (the
// producer asked to abort it, was fenced, or the transaction is still open): a transaction is
// committed only at its producer's request. Reading a record whose abort was
// acknowledged is aborted-read's (its send failed), not this one's.
//
// Only consumers whose assignment says read_committed are judged: a read_uncommitted consumer reads
// open transactions by design. ksim judges by the producer's own request, which the coordinator can
// only act on after it was sent: KAFKA-17754's delayed EndTxn of an earlier transaction, which commits
// a later one while it is still open, shows here.
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history/history.js';
import type { Value } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { labelled } from '../_internals/values.js';

interface Read {
  readonly value: Value;
  readonly process: NodeId;
  readonly partition: number;
  readonly offset: number;
  readonly t: Micros;
  /** When the producer sent the commit, by its clock (null: never). */
  readonly commitAtUs: Micros | null;
  readonly producer: NodeId;
}

export function checkIntermediateRead(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('intermediate-read', input.options.maxExamples);
  for (const read of intermediateReads(input)) {
    cases.add(() => ({
      summary:
        `${read.process} (read_committed) polled ${valueLabel(read.value)} at offset ${read.offset} of partition ${read.partition} (${read.t}µs), ` +
        (read.commitAtUs === null
          ? `but ${read.producer} never asked to commit its transaction`
          : `before ${read.producer} asked to commit its transaction (${read.commitAtUs}µs)`),
      ...labelled(read.value),
      producer: read.producer,
      commitAtUs: read.commitAtUs,
      firstRead: { process: read.process, partition: read.partition, offset: read.offset, atUs: read.t },
    }));
  }
  return cases.report();
}

function intermediateReads(input: CheckInput): Read[] {
  const history = input.history;
  const readCommitted = new Set<NodeId>();
  /**
   * Transactional values: the history row of the EndTxn that asked to commit them. Rows are in the
   * order things happened; times are each process's own clock, which a clock skew moves.
   */
  const commitRow = new Map<Value, number>();
  /** Values whose send definitely failed: aborted-read's. */
  const aborted = new Set<Value>();
  const transactional = new Set<NodeId>();
  for (const i of history.objectRows()) {
    const kind = history.kind(i);
    if (kind !== 'assign' && kind !== 'txn-end') continue;
    const op = history.at(i);
    if (op.kind === 'assign') {
      if (op.readCommitted === true) readCommitted.add(op.process);
    } else if (op.kind === 'txn-end') {
      transactional.add(op.process);
      if (op.commit) for (const value of op.values) commitRow.set(value, i);
    }
  }
  if (transactional.size === 0 || readCommitted.size === 0) return [];
  const producerOf = new Map<Value, NodeId>();
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-invoke' && transactional.has(history.process(i))) producerOf.set(history.value(i), history.process(i));
    else if (kind === 'send-fail') aborted.add(history.value(i));
  }
  const reads = new Map<Value, Read>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'poll' || !readCommitted.has(history.process(i))) continue;
    const t = history.time(i);
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const value = history.recordValue(k);
      const producer = producerOf.get(value);
      if (producer === undefined || aborted.has(value) || reads.has(value)) continue;
      const committed = commitRow.get(value);
      if (committed !== undefined && committed < i) continue;
      reads.set(value, {
        value, process: history.process(i), partition: history.recordPartition(k), offset: history.recordOffset(k), t,
        commitAtUs: committed === undefined ? null : history.time(committed), producer,
      });
    }
  }
  return [...reads.values()];
}
