// duplicate: one value at two or more offsets of a partition's final committed log (a producer
// retry appended it twice, typically without idempotence).
import { valueLabel } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { capped, finalLogFields, labelled } from '../_internals/values.js';

/** Counts duplicated values (not extra copies), in partition order, then by first offset. */
export function checkDuplicate(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('duplicate', input.options.maxExamples);
  for (const log of input.finalLogs.values()) {
    const duplicated = [...log.repeatedOffsets].sort((a, b) => (a[1][0] ?? 0) - (b[1][0] ?? 0));
    for (const [value, offsets] of duplicated) {
      cases.add(() => ({
        summary: `${valueLabel(value)} stands at ${offsets.length} offsets of partition ${log.partition}: ${capped(offsets).join(', ')}`,
        ...labelled(value),
        partition: log.partition,
        copies: offsets.length,
        offsets: capped(offsets),
        ...finalLogFields(log),
      }));
    }
  }
  return cases.report();
}
