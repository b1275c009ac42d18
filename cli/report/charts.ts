// What each chart of a report shows, as data the page's script hands to uPlot: an x array, the
// series over it, and how to draw them. The page script is generic; the choice of charts is here.
import type { Band, Moment, RunSeries } from './series.js';

export interface SeriesSpec {
  readonly label: string;
  readonly values: readonly (number | null)[];
  readonly color: string;
  /** Dashed line. */
  readonly dash?: boolean;
  /** Held until the next point (a state, not a rate). */
  readonly step?: boolean;
  /** A small vertical shift so equal values of several series stay apart (leader lanes). */
  readonly offset?: number;
}

export interface ChartSpec {
  readonly id: string;
  readonly title: string;
  /** One line under the title: what the chart shows and how it was computed. */
  readonly note: string;
  readonly kind: 'time' | 'bars';
  readonly x: readonly number[];
  readonly series: readonly SeriesSpec[];
  readonly yLabel: string;
  /** Log scale on y (latency). */
  readonly log?: boolean;
  /** Names for integer y values (leader per partition: broker names). */
  readonly yNames?: readonly string[];
  /** Names for integer x values (bars: one per explore row). */
  readonly xNames?: readonly string[];
  readonly bands?: readonly Band[];
  /** A dashed vertical line with a label (the settle phase). */
  readonly mark?: { readonly at: number; readonly label: string };
  /** Red lines across the plot with a label: unclean elections and lost acknowledged offsets. */
  readonly moments?: readonly Moment[];
}

/** Series colours: partitions and measures by index. */
export const COLORS = ['#2b6cb0', '#dd6b20', '#2f855a', '#805ad5', '#b7791f', '#d53f8c', '#319795', '#718096', '#975a16', '#4c51bf'];
const colorOf = (i: number): string => COLORS[i % COLORS.length]!;

/** The charts of one run over simulated time, each with the run's fault bands. */
export function runCharts(series: RunSeries, prefix: string): ChartSpec[] {
  const w = series.windows;
  const windowText = `${w.windowUs / 1000} ms windows`;
  const common = { kind: 'time' as const, bands: series.bands, moments: series.moments, mark: { at: series.settleS, label: 'settle' } };
  const p = series.partitions;
  const partitions = p.isr.map((_, i) => i);
  return [
    {
      ...common, id: `${prefix}throughput`, title: 'Throughput', yLabel: 'sends / s', x: w.t,
      note: `Sends per second of simulated time in ${windowText}, by outcome: acknowledged, refused (definitely not written) and unknown (timed out: maybe written).`,
      series: [
        { label: 'sent', values: w.sent, color: '#718096', dash: true },
        { label: 'acked', values: w.acked, color: '#2f855a' },
        { label: 'refused', values: w.refused, color: '#c53030' },
        { label: 'unknown', values: w.unknown, color: '#dd6b20' },
      ],
    },
    {
      ...common, id: `${prefix}latency`, title: 'Ack latency', yLabel: 'ms (log)', x: w.t, log: true,
      note: `p50 and p99 of the time from send to acknowledgement, over the sends acknowledged in each of the ${windowText}; gaps are windows without an ack.`,
      series: [
        { label: 'p50', values: w.p50, color: '#2b6cb0' },
        { label: 'p99', values: w.p99, color: '#c53030' },
      ],
    },
    {
      ...common, id: `${prefix}inflight`, title: 'In flight and unknown outcomes', yLabel: 'sends', x: w.t,
      note: 'At the end of each window: sends invoked and not yet answered, and sends whose outcome is unknown so far (send-info, counted from the start).',
      series: [
        { label: 'in flight', values: w.inFlight, color: '#805ad5' },
        { label: 'unknown (total)', values: w.unknownTotal, color: '#dd6b20', step: true },
      ],
    },
    {
      ...common, id: `${prefix}isr`, title: 'ISR size per partition', yLabel: 'replicas', x: p.t,
      note: 'The in-sync replica set as the controller records it (elections and AlterPartition), at every change.',
      series: partitions.map((i) => ({ label: `p${i}`, values: p.isr[i]!, color: colorOf(i), step: true, offset: partitions.length > 1 ? (i - (partitions.length - 1) / 2) * 0.06 : 0 })),
    },
    {
      ...common, id: `${prefix}leader`, title: 'Leader per partition', yLabel: 'broker', x: p.t, yNames: p.brokers,
      note: 'The leader the controller elected for each partition; a gap is a partition without a leader.',
      series: partitions.map((i) => ({ label: `p${i}`, values: p.leader[i]!, color: colorOf(i), step: true, offset: partitions.length > 1 ? (i - (partitions.length - 1) / 2) * 0.08 : 0 })),
    },
  ];
}

export interface BarMeasure {
  readonly id: string;
  readonly title: string;
  readonly unit: string;
  readonly values: readonly (number | null)[];
}

/** One bar chart per measure, a bar per row (x: the row's number, named #1…). */
export function barCharts(measures: readonly BarMeasure[], rowNames: readonly string[]): ChartSpec[] {
  return measures.map((m, i) => ({
    id: `bars-${m.id}`, title: m.title, note: `${m.unit}, one bar per row of the table (hover a bar for its settings).`, kind: 'bars' as const,
    x: rowNames.map((_, r) => r), xNames: rowNames, yLabel: m.unit,
    series: [{ label: m.title, values: m.values, color: colorOf(i) }],
  }));
}
