// Kernel trace kinds as small integers. TraceSink interns KERNEL_TRACE_KINDS first and in order, so
// a kernel kind's id is its index there; emitters resolve their ids once, at module load.
import { KERNEL_TRACE_KINDS } from './trace-record.js';

export function kernelKindId(kind: string): number {
  const id = KERNEL_TRACE_KINDS.indexOf(kind);
  if (id < 0) throw new Error(`not a kernel trace kind: ${kind}`);
  return id;
}
