// committed-record-lost: a record that was ever below a leader's high watermark (an hw-advance op)
// is absent from its partition's final committed log. Unlike lost-write this needs no
// acknowledgement: it catches losses of records nobody was told about (acks=0, timed-out sends).
import { valueLabel } from '../../models/history.js';
import type { Value } from '../../models/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogOf, hasValue } from '../final-log.js';
import { replicasHolding } from '../_internals/replicas.js';
import { finalLogFields, labelled } from '../_internals/values.js';

/** Counts distinct values, in the order they were first committed. */
export function checkCommittedRecordLost(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('committed-record-lost', input.options.maxExamples);
  const judged = new Set<Value>();
  for (const op of input.history.objectOps()) {
    if (op.kind !== 'hw-advance') continue;
    const log = finalLogOf(input.finalLogs, op.partition);
    for (const { offset, value } of op.records) {
      if (judged.has(value)) continue;
      judged.add(value);
      if (hasValue(log, value)) continue;
      cases.add(() => ({
        summary:
          `${valueLabel(value)} was committed at offset ${offset} of partition ${op.partition} by leader ${op.process} ` +
          `(epoch ${op.leaderEpoch}, ${op.t}µs) but is not in the final committed log (from ${log.source ?? 'no replica'})`,
        ...labelled(value),
        partition: op.partition,
        committedOffset: offset,
        leader: op.process,
        leaderEpoch: op.leaderEpoch,
        committedAtUs: op.t,
        ...finalLogFields(log),
        heldBy: replicasHolding(input.final, op.partition, value),
      }));
    }
  }
  return cases.report();
}
