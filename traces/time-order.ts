// Renderers draw in time order. Traces are written in time order by the kernel, but a file may be
// concatenated or hand-made, so a stable sort (equal times keep their file order) restores it.
import type { TraceRecord } from '../sim/trace-record.js';

export function inTimeOrder(records: readonly TraceRecord[]): readonly TraceRecord[] {
  for (let i = 1; i < records.length; i++) {
    if (records[i]!.t < records[i - 1]!.t) return [...records].sort((a, b) => a.t - b.t);
  }
  return records;
}

/** The last time in the trace (0 for an empty one). */
export function endTime(records: readonly TraceRecord[]): number {
  let end = 0;
  for (const record of records) if (record.t > end) end = record.t;
  return end;
}
