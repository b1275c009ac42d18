// nonmonotonic-poll: one consumer's successive polls of a partition went backwards (offset ≤ the
// previous one) with no reassignment in between. Re-reading the same offset counts: without a
// rebalance, a consumer's position only moves forward.
import { valueLabel } from '../../models/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { forEachPollStep } from '../_internals/poll-steps.js';
import { labelled } from '../_internals/values.js';

/** Counts backward steps, in history order. */
export function checkNonmonotonicPoll(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('nonmonotonic-poll', input.options.maxExamples);
  forEachPollStep(input.history, ({ process, partition, previous, current }) => {
    if (current.offset > previous.offset) return;
    cases.add(() => ({
      summary:
        `${process} polled offset ${current.offset} (${valueLabel(current.value)}) of partition ${partition} at ${current.t}µs ` +
        `after offset ${previous.offset} (${valueLabel(previous.value)}) at ${previous.t}µs, with no reassignment between`,
      process,
      partition,
      previous: { offset: previous.offset, ...labelled(previous.value), atUs: previous.t },
      current: { offset: current.offset, ...labelled(current.value), atUs: current.t },
    }));
  });
  return cases.report();
}
