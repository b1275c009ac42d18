// The Perfetto view: Chrome trace-event JSON (ui.perfetto.dev, chrome://tracing). One process per
// node (plus "world" for fault steps and phases), named and sorted by `M` metadata events. On
// each node's "events" thread: an instant per state change, a 1 µs slice per message sent,
// delivered or dropped, joined by a flow (s → f) per message. Fault periods are complete (`X`)
// slices on the node's "faults" threads (one thread per overlapping period, so slices nest), and
// each replica's high watermark is a counter (`C`) per partition. Timestamps are µs, as the
// format wants; the UI shows milliseconds.
import type { TraceRecord } from '../sim/trace-record.js';
import { Describer } from './describe.js';
import { extraFields, num } from './fields.js';
import { faultPeriods, type FaultPeriod } from './faults.js';
import { laneOrder, nodeRole } from './lanes.js';
import { pairMessages, type MessageArrow } from './messages.js';
import { isNoise } from './noise.js';
import { endTime, inTimeOrder } from './time-order.js';

interface TraceEvent {
  readonly ph: string;
  readonly pid: number;
  readonly tid?: number;
  readonly ts?: number;
  readonly dur?: number;
  readonly name?: string;
  readonly cat?: string;
  readonly id?: number;
  readonly bp?: string;
  readonly s?: string;
  readonly args?: Readonly<Record<string, unknown>>;
}

const WORLD_PID = 1;
const EVENTS_TID = 1;
const MESSAGE_KINDS = new Set(['send', 'deliver', 'drop', 'duplicate']);
const STEP_KINDS = new Set(['poll', 'process']);

class Processes {
  readonly pids = new Map<string, number>();
  /** Per node, the end time of the last fault period on each fault thread (tid 2, 3, …). */
  private readonly faultThreads = new Map<string, number[]>();

  constructor(nodes: readonly string[]) {
    nodes.forEach((node, i) => this.pids.set(node, WORLD_PID + 1 + i));
  }

  pid(node: string | undefined): number {
    return node === undefined ? WORLD_PID : this.pids.get(node) ?? WORLD_PID;
  }

  /** A fault thread of `node` free from `start` on; periods arrive by start time. */
  faultTid(node: string, start: number, end: number): number {
    const ends = this.faultThreads.get(node) ?? [];
    this.faultThreads.set(node, ends);
    let slot = ends.findIndex((busyUntil) => busyUntil <= start);
    if (slot < 0) slot = ends.push(end) - 1;
    ends[slot] = end;
    return EVENTS_TID + 1 + slot;
  }

  faultThreadCount(node: string): number {
    return this.faultThreads.get(node)?.length ?? 0;
  }
}

function metadata(processes: Processes): TraceEvent[] {
  const events: TraceEvent[] = [
    { ph: 'M', pid: WORLD_PID, name: 'process_name', args: { name: 'world (faults, phases)' } },
    { ph: 'M', pid: WORLD_PID, name: 'process_sort_index', args: { sort_index: 0 } },
    { ph: 'M', pid: WORLD_PID, tid: EVENTS_TID, name: 'thread_name', args: { name: 'steps' } },
  ];
  for (const [node, pid] of processes.pids) {
    events.push({ ph: 'M', pid, name: 'process_name', args: { name: `${node} (${nodeRole(node)})` } });
    events.push({ ph: 'M', pid, name: 'process_sort_index', args: { sort_index: pid } });
    events.push({ ph: 'M', pid, tid: EVENTS_TID, name: 'thread_name', args: { name: `${node} events` } });
    for (let i = 0; i < processes.faultThreadCount(node); i++) {
      events.push({ ph: 'M', pid, tid: EVENTS_TID + 1 + i, name: 'thread_name', args: { name: i === 0 ? `${node} faults` : `${node} faults ${i + 1}` } });
    }
  }
  return events;
}

