// lost-write: an acknowledged send whose value is absent from its partition's final committed log.
// Only send-ok counts: an unknown outcome (send-info) may or may not have happened, and a send-fail
// definitely did not, so neither can be lost. Jepsen, which cannot read the log, calls a write lost
// when a poll read past its offset and nobody read it; ksim reads the final log itself, so a loss
// needs no later read to be proven (docs/anomalies.md).
import { valueLabel } from '../../models/history/history.js';
import type { HistoryOp } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogOf, hasValue } from '../final-log.js';
import { replicasHolding } from '../_internals/replicas.js';
import { ValueSet } from '../_internals/value-set.js';
import { finalLogFields, labelled } from '../_internals/values.js';

type SendOk = Extract<HistoryOp, { kind: 'send-ok' }>;

export function checkLostWrite(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('lost-write', input.options.maxExamples);
  const history = input.history;
  const judged = new ValueSet(history.length);
  for (let i = 0; i < history.length; i++) {
    if (history.kind(i) !== 'send-ok') continue;
    const value = history.value(i);
    if (judged.has(value)) continue;
    judged.add(value);
    const log = finalLogOf(input.finalLogs, history.partition(i));
    if (hasValue(log, value)) continue;
    cases.add(() => {
      const op = history.at(i) as SendOk;
      return {
        summary:
          `${valueLabel(op.value)} was acknowledged to ${op.process} at offset ${op.offset} of partition ` +
          `${op.partition} (t=${op.t}µs) but is not in the final committed log (from ${log.source ?? 'no replica'}, HW ${log.highWatermark})`,
        ...labelled(op.value),
        partition: op.partition,
        ackedOffset: op.offset,
        producer: op.process,
        ackedAtUs: op.t,
        ...finalLogFields(log),
        heldBy: replicasHolding(input.final, op.partition, op.value),
      };
    });
  }
  return cases.report();
}
