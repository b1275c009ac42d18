// The shape of one trace record, as written (one JSON object per line) to a trace file and read by
// the renderers in traces/. Kernel kinds are listed in KERNEL_TRACE_KINDS; every other kind is a
// model event emitted through Env.trace.
import type { Micros, NodeId, TraceValue } from './env.js';

export interface TraceRecord {
  /** Simulated time, integer microseconds. */
  readonly t: Micros;
  readonly kind: string;
  /** The node the event happened on (for send: the sender; deliver/drop: the receiver). */
  readonly node?: NodeId;
  readonly [field: string]: TraceValue | undefined;
}

/**
 * Kernel record kinds and their fields:
 * - `timer`      node, id                                   a timer fired on node
 * - `send`       node (from), to, msg (type), id, bytes     a message left the sender
 * - `deliver`    node (to), from, msg, id                   it was handed to the receiver
 * - `drop`       node (to), from, msg, id, reason            it was lost: cut | crashed | chaos | down |
 *                                                            closed | timed-out (the last two: partitionMode retransmit)
 * - `duplicate`  node (from), to, msg, id                   chaos knob delivered a copy
 * - `disk-write` node, file, entries, bytes                 entries reached the page cache
 * - `disk-truncate` node, file, length
 * - `disk-fsync` node, file, durable (entries)               data became durable by fsync
 * - `disk-writeback` node, file, durable                    data became durable by write-back
 * - `disk-loss`  node, file, lost (entries), kept            power loss dropped non-durable entries
 * - `fault`      fault, plus the step's fields (node, isolate, groups, from, to, factor, offsetMs)
 * - `node`       node, state: up | crashed | powered-off | paused | resumed, incarnation
 * - `settle`     the heal-and-settle phase began
 * With network.partitionMode retransmit the network also writes `hold` (node (to), from, msg, id,
 * conn): a message met a cut and waits for the heal. It is a named kind, not listed here, so that
 * runs without it hash as before (a kernel kind would shift every model kind's interned id).
 */
export const KERNEL_TRACE_KINDS: readonly string[] = [
  'timer', 'send', 'deliver', 'drop', 'duplicate', 'disk-write', 'disk-truncate', 'disk-fsync',
  'disk-writeback', 'disk-loss', 'fault', 'node', 'settle',
];
