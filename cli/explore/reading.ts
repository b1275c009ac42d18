// A one-paragraph reading of an explore table, generated from its numbers: which combinations lost
// acknowledged writes and how often, then, for each varied setting, what changing it did to
// losses, unavailability, refused sends and tail latency (averaged over the other settings).
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

interface Averages {
  readonly loss: number;
  readonly unavailable: number;
  readonly refused: number;
  readonly p99: number | null;
  /** Records stored twice per run (duplicate cases). */
  readonly duplicates: number;
}

function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

function averagesFor(rows: readonly ExploreRow[], vary: Vary, text: string): Averages {
  const matching = rows.filter((row) => settingText(vary, row.settings[vary.key]) === text);
  return {
    loss: mean(matching.map(lossShare)) ?? 0,
    unavailable: mean(matching.map((row) => row.unavailableShare)) ?? 0,
    refused: mean(matching.map((row) => row.refusedShare)) ?? 0,
    p99: mean(matching.flatMap((row) => (row.ackLatencyMs.p99 === null ? [] : [row.ackLatencyMs.p99]))),
    duplicates: mean(matching.map((row) => row.duplicates / Math.max(row.runs, 1))) ?? 0,
  };
}

function settingSentence(rows: readonly ExploreRow[], vary: Vary): string {
  const texts = vary.values.map((value) => value.text);
  const averages = texts.map((text) => averagesFor(rows, vary, text));
  // Two values read as a change (a → b); more as a list in the order given (a / b / c).
  const sep = texts.length === 2 ? ' → ' : ' / ';
  const series = (f: (a: Averages) => string) => averages.map(f).join(sep);
  const lead = texts.length === 2 ? `Changing ${shortKey(vary)} from ${texts[0]} to ${texts[1]}:` : `Across ${shortKey(vary)} = ${texts.join(' / ')}:`;
  // Duplicates are named only where the setting changes them (the point of retry-duplicates);
  // elsewhere they would be one more unchanged figure in every sentence.
  const duplicateTexts = averages.map((a) => a.duplicates.toFixed(1));
  const duplicates = new Set(duplicateTexts).size > 1 ? `, records stored twice ${duplicateTexts.join(sep)} per run` : '';
  return `${lead} runs losing acknowledged writes ${series((a) => formatPercent(a.loss))}, `
    + `unavailable ${series((a) => formatPercent(a.unavailable))} of the time, `
    + `sends refused ${series((a) => formatPercent(a.refused))}, `
    + `ack p99 ${series((a) => (a.p99 === null ? '-' : a.p99.toFixed(1)))} ms${duplicates}.`;
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
  return lines.join('\n');
}

/** The paragraph; settings varied over a single value are not compared. */
export function readingOf(rows: readonly ExploreRow[], varies: readonly Vary[]): string {
  const sentences = [lossSentence(rows, varies)];
  for (const vary of varies) if (vary.values.length > 1) sentences.push(settingSentence(rows, vary));
  if (varies.some((vary) => vary.values.length > 1)) sentences.push('(Each change is averaged over the other settings.)');
  return wrap(sentences.join(' '));
}
