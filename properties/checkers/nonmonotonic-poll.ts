// nonmonotonic-poll: one consumer read a partition at an offset below where it stood (re-reading the
// same offset counts): its position only moves forward, except by what the history records moving
// it. Where it stands follows properties/_internals/poll-steps.ts: a recorded reset re-bases it, a
// crash forgets it, and an assign within consecutive generations keeps it for the partitions still
// held. Across such a rebalance the consumer restarts at the group's committed offset, so a step back
// there is at-least-once redelivery, not an anomaly, as long as it lands at or above the group's last
// acknowledged commit; a step back below that commit is reported. Jepsen's nonmonotonic-poll compares
// successive polls of one process the same way (its int-nonmonotonic-poll, inside one poll, is
// counted here too); Jepsen allows it outright for subscribing consumers, which ksim's are.
import { valueLabel } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { describePosition, forEachPollStep, positionFields, rebalanceFields } from '../_internals/poll-steps.js';
import { labelled } from '../_internals/values.js';

/** Counts backward steps, in history order. */
export function checkNonmonotonicPoll(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('nonmonotonic-poll', input.options.maxExamples);
  forEachPollStep(input.history, ({ process, partition, previous, current, rebalance }) => {
    if (current.offset >= previous.next) return;
    if (rebalance !== null && (rebalance.committed === null || current.offset >= rebalance.committed)) return;
    cases.add(() => ({
      summary:
        `${process} polled offset ${current.offset} (${valueLabel(current.value)}) of partition ${partition} at ${current.t}µs ` +
        `after ${describePosition(previous)}, ` +
        (rebalance === null
          ? 'with nothing recorded that moved it back'
          : `below the offset ${rebalance.committed ?? 'none'} group ${rebalance.group} had committed before its rebalance to generation ${rebalance.generation}`),
      process,
      partition,
      previous: positionFields(previous),
      current: { offset: current.offset, ...labelled(current.value), atUs: current.t },
      rebalance: rebalanceFields(rebalance),
    }));
  });
  return cases.report();
}
