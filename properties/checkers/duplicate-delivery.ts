// duplicate-delivery: the application processed one value more than once (at-least-once delivery
// after a rebalance or a consumer crash between processing and committing).
import { valueLabel } from '../../models/history.js';
import type { HistoryOp, Value } from '../../models/history.js';
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

function repeatedDeliveries(history: readonly HistoryOp[]): ProcessOp[][] {
  const first = new Map<Value, ProcessOp>();
  const repeated = new Map<Value, ProcessOp[]>();
  for (const op of history) {
    if (op.kind !== 'process') continue;
    const earlier = first.get(op.value);
    if (earlier === undefined) {
      first.set(op.value, op);
      continue;
    }
    const list = repeated.get(op.value);
    if (list === undefined) repeated.set(op.value, [earlier, op]);
    else list.push(op);
  }
  return [...repeated.values()];
}
