// duplicate-delivery: one consumer group's application processed one value more than once
// (at-least-once delivery after a rebalance or a consumer crash between processing and committing).
// Each group reads the topic for itself: two groups processing a value once each is no duplicate.
import { valueLabel } from '../../models/history/history.js';
import type { HistoryOp, Value } from '../../models/history/history.js';
import type { History } from '../../models/history/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { ConsumerGroups } from '../_internals/groups.js';
import { ValueTable } from '../_internals/value-table.js';
import { capped, labelled } from '../_internals/values.js';

type ProcessOp = Extract<HistoryOp, { kind: 'process' }>;

/** Counts values processed twice or more, in the order of their second processing. */
export function checkDuplicateDelivery(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('duplicate-delivery', input.options.maxExamples);
  for (const repeated of repeatedDeliveries(input.history)) {
    const { deliveries } = repeated;
    const first = deliveries[0] as ProcessOp;
    const group = repeated.group ?? null;
    cases.add(() => ({
      summary:
        `${valueLabel(first.value)} was processed ${deliveries.length} times${group === null ? '' : ` in group ${group}`}: ` +
        capped(deliveries).map((d) => `${d.process} at ${d.t}µs (offset ${d.offset})`).join(', '),
      ...labelled(first.value),
      group,
      partition: first.partition,
      times: deliveries.length,
      deliveries: capped(deliveries).map((d) => ({ process: d.process, offset: d.offset, atUs: d.t })),
    }));
  }
  return cases.report();
}

/**
 * Values processed twice or more within one group, in the order of their second processing. A
 * process row's group is its consumer's latest assign or commit; rows before the consumer named a
 * group share one bucket of their own.
 */
function repeatedDeliveries(history: History): { group: string | undefined; deliveries: ProcessOp[] }[] {
  // Rows first: only the values processed more than once become objects.
  const groups = new ConsumerGroups();
  // value → its first process row, per group: typed tables, not Maps (a long run processes millions).
  const firstIn = new Map<string | undefined, ValueTable>();
  const repeatedIn = new Map<string | undefined, Map<Value, number[]>>();
  const found: { group: string | undefined; rows: number[] }[] = [];
  for (let i = 0; i < history.length; i++) {
    if (groups.observe(history, i) || history.kind(i) !== 'process') continue;
    const group = groups.of(history.process(i));
    let first = firstIn.get(group);
    if (first === undefined) firstIn.set(group, (first = new ValueTable(history.length)));
    const value = history.value(i);
    const earlier = first.get(value);
    if (Number.isNaN(earlier)) {
      first.set(value, i);
      continue;
    }
    let repeated = repeatedIn.get(group);
    if (repeated === undefined) repeatedIn.set(group, (repeated = new Map()));
    const rows = repeated.get(value);
    if (rows !== undefined) {
      rows.push(i);
      continue;
    }
    const pair = [earlier, i];
    repeated.set(value, pair);
    found.push({ group, rows: pair });
  }
  return found.map(({ group, rows }) => ({ group, deliveries: rows.map((i) => history.at(i) as ProcessOp) }));
}
