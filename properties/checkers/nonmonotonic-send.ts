// nonmonotonic-send: taking one producer's acknowledged sends to one partition in the order they
// were invoked, a later one landed at a lower offset than an earlier one (retries reordering
// batches with max.in.flight > 1 and no idempotence).
import type { Micros, NodeId } from '../../sim/env.js';
import { valueLabel } from '../../models/history.js';
import type { HistoryOp, Value } from '../../models/history.js';
import type { AnomalyReport } from '../anomaly.js';
import { CaseCollector } from '../anomaly.js';
import type { CheckInput } from '../check-input.js';
import { labelled } from '../_internals/values.js';

type SendOk = Extract<HistoryOp, { kind: 'send-ok' }>;

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
  const acks = firstAcks(input.history);
  const highest = new Map<NodeId, Map<number, Highest>>();
  const invoked = new Set<Value>();
  for (const op of input.history) {
    if (op.kind !== 'send-invoke' || invoked.has(op.value)) continue;
    invoked.add(op.value);
    const ack = acks.get(op.value);
    if (ack === undefined) continue;
    let byPartition = highest.get(op.process);
    if (byPartition === undefined) {
      byPartition = new Map();
      highest.set(op.process, byPartition);
    }
    const earlier = byPartition.get(ack.partition);
    if (earlier === undefined || ack.offset > earlier.offset) {
      byPartition.set(ack.partition, { value: op.value, offset: ack.offset, invokedAt: op.t });
    } else if (ack.offset < earlier.offset) {
      const invokedAt = op.t;
      cases.add(() => ({
        summary:
          `${op.process} sent ${valueLabel(earlier.value)} (at ${earlier.invokedAt}µs) before ${valueLabel(op.value)} (at ${invokedAt}µs) ` +
          `to partition ${ack.partition}, but they landed at offsets ${earlier.offset} and ${ack.offset}`,
        producer: op.process,
        partition: ack.partition,
        earlier: { ...labelled(earlier.value), offset: earlier.offset, invokedAtUs: earlier.invokedAt },
        later: { ...labelled(op.value), offset: ack.offset, invokedAtUs: invokedAt, ackedAtUs: ack.t },
      }));
    }
  }
  return cases.report();
}

function firstAcks(history: readonly HistoryOp[]): Map<Value, SendOk> {
  const acks = new Map<Value, SendOk>();
  for (const op of history) {
    if (op.kind === 'send-ok' && !acks.has(op.value)) acks.set(op.value, op);
  }
  return acks;
}
