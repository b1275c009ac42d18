// poll-skip: one consumer's successive polls of a partition jumped from offset a to b > a + 1 while
// some offset in (a, b) holds a record of the final committed log, with no reassignment between.
// Gaps the final log does not fill (truncated or never committed offsets) are not skips.
import { valueLabel } from '../../models/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CASE_LIST_CAP, CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogOf, recordIndexRange } from '../final-log.js';
import { forEachPollStep } from '../_internals/poll-steps.js';
import { labelled } from '../_internals/values.js';

/** Counts jumps (not skipped records), in history order; each case lists what was jumped over. */
export function checkPollSkip(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('poll-skip', input.options.maxExamples);
  forEachPollStep(input.history, ({ process, partition, previous, current }) => {
    if (current.offset <= previous.offset + 1) return;
    const log = finalLogOf(input.finalLogs, partition);
    // Binary search only: a long jump must not cost a copy of everything it jumped over.
    const { start, end } = recordIndexRange(log, previous.offset + 1, current.offset);
    if (end === start) return;
    cases.add(() => {
      const skipped = log.records.slice(start, Math.min(end, start + CASE_LIST_CAP));
      return {
        summary:
          `${process} polled offset ${previous.offset} then ${current.offset} of partition ${partition} (at ${current.t}µs), ` +
          `skipping ${end - start} committed record(s): ${skipped.map((r) => `${r.offset}=${valueLabel(r.value)}`).join(', ')}`,
        process,
        partition,
        previous: { offset: previous.offset, ...labelled(previous.value), atUs: previous.t },
        current: { offset: current.offset, ...labelled(current.value), atUs: current.t },
        skippedCount: end - start,
        skipped: skipped.map((r) => ({ offset: r.offset, ...labelled(r.value) })),
      };
    });
  });
  return cases.report();
}
