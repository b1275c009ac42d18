// poll-skip: one consumer read a partition at an offset above where it stood, jumping over offsets
// that hold records of the final committed log. Where it stands follows
// properties/_internals/poll-steps.ts: a recorded reset re-bases it (auto.offset.reset and KIP-320
// truncation moves are explained), a crash forgets it, and an assign within consecutive generations
// keeps it for the partitions still held (neither a kept position nor a restart at the committed
// offset moves a consumer forward past what it read). Gaps the final log does not fill (truncated or
// never committed offsets) are not skips. Jepsen measures the jump in its version order (what the
// history observed); ksim in the final log, which it can read whole. Jepsen's int-poll-skip (inside
// one poll) is counted here too.
import { valueLabel } from '../../models/history/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CASE_LIST_CAP, CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { finalLogOf, recordIndexRange } from '../final-log.js';
import { describePosition, forEachPollStep, positionFields, rebalanceFields } from '../_internals/poll-steps.js';
import { labelled } from '../_internals/values.js';

/** Counts jumps (not skipped records), in history order; each case lists what was jumped over. */
export function checkPollSkip(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('poll-skip', input.options.maxExamples);
  forEachPollStep(input.history, ({ process, partition, previous, current, rebalance }) => {
    if (current.offset <= previous.next) return;
    const log = finalLogOf(input.finalLogs, partition);
    // Binary search only: a long jump must not cost a copy of everything it jumped over.
    const { start, end } = recordIndexRange(log, previous.next, current.offset);
    if (end === start) return;
    cases.add(() => {
      const skipped = log.records.slice(start, Math.min(end, start + CASE_LIST_CAP));
      return {
        summary:
          `${process} polled offset ${current.offset} (${valueLabel(current.value)}) of partition ${partition} at ${current.t}µs ` +
          `after ${describePosition(previous)}${rebalance === null ? '' : ` (kept across its rebalance to generation ${rebalance.generation})`}, ` +
          `skipping ${end - start} committed record(s): ${skipped.map((r) => `${r.offset}=${valueLabel(r.value)}`).join(', ')}`,
        process,
        partition,
        previous: positionFields(previous),
        current: { offset: current.offset, ...labelled(current.value), atUs: current.t },
        rebalance: rebalanceFields(rebalance),
        skippedCount: end - start,
        skipped: skipped.map((r) => ({ offset: r.offset, ...labelled(r.value) })),
      };
    });
  });
  return cases.report();
}
