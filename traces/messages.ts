// Messages as arrows: each kernel send paired with what became of it (deliver, drop, a chaos
// duplicate's second deliver, or still in flight when the trace ends). Shared by the HTML and
// Perfetto views. Pairing is by (sender, id), so ids need only be unique per sender.
import type { NodeId } from '../sim/env.js';
import type { TraceRecord } from '../sim/trace-record.js';
import { isMessageSend, num, str } from './fields.js';

export type MessageOutcome = 'delivered' | 'dropped' | 'duplicate' | 'in-flight';

export interface MessageArrow {
  readonly from: NodeId;
  readonly to: NodeId;
  /** The message type (`msg`). */
  readonly msg: string;
  readonly id: number;
  readonly bytes: number | undefined;
  readonly sentAt: number;
  /** Deliver or drop time; the trace's end for a message still in flight. */
  readonly endAt: number;
  readonly outcome: MessageOutcome;
  /** Why it was dropped: cut | crashed | chaos | down. */
  readonly reason: string | undefined;
}

interface PendingSend {
  readonly record: TraceRecord;
  ends: number;
}

function sendKey(from: string, id: number | undefined): string {
  return `${from}\u0000${id ?? ''}`;
}

function arrowOf(send: TraceRecord, end: TraceRecord | undefined, outcome: MessageOutcome, endAt: number): MessageArrow {
  return {
    from: send.node ?? '?',
    to: str(send, 'to') ?? '?',
    msg: str(send, 'msg') ?? '?',
    id: num(send, 'id') ?? -1,
    bytes: num(send, 'bytes'),
    sentAt: send.t,
    endAt,
    outcome,
    reason: end === undefined ? undefined : str(end, 'reason'),
  };
}

/** Every message of a time-ordered trace, in send order (arrows of one send in the order they ended). */
export function pairMessages(records: readonly TraceRecord[], traceEnd: number): MessageArrow[] {
  const pending = new Map<string, PendingSend>();
  const arrows: { readonly order: number; readonly arrow: MessageArrow }[] = [];
  const sendOrder = new Map<TraceRecord, number>();
  for (const record of records) {
    if (isMessageSend(record)) {
      sendOrder.set(record, sendOrder.size);
      pending.set(sendKey(record.node ?? '?', num(record, 'id')), { record, ends: 0 });
      continue;
    }
    if (record.kind !== 'deliver' && record.kind !== 'drop') continue;
    const send = pending.get(sendKey(str(record, 'from') ?? '?', num(record, 'id')));
    if (send === undefined) continue;
    const outcome: MessageOutcome = record.kind === 'drop' ? 'dropped' : send.ends > 0 ? 'duplicate' : 'delivered';
    send.ends++;
    arrows.push({ order: sendOrder.get(send.record) ?? 0, arrow: arrowOf(send.record, record, outcome, record.t) });
  }
  for (const send of pending.values()) {
    if (send.ends === 0) arrows.push({ order: sendOrder.get(send.record) ?? 0, arrow: arrowOf(send.record, undefined, 'in-flight', traceEnd) });
  }
  return arrows.sort((a, b) => a.order - b.order).map((entry) => entry.arrow);
}
