// The data the HTML view embeds: compact, index-based JSON, so a trace of 100k+ records stays a
// page a browser loads in a moment. Messages are a flat number array (ARROW_FIELDS numbers per
// arrow, lanes and types as indexes); state changes are small tuples with their words precomputed
// by the same Describer the text view uses.
import type { TraceRecord } from '../sim/trace-record.js';
import { VALUE_STRIDE } from '../models/history/history.js';
import { commitSucceeded, Describer } from './describe.js';
import { extraFields, num, str } from './fields.js';
import { faultPeriods } from './faults.js';
import { laneOrder, nodeRole } from './lanes.js';
import { pairMessages, type MessageArrow, type MessageOutcome } from './messages.js';
import { lossSentence, lostAcks } from './story.js';
import { endTime, inTimeOrder } from './time-order.js';

export const ARROW_FIELDS = 9;
export const OUTCOMES: readonly MessageOutcome[] = ['delivered', 'dropped', 'duplicate', 'in-flight'];
/**
 * Message colours. A request and its response (`Fetch`, `FetchResponse`) share a colour; the
 * colour of a pair is its index (pairs sorted by name) modulo this list.
 */
export const PALETTE: readonly string[] = [
  '#2b6cb0', '#dd6b20', '#2f855a', '#805ad5', '#b7791f', '#d53f8c', '#319795', '#718096', '#975a16', '#4c51bf',
];

/** [t, lane, category, short label, detail, kind, fields] — a state change on one lane. */
export type MarkerTuple = [number, number, string, string, string, string, Record<string, unknown>];
/** [t, category, short label, detail, kind, fields] — an event of no single node (heal all, settle). */
export type GlobalTuple = [number, string, string, string, string, Record<string, unknown>];

export interface FaultBand {
  readonly kind: string;
  readonly lanes: readonly number[];
  readonly start: number;
  readonly end: number;
  readonly label: string;
  readonly open: boolean;
}

/**
 * A lost write's story (story.ts) in the view's terms: lanes as indexes, and the markers it links
 * (the new leader's `leader` record, the controller's election, the truncations) as marker indexes,
 * -1 where the trace has none.
 */
export interface StoryLoss {
  readonly partition: number;
  readonly from: number;
  readonly to: number;
  readonly offsets: number;
  readonly ackStart: number;
  readonly ackEnd: number;
  readonly producers: readonly number[];
  readonly leaderMarker: number;
  readonly electionMarker: number;
  readonly how: string;
  readonly truncationMarkers: readonly number[];
  /** When the story ends: the last truncation, else the new leader. */
  readonly end: number;
  readonly sentence: string;
}

export interface ViewData {
  readonly title: string;
  readonly start: number;
  readonly end: number;
  readonly records: number;
  readonly valueStride: number;
  readonly lanes: readonly string[];
  readonly roles: readonly string[];
  readonly types: readonly string[];
  readonly typeColors: readonly string[];
  /** Per type, the index of its request/response pair (its colour and its legend entry). */
  readonly typeGroups: readonly number[];
  /** Per pair, its name (the request's) and colour. */
  readonly groups: readonly string[];
  readonly groupColors: readonly string[];
  readonly reasons: readonly string[];
  readonly outcomes: readonly string[];
  readonly arrows: readonly number[];
  readonly faults: readonly FaultBand[];
  readonly markers: readonly MarkerTuple[];
  readonly globals: readonly GlobalTuple[];
  readonly story: readonly StoryLoss[];
}

/** Kinds drawn as arrows or not at all (machinery). */
const NOT_MARKERS = new Set(['send', 'deliver', 'drop', 'duplicate', 'timer', 'disk-write', 'disk-truncate', 'disk-fsync', 'disk-writeback']);
const KNOWN_CATEGORIES = new Set([
  'leader', 'follower', 'isr', 'hw', 'truncate', 'election', 'fenced', 'unfenced', 'send-ok', 'send-fail', 'send-info',
  'poll', 'process', 'assign', 'fault', 'disk-loss', 'settle', 'lso', 'txn-state', 'txn-markers', 'txn-end',
  'txn-offset-commit', 'txn-offsets-complete',
]);
/** Kinds the models may spell differently, drawn as the marker they mean. */
const ALIASES = new Map([['assigned', 'assign'], ['isr-change', 'isr']]);
const NODE_CATEGORIES = new Map([['up', 'node-up'], ['resumed', 'node-up'], ['crashed', 'node-down'], ['powered-off', 'node-down'], ['paused', 'node-pause']]);

function nodeCategory(record: TraceRecord): string {
  const state = str(record, 'state') ?? '';
  // A first boot is not news: drawn without a label.
  if (state === 'up' && (num(record, 'incarnation') ?? 1) <= 1) return 'node-start';
  return NODE_CATEGORIES.get(state) ?? 'other';
}

/** Which marker a record becomes, or undefined for records drawn otherwise. */
export function markerCategory(record: TraceRecord): string | undefined {
  if (record.kind === 'send' && str(record, 'msg') === undefined) return 'send';
  if (NOT_MARKERS.has(record.kind)) return undefined;
  if (record.kind === 'node') return nodeCategory(record);
  if (record.kind === 'commit') return commitSucceeded(record) ? 'commit' : 'commit-fail';
  return ALIASES.get(record.kind) ?? (KNOWN_CATEGORIES.has(record.kind) ? record.kind : 'other');
}

class Interner {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();

  constructor(names: readonly string[] = []) {
    for (const name of names) this.of(name);
  }

