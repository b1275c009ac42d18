// unseen: a record of the final committed log that no consumer polled by the end of the run. The
// liveness anomaly: after heal and settle, consumers must have caught up. Only meaningful when the
// run had consumers.
import { valueLabel } from '../../models/history.js';
import type { Value } from '../../models/history.js';
import type { History } from '../../models/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogFields, labelled } from '../_internals/values.js';

export function checkUnseen(input: CheckInput): AnomalyReport | null {
  if (!input.options.consumers) return null;
  const cases = new CaseCollector('unseen', input.options.maxExamples);
  const { polled, highestPolled } = pollIndex(input.history);
  for (const log of input.finalLogs.values()) {
    const seen = polled.get(log.partition);
    const highest = highestPolled.get(log.partition) ?? null;
    for (const { offset, value } of log.records) {
      if (seen?.has(value) === true) continue;
      cases.add(() => ({
        summary:
          `${valueLabel(value)} at offset ${offset} of partition ${log.partition} is committed but no consumer polled it ` +
          `(highest offset polled there: ${highest ?? 'none'})`,
        ...labelled(value),
        partition: log.partition,
        offset,
        highestPolledOffset: highest,
        ...finalLogFields(log),
      }));
    }
  }
  return cases.report();
}

function pollIndex(history: History): { polled: Map<number, Set<Value>>; highestPolled: Map<number, number> } {
  const polled = new Map<number, Set<Value>>();
  const highestPolled = new Map<number, number>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'poll') continue;
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const partition = history.recordPartition(k);
      const offset = history.recordOffset(k);
      const value = history.recordValue(k);
      let values = polled.get(partition);
      if (values === undefined) {
        values = new Set();
        polled.set(partition, values);
      }
      values.add(value);
      highestPolled.set(partition, Math.max(offset, highestPolled.get(partition) ?? offset));
    }
  }
  return { polled, highestPolled };
}
