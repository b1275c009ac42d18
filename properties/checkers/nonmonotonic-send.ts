// nonmonotonic-send: taking one producer's sends to one partition in the order they were invoked (the
// order Kafka keeps with idempotence or one request in flight), a send landed at a lower offset than
// the send before it (retries reordering batches with max.in.flight > 1 and no idempotence, or a
// truncation that handed an acknowledged send's offset to later records). Where a send landed: its
// acknowledged offset (send-ok); for an unknown-outcome send (send-info, or none by the end), the
// lowest offset a poll returned its value at, since that read proves it committed there; a failed
// send landed nowhere. Sends whose landing nobody learned are passed over.
//
// As Jepsen's nonmonotonic-send, each send is compared with the previous landed one only, so one
// reordering is one case, not one per send until the offsets catch up. Two sends at the same offset
// are not this anomaly: one offset holding two values is inconsistent-offsets (Jepsen's version order
// gives such a pair no order either).
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history/history.js';
import type { Value } from '../../models/history/history.js';
import type { History } from '../../models/history/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { ValueTable } from '../_internals/value-table.js';
import { labelled } from '../_internals/values.js';

type Source = 'ack' | 'poll';

/** The previous landed send, per producer and partition (updated in place as the walk goes on). */
interface Landed {
  value: Value;
  offset: number;
  source: Source;
  invokedAt: Micros;
}

/** Counts sends that landed below the previous landed send of the same producer and partition, in invoke order. */
export function checkNonmonotonicSend(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('nonmonotonic-send', input.options.maxExamples);
  const history = input.history;
  const { acked, read } = landings(history);
  const previous = new Map<NodeId, Map<number, Landed>>();
  let lastProcess: NodeId | null = null;
  let lastByPartition = new Map<number, Landed>();
  for (let i = 0; i < history.length; i++) {
    if (history.kind(i) !== 'send-invoke') continue;
    const value = history.value(i);
    let offset = acked.get(value);
    let source: Source = 'ack';
    if (Number.isNaN(offset)) {
      offset = read.get(value) ?? Number.NaN;
      source = 'poll';
      if (Number.isNaN(offset)) continue;
    }
    const process = history.process(i);
    if (process !== lastProcess) {
      let byPartition = previous.get(process);
      if (byPartition === undefined) previous.set(process, (byPartition = new Map()));
      lastProcess = process;
      lastByPartition = byPartition;
    }
    const partition = history.partition(i);
    const invokedAt = history.time(i);
    const earlier = lastByPartition.get(partition);
    if (earlier === undefined) {
      lastByPartition.set(partition, { value, offset, source, invokedAt });
      continue;
    }
    if (offset < earlier.offset) {
      const later: Landed = { value, offset, source, invokedAt };
      cases.add(() => ({
        summary:
          `${process} sent ${valueLabel(earlier.value)} (at ${earlier.invokedAt}µs) before ${valueLabel(value)} (at ${invokedAt}µs) ` +
          `to partition ${partition}, but they landed at offsets ${earlier.offset} and ${offset}`,
        producer: process,
        partition,
        earlier: landedFields(earlier),
        later: landedFields(later),
      }));
    }
    // The case above is built already (or never will be): the record can move on in place.
    earlier.value = value;
    earlier.offset = offset;
    earlier.source = source;
    earlier.invokedAt = invokedAt;
  }
  return cases.report();
}

function landedFields(landed: Landed): Record<string, number | string> {
  return { ...labelled(landed.value), offset: landed.offset, landedBy: landed.source, invokedAtUs: landed.invokedAt };
}

/**
 * Each value's first acknowledged offset, and, for values invoked but neither acknowledged nor
 * failed, the lowest offset of their partition a poll returned them at.
 */
function landings(history: History): { acked: ValueTable; read: Map<Value, number> } {
  const denseLimit = 2 * history.length + 4096;
  const acked = new ValueTable(denseLimit);
  const failed = new ValueTable(denseLimit);
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-ok') {
      if (Number.isNaN(acked.get(history.value(i)))) acked.set(history.value(i), history.offset(i));
    } else if (kind === 'send-fail') failed.set(history.value(i), 1);
  }
  // Unknown outcomes are few: only their values are looked for in the polls.
  const unknown = new Map<Value, number>(); // value → its partition
  for (let i = 0; i < history.length; i++) {
    if (history.kind(i) !== 'send-invoke') continue;
    const value = history.value(i);
    if (Number.isNaN(acked.get(value)) && Number.isNaN(failed.get(value))) unknown.set(value, history.partition(i));
  }
  const read = new Map<Value, number>();
  if (unknown.size === 0) return { acked, read };
  for (const i of history.objectRows()) {
    if (history.kind(i) !== 'poll') continue;
    for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
      const value = history.recordValue(k);
      if (unknown.get(value) !== history.recordPartition(k)) continue;
      const offset = history.recordOffset(k);
      const known = read.get(value);
      if (known === undefined || offset < known) read.set(value, offset);
    }
  }
  return { acked, read };
}