  of(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.index.set(name, i);
    }
    return i;
  }
}

function arrowNumbers(arrows: readonly MessageArrow[], lanes: Interner, types: Interner, reasons: Interner): number[] {
  const flat: number[] = [];
  for (const a of arrows) {
    flat.push(a.sentAt, lanes.of(a.from), a.endAt, lanes.of(a.to), types.of(a.msg), OUTCOMES.indexOf(a.outcome),
      a.id, a.bytes ?? -1, a.reason === undefined ? -1 : reasons.of(a.reason));
  }
  return flat;
}

function stateTuples(records: readonly TraceRecord[], lanes: Interner): { markers: MarkerTuple[]; globals: GlobalTuple[] } {
  const describer = new Describer();
  const markers: MarkerTuple[] = [];
  const globals: GlobalTuple[] = [];
  let lastFault: TraceRecord | undefined;
  for (const record of records) {
    const { detail, short } = describer.describe(record);
    const category = markerCategory(record);
    if (category === undefined) continue;
    const fields = Object.fromEntries(extraFields(record));
    // A node's state change right after the fault step that caused it says nothing new: no label.
    const echo = record.kind === 'node' && lastFault?.t === record.t && lastFault.node === record.node;
    if (record.kind === 'fault') lastFault = record;
    if (record.node === undefined) globals.push([record.t, category, short, detail, record.kind, fields]);
    else markers.push([record.t, lanes.of(record.node), category, echo ? '' : short, detail, record.kind, fields]);
  }
  prefixClusters(markers);
  return { markers, globals };
}

/**
 * Several markers of one lane at one instant (the controller electing a leader for every partition
 * at once) are drawn side by side; their labels name the partition, so each says which it is.
 */
function prefixClusters(markers: MarkerTuple[]): void {
  const sizes = new Map<string, number>();
  for (const m of markers) sizes.set(`${m[0]}\u0000${m[1]}`, (sizes.get(`${m[0]}\u0000${m[1]}`) ?? 0) + 1);
  for (const m of markers) {
    const partition = m[6]['partition'];
    if (m[3] === '' || typeof partition !== 'number' || (sizes.get(`${m[0]}\u0000${m[1]}`) ?? 0) < 2) continue;
    m[3] = `p${partition} ${m[3]}`;
  }
}

/** The marker of a record: the first at its time, on its lane, of its kind and partition. */
function markerOf(markers: readonly MarkerTuple[], t: number, lane: number, kind: string, partition: number): number {
  return markers.findIndex((m) => m[0] === t && m[1] === lane && m[5] === kind && m[6]['partition'] === partition);
}

function storyOf(ordered: readonly TraceRecord[], markers: readonly MarkerTuple[], lanes: Interner): StoryLoss[] {
  return lostAcks(ordered).map((loss) => {
    const truncationMarkers = loss.truncations.map((t) => markerOf(markers, t.t, lanes.of(t.node), 'truncate', loss.partition));
    const election = loss.election;
    return {
      partition: loss.partition, from: loss.from, to: loss.to, offsets: loss.offsets, ackStart: loss.ackStart, ackEnd: loss.ackEnd,
      producers: loss.producers.map((p) => lanes.of(p)),
      leaderMarker: markerOf(markers, loss.leaderAt, lanes.of(loss.leader), 'leader', loss.partition),
      electionMarker: election === null ? -1 : markerOf(markers, election.t, lanes.of(election.node), 'election', loss.partition),
      how: election?.how ?? '',
      truncationMarkers, end: Math.max(loss.leaderAt, ...loss.truncations.map((t) => t.t)),
      sentence: lossSentence(loss),
    };
  });
}

/** `FetchResponse` → `Fetch`, `fetch-resp` → `fetch`, `register-ok` → `register`: a response is drawn in its request's colour. */
export function requestOf(type: string): string {
  const match = /^(.+?)(?:Response|-response|-resp|-ok)$/.exec(type);
  return match?.[1] ?? type;
}

export function buildViewData(records: readonly TraceRecord[], title: string): ViewData {
  const ordered = inTimeOrder(records);
  const end = endTime(ordered);
  const laneNames = laneOrder(ordered);
  const lanes = new Interner(laneNames);
  const arrows = pairMessages(ordered, end);
  const types = new Interner([...new Set(arrows.map((a) => a.msg))].sort());
  const groups = new Interner([...new Set(types.names.map(requestOf))].sort());
  const typeGroups = types.names.map((type) => groups.of(requestOf(type)));
  const reasons = new Interner();
  const flat = arrowNumbers(arrows, lanes, types, reasons);
  const faults = faultPeriods(ordered, end).map((p) => ({
    kind: p.kind, lanes: p.nodes.map((node) => lanes.of(node)), start: p.startAt, end: p.endAt, label: p.label, open: p.open,
  }));
  const states = stateTuples(ordered, lanes);
  return {
    title, start: ordered[0]?.t ?? 0, end, records: ordered.length, valueStride: VALUE_STRIDE,
    lanes: laneNames, roles: laneNames.map(nodeRole),
    types: types.names, typeColors: typeGroups.map((group) => PALETTE[group % PALETTE.length]!), typeGroups,
    groups: groups.names, groupColors: groups.names.map((_, i) => PALETTE[i % PALETTE.length]!),
    reasons: reasons.names, outcomes: OUTCOMES, arrows: flat, faults, ...states, story: storyOf(ordered, states.markers, lanes),
  };
}
