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

// Messages and state changes are made one at a time as they are written: a long trace has
// millions, and holding them all as objects would take several times the trace's own memory.
function* messageEvents(arrows: readonly MessageArrow[], processes: Processes): Generator<TraceEvent> {
  for (let i = 0; i < arrows.length; i++) {
    const arrow = arrows[i]!;
    const id = i + 1;
    const from = processes.pid(arrow.from);
    const to = processes.pid(arrow.to);
    const args = { from: arrow.from, to: arrow.to, id: arrow.id, bytes: arrow.bytes ?? null, outcome: arrow.outcome };
    yield { ph: 'X', pid: from, tid: EVENTS_TID, ts: arrow.sentAt, dur: 1, name: `send ${arrow.msg}`, cat: 'message', args };
    // A message still in flight at the end has no arrival: a send slice, no flow.
    if (arrow.outcome === 'in-flight') continue;
    yield { ph: 's', pid: from, tid: EVENTS_TID, ts: arrow.sentAt, id, name: arrow.msg, cat: 'message' };
    const name = arrow.outcome === 'dropped' ? `drop ${arrow.msg} (${arrow.reason ?? '?'})` : `recv ${arrow.msg}`;
    yield { ph: 'X', pid: to, tid: EVENTS_TID, ts: arrow.endAt, dur: 1, name, cat: 'message', args: { ...args, reason: arrow.reason ?? null } };
    yield { ph: 'f', bp: 'e', pid: to, tid: EVENTS_TID, ts: arrow.endAt, id, name: arrow.msg, cat: 'message' };
  }
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

function* stateEvents(records: readonly TraceRecord[], processes: Processes): Generator<TraceEvent> {
  const describer = new Describer();
  for (const record of records) {
    const { detail, short } = describer.describe(record);
    if (MESSAGE_KINDS.has(record.kind) || (isNoise(record) && !STEP_KINDS.has(record.kind))) continue;
    const pid = record.kind === 'fault' || record.kind === 'settle' ? WORLD_PID : processes.pid(record.node);
    const args = Object.fromEntries([...extraFields(record), ['detail', detail]]);
    yield { ph: 'i', s: 't', pid, tid: EVENTS_TID, ts: record.t, name: short, cat: record.kind, args };
    const hw = num(record, 'hw');
    if (record.kind === 'hw' && hw !== undefined) {
      yield { ph: 'C', pid, ts: record.t, name: `hw partition ${String(record['partition'])}`, args: { hw } };
    }
  }
}

/** The events as JSON, comma-separated, in pieces of CHUNK_EVENTS. */
function* jsonChunks(groups: Iterable<Iterable<TraceEvent>>): Generator<string> {
  const CHUNK_EVENTS = 10_000;
  let lines: string[] = [];
  let first = true;
  const flush = (): string => {
    const text = lines.join(',\n');
    lines = [];
    const piece = first ? text : `,\n${text}`;
    first = false;
    return piece;
  };
  for (const events of groups) {
    for (const event of events) {
      lines.push(JSON.stringify(event));
      if (lines.length === CHUNK_EVENTS) yield flush();
    }
  }
  if (lines.length > 0) yield flush();
}

/** Chrome trace-event JSON in pieces, so a long trace never becomes one string. */
export function* perfettoChunks(records: readonly TraceRecord[]): Generator<string> {
  const ordered = inTimeOrder(records);
  const end = endTime(ordered);
  const processes = new Processes(laneOrder(ordered));
  // Fault periods decide how many fault threads each node has, which the metadata names.
  const faults = faultEvents(faultPeriods(ordered, end), processes);
  const meta = metadata(processes);
  const messages = pairMessages(ordered, end);
  yield '{"traceEvents":[\n';
  yield* jsonChunks([meta, faults, stateEvents(ordered, processes), messageEvents(messages, processes)]);
  yield '\n],"displayTimeUnit":"ms"}\n';
}

export function renderPerfetto(records: readonly TraceRecord[]): string {
  return [...perfettoChunks(records)].join('');
}
