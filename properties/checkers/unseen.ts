// unseen: a record of the final committed log (final-log.ts: the leader's log below its high
// watermark) that no read returned — no consumer's poll and no poll of the final drain. Every run
// ends with the drain (models/clients/drain-reader.ts, process `drain`): after the settle phase a reader
// outside every group reads each data partition from its start to its high watermark through the
// ordinary fetch path, as Jepsen's Kafka test ends with its final polls. So `unseen` means "in the
// log but not readable": the fetch path skipped it, or the drain could not reach it within its
// bound (the run is then also not settled, a liveness failure of its own). Whether a consumer group
// processed everything is a separate finding: the group caught up or not is the settle state
// (docs/settle.md), and lost-delivery / duplicate-delivery judge its processing.
//
// Jepsen's unseen counts acknowledged sends that no poll returned by the end. ksim judges against
// the omniscient final log instead of the acknowledged sends, so a record whose send outcome was
// unknown but which is committed counts too, and an acknowledged record that is no longer in the
// log is lost-write's, not unseen's.
import { valueLabel } from '../../models/history/history.js';
import type { History } from '../../models/history/history-log.js';
import { DRAIN_NODE } from '../../models/clients/drain-reader.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { ValueSet } from '../_internals/value-set.js';
import { finalLogFields, labelled } from '../_internals/values.js';

export function checkUnseen(input: CheckInput): AnomalyReport | null {
  if (!input.options.consumers) return null;
  const cases = new CaseCollector('unseen', input.options.maxExamples);
  const { polled, highestPolled, highestDrained } = pollIndex(input.history);
  for (const log of input.finalLogs.values()) {
    const seen = polled.get(log.partition);
    const highest = highestPolled.get(log.partition) ?? null;
    const drained = highestDrained.get(log.partition) ?? null;
    for (const { offset, value } of log.records) {
      if (seen?.has(value) === true) continue;
      cases.add(() => ({
        summary:
          `${valueLabel(value)} at offset ${offset} of partition ${log.partition} is committed but no read returned it ` +
          `(the final drain read up to offset ${drained ?? 'none'} there; the highest offset any read returned: ${highest ?? 'none'})`,
        ...labelled(value),
        partition: log.partition,
        offset,
        highestPolledOffset: highest,
        highestDrainedOffset: drained,
        ...finalLogFields(log),
      }));
    }
  }
  return cases.report();
}

interface PollIndex {
  /** Values any read returned, per partition. */
  readonly polled: Map<number, ValueSet>;
  readonly highestPolled: Map<number, number>;
  /** The highest offset the final drain returned, per partition. */
  readonly highestDrained: Map<number, number>;
}

function pollIndex(history: History): PollIndex {
  const index: PollIndex = { polled: new Map(), highestPolled: new Map(), highestDrained: new Map() };
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'poll') continue;
    const drain = history.process(i) === DRAIN_NODE;
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const partition = history.recordPartition(k);
      const offset = history.recordOffset(k);
      let values = index.polled.get(partition);
      if (values === undefined) {
        values = new ValueSet(history.length);
        index.polled.set(partition, values);
      }
      values.add(history.recordValue(k));
      index.highestPolled.set(partition, Math.max(offset, index.highestPolled.get(partition) ?? offset));
      if (drain) index.highestDrained.set(partition, Math.max(offset, index.highestDrained.get(partition) ?? offset));
    }
  }
  return index;
}
