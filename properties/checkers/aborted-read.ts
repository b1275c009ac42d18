// aborted-read: a consumer polled a value whose send definitely failed (send-fail). An unknown
// outcome (send-info) may have happened, so reading it is fine.
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history/history.js';
import type { HistoryOp, Value } from '../../models/history/history.js';
import type { History } from '../../models/history/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { labelled } from '../_internals/values.js';

type SendFail = Extract<HistoryOp, { kind: 'send-fail' }>;

interface Read {
  readonly failure: SendFail;
  readonly process: NodeId;
  readonly partition: number;
  readonly offset: number;
  readonly t: Micros;
  times: number;
}

/** Counts distinct failed values that were read, in the order of their first read. */
export function checkAbortedRead(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('aborted-read', input.options.maxExamples);
  for (const read of abortedReads(input.history)) {
    const { failure } = read;
    cases.add(() => ({
      summary:
        `${read.process} polled ${valueLabel(failure.value)} at offset ${read.offset} of partition ${read.partition} (${read.t}µs), ` +
        `but its send failed with ${failure.error} (${failure.process} at ${failure.t}µs)`,
      ...labelled(failure.value),
      producer: failure.process,
      error: failure.error,
      failedAtUs: failure.t,
      firstRead: { process: read.process, partition: read.partition, offset: read.offset, atUs: read.t },
      reads: read.times,
    }));
  }
  return cases.report();
}

function abortedReads(history: History): Read[] {
  const failures = new Map<Value, number>(); // value → its first send-fail row
  for (let i = 0; i < history.length; i++) {
    if (history.kind(i) === 'send-fail' && !failures.has(history.value(i))) failures.set(history.value(i), i);
  }
  const reads = new Map<Value, Read>();
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'poll') continue;
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const value = history.recordValue(k);
      const row = failures.get(value);
      if (row === undefined) continue;
      const read = reads.get(value);
      if (read !== undefined) read.times += 1;
      else {
        reads.set(value, {
          failure: history.at(row) as SendFail, process: history.process(i), partition: history.recordPartition(k),
          offset: history.recordOffset(k), t: history.time(i), times: 1,
        });
      }
    }
  }
  return [...reads.values()];
}
