// Fault steps: the kernel's vocabulary of faults (DESIGN.md "Fault semantics"). A script is a list
// of steps ordered by time; a random plan (nemesis.ts) is generated as such a script, so a failing
// random run can be shrunk like any script.
import type { NodeId } from './env.js';

export type FaultStep =
  /** Each named node is cut from every other node, both directions. */
  | { readonly atMs: number; readonly fault: 'partition'; readonly isolate: readonly NodeId[] }
  /**
   * A link between two named nodes stays open only if some group holds both. A node in two groups
   * is a bridge (Jepsen's bridge partition). Nodes named in no group keep all their links.
   */
  | { readonly atMs: number; readonly fault: 'partition'; readonly groups: readonly (readonly NodeId[])[] }
  /** One way: messages from `from` to `to` are cut; `to` → `from` stays open. */
  | { readonly atMs: number; readonly fault: 'partition'; readonly from: NodeId; readonly to: NodeId }
  /** Restores every link, or only the links touching the named nodes. */
  | { readonly atMs: number; readonly fault: 'heal'; readonly nodes?: readonly NodeId[] }
  | { readonly atMs: number; readonly fault: 'crash' | 'power-loss' | 'restart' | 'pause' | 'resume'; readonly node: NodeId }
  /** Multiplies the node's disk or NIC latency; factor 1 restores it. */
  | { readonly atMs: number; readonly fault: 'slow-disk' | 'slow-net'; readonly node: NodeId; readonly factor: number }
  /** Sets the node's clock offset (not cumulative); 0 restores it. */
  | { readonly atMs: number; readonly fault: 'clock-skew'; readonly node: NodeId; readonly offsetMs: number };

export type FaultKind = 'partition' | 'crash' | 'power-loss' | 'pause' | 'slow-disk' | 'slow-net' | 'clock-skew';

export const ALL_FAULT_KINDS: readonly FaultKind[] = [
  'partition', 'crash', 'power-loss', 'pause', 'slow-disk', 'slow-net', 'clock-skew',
];
