// duplicate-delivery: the application processed one value more than once (at-least-once delivery
// after a rebalance or a consumer crash between processing and committing).
import { valueLabel } from '../../models/history.js';
import type { HistoryOp, Value } from '../../models/history.js';
import type { History } from '../../models/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { capped, labelled } from '../_internals/values.js';

type ProcessOp = Extract<HistoryOp, { kind: 'process' }>;

/** Counts values processed twice or more, in the order of their second processing. */
export function checkDuplicateDelivery(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('duplicate-delivery', input.options.maxExamples);
  for (const deliveries of repeatedDeliveries(input.history)) {
    const first = deliveries[0] as ProcessOp;
    cases.add(() => ({
      summary:
        `${valueLabel(first.value)} was processed ${deliveries.length} times: ` +
        capped(deliveries).map((d) => `${d.process} at ${d.t}µs (offset ${d.offset})`).join(', '),
      ...labelled(first.value),
      partition: first.partition,
      times: deliveries.length,
      deliveries: capped(deliveries).map((d) => ({ process: d.process, offset: d.offset, atUs: d.t })),
    }));
  }
  return cases.report();
}

function repeatedDeliveries(history: History): ProcessOp[][] {
  // Rows first: only the values processed more than once become objects.
  const first = new Map<Value, number>();
  const repeated = new Map<Value, number[]>();
  for (let i = 0; i < history.length; i++) {
    if (history.kind(i) !== 'process') continue;
    const value = history.value(i);
    const earlier = first.get(value);
    if (earlier === undefined) {
      first.set(value, i);
      continue;
    }
    const list = repeated.get(value);
    if (list === undefined) repeated.set(value, [earlier, i]);
    else list.push(i);
  }
  return [...repeated.values()].map((rows) => rows.map((i) => history.at(i) as ProcessOp));
}
