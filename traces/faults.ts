// Fault periods: when each fault was in force and on which nodes. A partition lasts from its step
// to the heal that covers it; a crash or power loss until the node is up again; a pause until it
// resumes; slow-disk, slow-net and clock-skew until they are set back (factor 1, offset 0) or
// changed. Node-state periods follow both the fault steps and the kernel's `node` records, so a
// trace holding either (or both, at the same instants) gives the same periods. A period still in
// force at the end of the trace is `open` and ends at the trace's end.
import type { NodeId } from '../sim/env.js';
import type { TraceRecord } from '../sim/trace-record.js';
import { groupsOf, num, str } from './fields.js';

export type FaultPeriodKind = 'partition' | 'crash' | 'power-loss' | 'pause' | 'slow-disk' | 'slow-net' | 'clock-skew';

export interface FaultPeriod {
  readonly kind: FaultPeriodKind;
  /** The nodes whose lanes the period shades. */
  readonly nodes: readonly NodeId[];
  readonly startAt: number;
  readonly endAt: number;
  /** "partition: isolate b1", "crash b3", "slow-disk b1 ×10" … */
  readonly label: string;
  readonly open: boolean;
}

interface Opened {
  readonly kind: FaultPeriodKind;
  readonly nodes: readonly NodeId[];
  readonly startAt: number;
  readonly label: string;
}

const DOWN_STATES = new Map<string, FaultPeriodKind>([['crashed', 'crash'], ['powered-off', 'power-loss'], ['paused', 'pause']]);
const DOWN_FAULTS = new Map<string, FaultPeriodKind>([['crash', 'crash'], ['power-loss', 'power-loss'], ['pause', 'pause']]);
const UP_STATES = new Set(['up', 'resumed']);
const UP_FAULTS = new Set(['restart', 'resume']);

/**
 * The nodes a partition step cuts off, and how to say it. For groups, the shaded side is every
 * group but the largest (the first largest on a tie): the minority, cut off from the rest.
 */
export function partitionShape(record: TraceRecord): { nodes: NodeId[]; label: string } {
  const isolate = record['isolate'];
  if (Array.isArray(isolate)) return { nodes: isolate.map(String), label: `partition: isolate ${isolate.join(',')}` };
  const groups = groupsOf(record['groups']);
  if (groups.length > 0) {
    const largest = groups.reduce((best, group) => (group.length > best.length ? group : best), groups[0]!);
    const cut = groups.length === 1 ? largest : groups.filter((group) => group !== largest).flat().filter((node) => !largest.includes(node));
    return { nodes: [...new Set(cut)], label: `partition: ${groups.map((group) => `{${group.join(',')}}`).join(' | ')}` };
  }
  const from = str(record, 'from') ?? '?';
  const to = str(record, 'to') ?? '?';
  return { nodes: [from], label: `partition: ${from} ↛ ${to} (one way)` };
}

class PeriodBuilder {
  readonly periods: FaultPeriod[] = [];
  private readonly partitions: Opened[] = [];
  /** Per node, per slot (down | slow-disk | slow-net | clock-skew): the period in force. */
  private readonly slots = new Map<string, Opened>();

  open(slot: string, period: Opened): void {
    this.close(slot, period.startAt);
    this.slots.set(slot, period);
  }

  close(slot: string, at: number): void {
    const period = this.slots.get(slot);
    if (period === undefined) return;
    this.slots.delete(slot);
    this.periods.push({ ...period, endAt: at, open: false });
  }

  openPartition(period: Opened): void {
    this.partitions.push(period);
  }

  /** Heals every partition, or only those touching the named nodes. */
  heal(at: number, nodes: readonly NodeId[] | undefined): void {
    for (let i = this.partitions.length - 1; i >= 0; i--) {
      const period = this.partitions[i]!;
      if (nodes !== undefined && !period.nodes.some((node) => nodes.includes(node))) continue;
      this.partitions.splice(i, 1);
      this.periods.push({ ...period, endAt: at, open: false });
    }
  }

  finish(end: number): FaultPeriod[] {
    const open = [...this.partitions, ...this.slots.values()];
    for (const period of open) this.periods.push({ ...period, endAt: Math.max(end, period.startAt), open: true });
    return this.periods.sort((a, b) => a.startAt - b.startAt);
  }

  current(slot: string): Opened | undefined {
    return this.slots.get(slot);
  }
}

function onDown(builder: PeriodBuilder, node: NodeId, kind: FaultPeriodKind, at: number): void {
  const slot = `down\u0000${node}`;
  const label = `${kind} ${node}`;
  // The fault step and the kernel's node record of the same crash arrive together: keep the first.
  if (builder.current(slot)?.kind === kind) return;
  builder.open(slot, { kind, nodes: [node], startAt: at, label });
}

function onSetting(builder: PeriodBuilder, record: TraceRecord, node: NodeId): void {
  const fault = record['fault'] as FaultPeriodKind;
  const slot = `${fault}\u0000${node}`;
  if (fault === 'clock-skew') {
    const offsetMs = num(record, 'offsetMs') ?? 0;
    if (offsetMs === 0) return builder.close(slot, record.t);
    return builder.open(slot, { kind: fault, nodes: [node], startAt: record.t, label: `clock-skew ${node} ${offsetMs > 0 ? '+' : ''}${offsetMs} ms` });
  }
  const factor = num(record, 'factor') ?? 1;
  if (factor === 1) return builder.close(slot, record.t);
  builder.open(slot, { kind: fault, nodes: [node], startAt: record.t, label: `${fault} ${node} ×${factor}` });
}

function onFault(builder: PeriodBuilder, record: TraceRecord): void {
  const fault = str(record, 'fault') ?? '';
  const node = record.node;
  if (fault === 'partition') {
    const { nodes, label } = partitionShape(record);
    return builder.openPartition({ kind: 'partition', nodes, startAt: record.t, label });
  }
  if (fault === 'heal') {
    const nodes = record['nodes'];
    return builder.heal(record.t, Array.isArray(nodes) ? nodes.map(String) : undefined);
  }
  if (node === undefined) return;
  const down = DOWN_FAULTS.get(fault);
  if (down !== undefined) return onDown(builder, node, down, record.t);
  if (UP_FAULTS.has(fault)) return builder.close(`down\u0000${node}`, record.t);
  if (fault === 'slow-disk' || fault === 'slow-net' || fault === 'clock-skew') onSetting(builder, record, node);
}

function onNodeState(builder: PeriodBuilder, record: TraceRecord): void {
  const node = record.node;
  const state = str(record, 'state') ?? '';
  if (node === undefined) return;
  const down = DOWN_STATES.get(state);
  if (down !== undefined) return onDown(builder, node, down, record.t);
  if (UP_STATES.has(state)) builder.close(`down\u0000${node}`, record.t);
}

/** The fault periods of a time-ordered trace, by start time. */
export function faultPeriods(records: readonly TraceRecord[], traceEnd: number): FaultPeriod[] {
  const builder = new PeriodBuilder();
  for (const record of records) {
    if (record.kind === 'fault') onFault(builder, record);
    else if (record.kind === 'node') onNodeState(builder, record);
  }
  return builder.finish(traceEnd);
}
