// A one-paragraph reading of an explore table, generated from its numbers: which combinations lost
// acknowledged writes and how often, then, for each varied setting, every measure of the table it
// changed by 5% or more (losses, duplicates, each anomaly, unavailability, refused sends, latency,
// settle time), the most changed first, averaged over the other settings, and the measures it
// left unchanged.
import { ANOMALY_TYPES } from '../../properties/anomaly.js';
import type { Vary } from '../../scenario/vary.js';
import { formatPercent } from '../table.js';
import type { ExploreRow } from './aggregate.js';
import { settingText, shortKey } from './settings.js';

const WRAP_COLUMNS = 100;

function lossShare(row: ExploreRow): number {
  return row.runs === 0 ? 0 : (row.anomalyRuns['lost-write'] ?? 0) / row.runs;
}

/** `min.insync.replicas=2, acks=all`: the row's settings by their short names. */
function shortLabel(row: ExploreRow, varies: readonly Vary[]): string {
  if (varies.length === 0) return 'the scenario';
  return varies.map((vary) => `${shortKey(vary)}=${settingText(vary, row.settings[vary.key])}`).join(', ');
}

const MOST_LISTED = 3;

function lossCase(row: ExploreRow, varies: readonly Vary[]): string {
  return `${shortLabel(row, varies)} (${row.anomalyRuns['lost-write']} of ${row.runs} runs, ${row.lostWrites} records)`;
}

function lossSentence(rows: readonly ExploreRow[], varies: readonly Vary[]): string {
  const losing = rows.filter((row) => lossShare(row) > 0).sort((a, b) => lossShare(b) - lossShare(a));
  if (losing.length === 0) return 'No combination lost an acknowledged write.';
  if (rows.length === 1) return `Acknowledged writes were lost in ${lossCase(losing[0] as ExploreRow, varies)}.`;
  const listed = losing.slice(0, MOST_LISTED).map((row) => lossCase(row, varies));
  const rest = losing.length > MOST_LISTED ? `, then ${losing.length - MOST_LISTED} more` : '';
  const head = `Acknowledged writes were lost in ${losing.length} of ${rows.length} combinations, most often with ${joinWords(listed)}${rest}.`;
  const safe = rows.filter((row) => lossShare(row) === 0).map((row) => shortLabel(row, varies));
  if (safe.length === 0) return head;
  const shown = safe.length > MOST_LISTED ? `${joinWords(safe.slice(0, MOST_LISTED))} and ${safe.length - MOST_LISTED} more` : joinWords(safe);
  return `${head} None was lost with ${shown}.`;
}

function joinWords(items: readonly string[]): string {
  if (items.length <= 2) return items.join(' and ');
  return `${items.slice(0, -1).join('; ')}; and ${items[items.length - 1]}`;
}

/** One measure of a row, averaged over the rows of one setting's value. */
interface Measure {
  /** How the sentence names it: `unavailable 33.8% → 48.6% of the time`. */
  readonly name: string;
  readonly unit: string;
  readonly of: (row: ExploreRow) => number | null;
  readonly show: (value: number) => string;
}

const perRun = (n: number, row: ExploreRow) => n / Math.max(row.runs, 1);

/** Every measure of the table the reading compares, in the order a tie keeps. */
const MEASURES: readonly Measure[] = [
  { name: 'runs losing acknowledged writes', unit: '', of: lossShare, show: formatPercent },
  { name: 'acknowledged records lost', unit: ' per run', of: (row) => perRun(row.lostWrites, row), show: (v) => v.toFixed(1) },
  { name: 'records stored twice', unit: ' per run', of: (row) => perRun(row.duplicates, row), show: (v) => v.toFixed(1) },
  { name: 'unavailable', unit: ' of the time', of: (row) => row.unavailableShare, show: formatPercent },
  { name: 'sends refused', unit: '', of: (row) => row.refusedShare, show: formatPercent },
  { name: 'ack p50', unit: ' ms', of: (row) => row.ackLatencyMs.p50, show: (v) => v.toFixed(1) },
  { name: 'ack p99', unit: ' ms', of: (row) => row.ackLatencyMs.p99, show: (v) => v.toFixed(1) },
  { name: 'time to settle', unit: ' s', of: (row) => (row.settle.meanSettleMs === null ? null : row.settle.meanSettleMs / 1000), show: (v) => v.toFixed(1) },
];

