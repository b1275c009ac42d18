// Which records a reader skips by default: the machinery (timers, routine message traffic, disk
// I/O) and the high-rate consumer steps. Everything else, including kinds ksim does not know, is a
// state change someone may care about.
import type { TraceRecord } from '../sim/trace-record.js';
import { isMessageSend } from './fields.js';

const NOISE_KINDS = new Set(['timer', 'deliver', 'disk-write', 'disk-truncate', 'disk-fsync', 'disk-writeback', 'poll', 'process']);

export function isNoise(record: TraceRecord): boolean {
  return NOISE_KINDS.has(record.kind) || isMessageSend(record);
}
