// committed-record-lost: a record that was ever below a leader's high watermark (an hw-advance op)
// is absent from its partition's final committed log. Unlike lost-write this needs no
// acknowledgement: it catches losses of records nobody was told about (acks=0, timed-out sends).
// With transactions the final log is what read_committed reads, so a transaction's record counts
// only when its commit was acknowledged (send-ok): an aborted transaction's records, or those of one
// whose outcome is unknown, may pass the high watermark and still rightly be hidden (the final
// replica holds them as aborted or open); control records (value -1) are no data.
import { valueLabel } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogOf, hasValue } from '../final-log.js';
import { replicasHolding } from '../_internals/replicas.js';
import { ValueSet } from '../_internals/value-set.js';
import { finalLogFields, labelled } from '../_internals/values.js';

/** Counts distinct values, in the order they were first committed. */
export function checkCommittedRecordLost(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('committed-record-lost', input.options.maxExamples);
  const history = input.history;
  const judged = new ValueSet(history.length);
  uncommittedTransactionValues(input, judged);
  const hiddenOf = new Map<number, Set<number> | null>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'hw-advance') continue;
    const partition = history.partition(i);
    const leader = history.process(i);
    const leaderEpoch = history.leaderEpoch(i);
    const t = history.time(i);
    const log = finalLogOf(input.finalLogs, partition);
    let hidden = hiddenOf.get(partition);
    if (hidden === undefined) {
      hidden = hiddenValues(input, partition, log.source);
      hiddenOf.set(partition, hidden);
    }
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const value = history.recordValue(k);
      if (value < 0 || judged.has(value)) continue;
      judged.add(value);
      if (hidden?.has(value) === true && !acknowledged(input).has(value)) continue;
      if (hasValue(log, value)) continue;
      const offset = history.recordOffset(k);
      cases.add(() => ({
        summary:
          `${valueLabel(value)} was committed at offset ${offset} of partition ${partition} by leader ${leader} ` +
          `(epoch ${leaderEpoch}, ${t}µs) but is not in the final committed log (from ${log.source ?? 'no replica'})`,
        ...labelled(value),
        partition,
        committedOffset: offset,
        leader,
        leaderEpoch,
        committedAtUs: t,
        ...finalLogFields(log),
        heldBy: replicasHolding(input.final, partition, value),
      }));
    }
  }
  return cases.report();
}

/** Adds to `out` the values of transactions whose commit was not acknowledged (no send-ok). */
function uncommittedTransactionValues(input: CheckInput, out: ValueSet): void {
  const history = input.history;
  let transactional = false;
  for (const i of history.objectRows()) if (history.kind(i) === 'txn-end') { transactional = true; break; }
  if (!transactional) return;
  const acked = new ValueSet(history.length);
  for (let i = 0; i < history.length; i++) if (history.kind(i) === 'send-ok') acked.add(history.value(i));
  for (const i of history.objectRows()) {
    const op = history.at(i);
    if (op.kind !== 'txn-end') continue;
    for (const value of op.values) if (!acked.has(value)) out.add(value);
  }
}

/** Values of the final source replica that a read_committed reader never gets (aborted or open transactions); null without transactions. */
function hiddenValues(input: CheckInput, partition: number, source: string | null): Set<number> | null {
  const replica = input.final.replicas.find((r) => r.partition === partition && r.node === source);
  const txn = replica?.txn;
  if (replica === undefined || txn === undefined) return null;
  const offsets = new Set([...txn.aborted, ...txn.open]);
  const values = new Set<number>();
  for (const r of replica.records) if (offsets.has(r.offset)) values.add(r.value);
  return values;
}

const acknowledgedOf = new WeakMap<CheckInput, ValueSet>();

/** Values whose send was acknowledged (send-ok), computed once per input. */
function acknowledged(input: CheckInput): ValueSet {
  let acked = acknowledgedOf.get(input);
  if (acked === undefined) {
    const history = input.history;
    acked = new ValueSet(history.length);
    for (let i = 0; i < history.length; i++) if (history.kind(i) === 'send-ok') acked.add(history.value(i));
    acknowledgedOf.set(input, acked);
  }
  return acked;
}
