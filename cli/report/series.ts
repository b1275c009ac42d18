// The time series a report charts for one run, computed after the run from its history and trace
// (never on the simulator's hot path): per window of simulated time, sends and their outcomes, ack
// latency p50/p99, sends in flight and unknown outcomes; per partition, the ISR size and the leader
// at every change the controller made; and the fault periods, for the bands. Windows are a fixed
// size chosen from the run's length, so the same run gives the same page.
import type { History } from '../../models/history/history-log.js';
import { percentileOfSorted } from '../../scenario/run.js';
import type { TraceRecord } from '../../sim/trace-record.js';
import { faultPeriods } from '../../traces/faults.js';
import { num, str } from '../../traces/fields.js';
import { lostAcks } from '../../traces/story.js';
import { endTime, inTimeOrder } from '../../traces/time-order.js';

/** Window sizes a run is cut into, smallest first: the first that gives at most MAX_WINDOWS wins. */
const WINDOW_SIZES_US = [100_000, 200_000, 250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 30_000_000, 60_000_000];
export const MAX_WINDOWS = 200;

export interface WindowSeries {
  readonly windowUs: number;
  /** Start of each window, simulated seconds. */
  readonly t: number[];
  /** Per second over the window. */
  readonly sent: number[];
  readonly acked: number[];
  readonly refused: number[];
  readonly unknown: number[];
  /** Ack latency of the sends acknowledged in the window, ms; null when none was. */
  readonly p50: (number | null)[];
  readonly p99: (number | null)[];
  /** At the window's end: sends invoked and not yet answered. */
  readonly inFlight: number[];
  /** At the window's end: sends whose outcome is unknown so far (send-info). */
  readonly unknownTotal: number[];
}

export interface PartitionSeries {
  /** Change instants, simulated seconds, from 0 to the end. */
  readonly t: number[];
  /** Per data partition, the ISR size at each instant (controller's view). */
  readonly isr: number[][];
  /** Per data partition, the index into `brokers` of the leader, or null without a leader. */
  readonly leader: (number | null)[][];
  readonly brokers: string[];
}

export interface Band {
  readonly kind: string;
  readonly label: string;
  /** Simulated seconds. */
  readonly start: number;
  readonly end: number;
  readonly open: boolean;
}

/** An instant worth a line across the charts: an unclean election, acknowledged offsets lost. */
export interface Moment {
  /** Simulated seconds. */
  readonly at: number;
  readonly label: string;
}

export interface RunSeries {
  readonly endS: number;
  /** When the load phase ended and the settle phase began, seconds. */
  readonly settleS: number;
  readonly windows: WindowSeries;
  readonly partitions: PartitionSeries;
  readonly bands: Band[];
  readonly moments: Moment[];
}

export function windowSizeUs(endUs: number): number {
  return WINDOW_SIZES_US.find((size) => Math.ceil(endUs / size) <= MAX_WINDOWS) ?? WINDOW_SIZES_US[WINDOW_SIZES_US.length - 1]!;
}

const seconds = (us: number): number => us / 1_000_000;

/** Counts and latencies per window of the history's sends. */
export function windowSeries(history: History, endUs: number): WindowSeries {
  const windowUs = windowSizeUs(endUs);
  const n = Math.max(1, Math.ceil(endUs / windowUs));
  const zeros = () => new Array<number>(n).fill(0);
  const sent = zeros(), acked = zeros(), refused = zeros(), unknown = zeros(), answered = zeros();
  const latencies = Array.from({ length: n }, () => [] as number[]);
  const invoked = new Map<number, number>();
  const slot = (t: number) => Math.min(n - 1, Math.floor(t / windowUs));
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-invoke') {
      sent[slot(history.time(i))]! += 1;
      invoked.set(history.value(i), history.time(i));
      continue;
    }
    if (kind !== 'send-ok' && kind !== 'send-fail' && kind !== 'send-info') continue;
    const w = slot(history.time(i));
    answered[w]! += 1;
    if (kind === 'send-fail') refused[w]! += 1;
    else if (kind === 'send-info') unknown[w]! += 1;
    else {
      acked[w]! += 1;
      const start = invoked.get(history.value(i));
      if (start !== undefined) latencies[w]!.push(history.time(i) - start);
    }
  }
  const perSecond = (counts: number[]) => counts.map((c) => c / seconds(windowUs));
  const pct = (q: number) => latencies.map((l) => (l.length === 0 ? null : percentileOfSorted(l.sort((a, b) => a - b), q)));
  const inFlight: number[] = [], unknownTotal: number[] = [];
  let open = 0, unknowns = 0;
  for (let w = 0; w < n; w++) {
    open += sent[w]! - answered[w]!;
    unknowns += unknown[w]!;
    inFlight.push(open);
    unknownTotal.push(unknowns);
  }
  return {
    windowUs, t: Array.from({ length: n }, (_, w) => seconds(w * windowUs)),
    sent: perSecond(sent), acked: perSecond(acked), refused: perSecond(refused), unknown: perSecond(unknown),
    p50: pct(0.5), p99: pct(0.99), inFlight, unknownTotal,
  };
}

