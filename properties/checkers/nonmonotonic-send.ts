// nonmonotonic-send: taking one producer's acknowledged sends to one partition in the order they
// were invoked, a later one landed at a lower offset than an earlier one (retries reordering
// batches with max.in.flight > 1 and no idempotence).
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history.js';
import type { Value } from '../../models/history.js';
import type { History } from '../../models/history-log.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { labelled } from '../_internals/values.js';

/** The acknowledged send with the highest offset so far, per producer and partition. */
interface Highest {
  readonly value: Value;
  readonly offset: number;
  readonly invokedAt: Micros;
}

/**
 * Counts acknowledged sends that landed below an earlier-invoked acknowledged send of the same
 * producer and partition, in invoke order. Sends acknowledged without a recorded invoke cannot be
 * ordered and are skipped.
 */
export function checkNonmonotonicSend(input: CheckInput): AnomalyReport | null {
  const cases = new CaseCollector('nonmonotonic-send', input.options.maxExamples);
  const history = input.history;
  const acks = firstAcks(history);
  const highest = new Map<NodeId, Map<number, Highest>>();
  const invoked = new Set<Value>();
  for (let i = 0; i < history.length; i++) {
    if (history.kind(i) !== 'send-invoke') continue;
    const value = history.value(i);
    if (invoked.has(value)) continue;
    invoked.add(value);
    const ackRow = acks.get(value);
    if (ackRow === undefined) continue;
    const process = history.process(i);
    const partition = history.partition(ackRow);
    const offset = history.offset(ackRow);
    const invokedAt = history.time(i);
    let byPartition = highest.get(process);
    if (byPartition === undefined) {
      byPartition = new Map();
      highest.set(process, byPartition);
    }
    const earlier = byPartition.get(partition);
    if (earlier === undefined || offset > earlier.offset) {
      byPartition.set(partition, { value, offset, invokedAt });
    } else if (offset < earlier.offset) {
      const ackedAt = history.time(ackRow);
      cases.add(() => ({
        summary:
          `${process} sent ${valueLabel(earlier.value)} (at ${earlier.invokedAt}µs) before ${valueLabel(value)} (at ${invokedAt}µs) ` +
          `to partition ${partition}, but they landed at offsets ${earlier.offset} and ${offset}`,
        producer: process,
        partition,
        earlier: { ...labelled(earlier.value), offset: earlier.offset, invokedAtUs: earlier.invokedAt },
        later: { ...labelled(value), offset, invokedAtUs: invokedAt, ackedAtUs: ackedAt },
      }));
    }
  }
  return cases.report();
}

/** Each value's first send-ok row. */
function firstAcks(history: History): Map<Value, number> {
  const acks = new Map<Value, number>();
  for (let i = 0; i < history.length; i++) {
    if (history.kind(i) === 'send-ok' && !acks.has(history.value(i))) acks.set(history.value(i), i);
  }
  return acks;
}