/** The share of runs showing each anomaly that occurred, lost-write aside (its own measure above). */
function anomalyMeasures(rows: readonly ExploreRow[]): Measure[] {
  return ANOMALY_TYPES
    .filter((type) => type !== 'lost-write' && rows.some((row) => (row.anomalyRuns[type] ?? 0) > 0))
    .map((type) => ({ name: `runs showing ${type}`, unit: '', of: (row) => (row.runs === 0 ? 0 : (row.anomalyRuns[type] ?? 0) / row.runs), show: formatPercent }));
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/** A measure's mean over the rows with each value of the setting, and how much it moved. */
interface Series {
  readonly measure: Measure;
  readonly values: readonly (number | null)[];
  /** (largest − smallest) / largest in absolute value: 0 when the printed values are all equal. */
  readonly change: number;
}

function seriesOf(rows: readonly ExploreRow[], vary: Vary, measure: Measure): Series {
  const values = vary.values.map((value) => {
    const matching = rows.filter((row) => settingText(vary, row.settings[vary.key]) === value.text);
    return mean(matching.flatMap((row) => {
      const v = measure.of(row);
      return v === null ? [] : [v];
    }));
  });
  const known = values.filter((v): v is number => v !== null);
  const shown = new Set(values.map((v) => (v === null ? '-' : measure.show(v))));
  const top = Math.max(...known.map(Math.abs));
  const change = shown.size <= 1 || known.length < 2 || top === 0 ? 0 : (Math.max(...known) - Math.min(...known)) / top;
  return { measure, values, change };
}

/** A change smaller than this share of the larger value is noise at explore's seed counts. */
const NOTABLE_CHANGE = 0.05;

/** Keeps a figure and its unit on one line when the paragraph is wrapped. */
const GLUE = '\u00a0';

// Every measure the setting changed by 5% or more, the most changed first; the table's own measures
// that it left (nearly) unchanged are named together at the end, so the reader sees what moved and
// what did not. Anomalies other than lost-write are named only where they changed.
function settingSentence(rows: readonly ExploreRow[], vary: Vary): string {
  const texts = vary.values.map((value) => value.text);
  // Two values read as a change (a → b); more as a list in the order given (a / b / c).
  const sep = texts.length === 2 ? ' → ' : ' / ';
  const lead = texts.length === 2 ? `Changing ${shortKey(vary)} from ${texts[0]} to ${texts[1]}:` : `Across ${shortKey(vary)} = ${texts.join(' / ')}:`;
  const all = [...MEASURES, ...anomalyMeasures(rows)].map((measure) => seriesOf(rows, vary, measure));
  const changed = all.filter((s) => s.change >= NOTABLE_CHANGE).sort((a, b) => b.change - a.change);
  const unchanged = all.filter((s) => MEASURES.includes(s.measure) && s.change < NOTABLE_CHANGE && s.values.some((v) => v !== null));
  if (changed.length === 0) return `${lead} no measure of the table changed by 5% or more.`;
  const parts = changed.map(({ measure, values }) =>
    `${measure.name} ${values.map((v) => (v === null ? '-' : measure.show(v))).join(sep)}${measure.unit.replace(' ', GLUE)}`);
  const same = unchanged.length === 0 ? '' : `little or no change in ${unchanged.map((s) => s.measure.name).join(', ')}`;
  return `${lead} ${[parts.join(', '), same].filter((part) => part !== '').join('; ')}.`;
}

function wrap(text: string): string {
  const lines: string[] = [];
  let line = '';
  // `a → b` stays on one line: never break next to an arrow.
  for (const word of text.split(/(?<!→) (?!→)/)) {
    if (line !== '' && line.length + 1 + word.length > WRAP_COLUMNS) {
      lines.push(line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n').replaceAll(GLUE, ' ');
}

/** The paragraph; settings varied over a single value are not compared. */
export function readingOf(rows: readonly ExploreRow[], varies: readonly Vary[]): string {
  const sentences = [lossSentence(rows, varies)];
  for (const vary of varies) if (vary.values.length > 1) sentences.push(settingSentence(rows, vary));
  if (varies.some((vary) => vary.values.length > 1)) sentences.push('(Each change is averaged over the other settings.)');
  return wrap(sentences.join(' '));
}