function messageEvents(arrows: readonly MessageArrow[], processes: Processes): TraceEvent[] {
  const events: TraceEvent[] = [];
  arrows.forEach((arrow, i) => {
    const id = i + 1;
    const from = processes.pid(arrow.from);
    const to = processes.pid(arrow.to);
    const args = { from: arrow.from, to: arrow.to, id: arrow.id, bytes: arrow.bytes ?? null, outcome: arrow.outcome };
    events.push({ ph: 'X', pid: from, tid: EVENTS_TID, ts: arrow.sentAt, dur: 1, name: `send ${arrow.msg}`, cat: 'message', args });
    // A message still in flight at the end has no arrival: a send slice, no flow.
    if (arrow.outcome === 'in-flight') return;
    events.push({ ph: 's', pid: from, tid: EVENTS_TID, ts: arrow.sentAt, id, name: arrow.msg, cat: 'message' });
    const name = arrow.outcome === 'dropped' ? `drop ${arrow.msg} (${arrow.reason ?? '?'})` : `recv ${arrow.msg}`;
    events.push({ ph: 'X', pid: to, tid: EVENTS_TID, ts: arrow.endAt, dur: 1, name, cat: 'message', args: { ...args, reason: arrow.reason ?? null } });
    events.push({ ph: 'f', bp: 'e', pid: to, tid: EVENTS_TID, ts: arrow.endAt, id, name: arrow.msg, cat: 'message' });
  });
  return events;
}

function faultEvents(periods: readonly FaultPeriod[], processes: Processes): TraceEvent[] {
  const events: TraceEvent[] = [];
  for (const period of periods) {
    for (const node of period.nodes) {
      const tid = processes.faultTid(node, period.startAt, period.endAt);
      events.push({
        ph: 'X', pid: processes.pid(node), tid, ts: period.startAt, dur: period.endAt - period.startAt,
        name: period.label, cat: 'fault', args: { kind: period.kind, open: period.open },
      });
    }
  }
  return events;
}

function stateEvents(records: readonly TraceRecord[], processes: Processes): TraceEvent[] {
  const describer = new Describer();
  const events: TraceEvent[] = [];
  for (const record of records) {
    const { detail, short } = describer.describe(record);
    if (MESSAGE_KINDS.has(record.kind) || (isNoise(record) && !STEP_KINDS.has(record.kind))) continue;
    const pid = record.kind === 'fault' || record.kind === 'settle' ? WORLD_PID : processes.pid(record.node);
    const args = Object.fromEntries([...extraFields(record), ['detail', detail]]);
    events.push({ ph: 'i', s: 't', pid, tid: EVENTS_TID, ts: record.t, name: short, cat: record.kind, args });
    const hw = num(record, 'hw');
    if (record.kind === 'hw' && hw !== undefined) {
      events.push({ ph: 'C', pid, ts: record.t, name: `hw partition ${String(record['partition'])}`, args: { hw } });
    }
  }
  return events;
}

function* jsonChunks(events: readonly TraceEvent[], first: boolean): Generator<string> {
  const CHUNK_EVENTS = 10_000;
  for (let start = 0; start < events.length; start += CHUNK_EVENTS) {
    const text = events.slice(start, start + CHUNK_EVENTS).map((event) => JSON.stringify(event)).join(',\n');
    yield first && start === 0 ? text : `,\n${text}`;
  }
}

/** Chrome trace-event JSON in pieces, so a long trace never becomes one string. */
export function* perfettoChunks(records: readonly TraceRecord[]): Generator<string> {
  const ordered = inTimeOrder(records);
  const end = endTime(ordered);
  const processes = new Processes(laneOrder(ordered));
  const faults = faultEvents(faultPeriods(ordered, end), processes);
  const states = stateEvents(ordered, processes);
  const messages = messageEvents(pairMessages(ordered, end), processes);
  // Lanes are named as the events are made, so the metadata comes after them but is written first.
  const meta = metadata(processes);
  yield '{"traceEvents":[\n';
  let first = true;
  for (const events of [meta, faults, states, messages]) {
    if (events.length === 0) continue;
    yield* jsonChunks(events, first);
    first = false;
  }
  yield '\n],"displayTimeUnit":"ms"}\n';
}

export function renderPerfetto(records: readonly TraceRecord[]): string {
  return [...perfettoChunks(records)].join('');
}