/** The controller's ISR and leader of each data partition at every change (election, isr-change). */
export function partitionSeries(records: readonly TraceRecord[], partitions: number, brokers: readonly string[], endUs: number): PartitionSeries {
  const isr = new Array<number>(partitions).fill(0);
  const leader = new Array<number | null>(partitions).fill(null);
  const out: PartitionSeries = { t: [], isr: isr.map(() => []), leader: leader.map(() => []), brokers: [...brokers] };
  const push = (t: number) => {
    const last = out.t.length - 1;
    // Several changes at one instant (an election per partition) make one point.
    if (last >= 0 && out.t[last] === t) out.t.pop();
    else for (let p = 0; p < partitions; p++) { out.isr[p]!.push(0); out.leader[p]!.push(null); }
    out.t.push(t);
    for (let p = 0; p < partitions; p++) { out.isr[p]![out.t.length - 1] = isr[p]!; out.leader[p]![out.t.length - 1] = leader[p]!; }
  };
  push(0);
  for (const record of records) {
    if (record.kind !== 'election' && record.kind !== 'isr-change') continue;
    const partition = num(record, 'partition');
    if (partition === undefined || partition >= partitions) continue;
    const list = record['isr'];
    if (Array.isArray(list)) isr[partition] = list.length;
    if (record.kind === 'election') {
      const name = str(record, 'leader');
      const index = name === undefined ? -1 : brokers.indexOf(name);
      leader[partition] = index < 0 ? null : index;
    }
    push(seconds(record.t));
  }
  push(seconds(endUs));
  return out;
}

/**
 * Unclean elections and lost acknowledged offsets (traces/story.ts), one moment per instant: the
 * controller elects every partition's leader at once, so a failover is one line, not three.
 */
export function momentsOf(records: readonly TraceRecord[], partitions: number): Moment[] {
  const byTime = new Map<number, { unclean: number[]; lost: number; lostPartitions: number[] }>();
  const at = (t: number) => {
    let entry = byTime.get(t);
    if (entry === undefined) byTime.set(t, (entry = { unclean: [], lost: 0, lostPartitions: [] }));
    return entry;
  };
  for (const record of records) {
    const partition = num(record, 'partition');
    if (record.kind === 'election' && str(record, 'how') === 'unclean' && partition !== undefined && partition < partitions) at(record.t).unclean.push(partition);
  }
  for (const loss of lostAcks(records)) {
    if (loss.partition >= partitions) continue;
    const entry = at(loss.election?.t ?? loss.leaderAt);
    entry.lost += loss.offsets;
    entry.lostPartitions.push(loss.partition);
  }
  return [...byTime.entries()].sort(([a], [b]) => a - b).map(([t, e]) => {
    const names = (list: number[]) => [...new Set(list)].sort((a, b) => a - b).map((p) => `p${p}`).join(' ');
    const parts = [
      ...(e.unclean.length > 0 ? [`unclean election ${names(e.unclean)}`] : []),
      ...(e.lost > 0 ? [`${e.lost.toLocaleString('en-US')} acked offsets lost${e.unclean.length > 0 ? '' : ` (${names(e.lostPartitions)})`}`] : []),
    ];
    return { at: seconds(t), label: parts.join(' → ') };
  });
}

export interface SeriesInput {
  readonly history: History;
  readonly trace: readonly TraceRecord[];
  readonly partitions: number;
  readonly brokers: readonly string[];
  readonly settleStartMs: number;
}

export function runSeries(input: SeriesInput): RunSeries {
  const ordered = inTimeOrder(input.trace);
  const endUs = Math.max(1, endTime(ordered));
  const bands = faultPeriods(ordered, endUs).map((p) => ({ kind: p.kind, label: p.label, start: seconds(p.startAt), end: seconds(p.endAt), open: p.open }));
  return {
    endS: seconds(endUs), settleS: input.settleStartMs / 1000,
    windows: windowSeries(input.history, endUs),
    partitions: partitionSeries(ordered, input.partitions, input.brokers, endUs),
    bands, moments: momentsOf(ordered, input.partitions),
  };
}
