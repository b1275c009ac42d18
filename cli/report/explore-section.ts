// The explore report: the table of rows (one per combination of settings) and a bar chart per
// measure the table compares.
import type { ExploreRow } from '../explore/aggregate.js';
import { escapeHtml } from '../../traces/html-escape.js';
import { barCharts, type BarMeasure, type ChartSpec } from './charts.js';
import { chartGrid } from './page.js';

const pct = (share: number): string => `${(100 * share).toFixed(1)}%`;
const ms = (value: number | null): string => (value === null ? '–' : value.toFixed(1));

function anomalyTypes(rows: readonly ExploreRow[]): string[] {
  const types = new Set<string>();
  for (const row of rows) for (const type of Object.keys(row.anomalyRuns)) types.add(type);
  return [...types].sort();
}

function table(rows: readonly ExploreRow[]): string {
  const types = anomalyTypes(rows);
  const head = ['#', 'settings', 'runs', 'failing', ...types, 'lost', 'dup', 'unavail', 'refused', 'p50 ms', 'p99 ms'];
  const body = rows.map((row, i) => {
    const anomalyRuns = row.anomalyRuns as Readonly<Record<string, number>>;
    const cells = [String(row.runs), String(row.failingRuns), ...types.map((t) => String(anomalyRuns[t] ?? 0)),
      row.lostWrites.toLocaleString('en-US'), row.duplicates.toLocaleString('en-US'), pct(row.unavailableShare), pct(row.refusedShare),
      ms(row.ackLatencyMs.p50), ms(row.ackLatencyMs.p99)];
    return `<tr${row.failingRuns > 0 ? ' class="failing"' : ''}><td>#${i + 1}</td><td class="text">${escapeHtml(row.label)}</td>${cells.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`;
  });
  return `<table class="data"><tr>${head.map((h, i) => `<th${i === 1 ? ' class="text"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr>${body.join('')}</table>`;
}

/** The measures charted: those that differ from zero in some row (an all-zero chart says nothing). */
export function measuresOf(rows: readonly ExploreRow[]): BarMeasure[] {
  const all: BarMeasure[] = [
    { id: 'failing', title: 'Failing runs', unit: 'runs', values: rows.map((r) => r.failingRuns) },
    ...anomalyTypes(rows).map((type) => ({ id: `runs-${type}`, title: `Runs with ${type}`, unit: 'runs', values: rows.map((r) => (r.anomalyRuns as Readonly<Record<string, number>>)[type] ?? 0) })),
    { id: 'lost', title: 'Acknowledged writes lost', unit: 'records (sum over runs)', values: rows.map((r) => r.lostWrites) },
    { id: 'dup', title: 'Records stored twice', unit: 'records (sum over runs)', values: rows.map((r) => r.duplicates) },
    { id: 'unavail', title: 'Unavailable', unit: '% of load time without an ack', values: rows.map((r) => 100 * r.unavailableShare) },
    { id: 'refused', title: 'Refused sends', unit: '% of sends', values: rows.map((r) => 100 * r.refusedShare) },
    { id: 'p50', title: 'Ack latency p50', unit: 'ms', values: rows.map((r) => r.ackLatencyMs.p50) },
    { id: 'p99', title: 'Ack latency p99', unit: 'ms', values: rows.map((r) => r.ackLatencyMs.p99) },
  ];
  return all.filter((m) => m.values.some((v) => v !== null && v !== 0));
}

export function exploreSection(rows: readonly ExploreRow[], reading: string): { html: string; charts: ChartSpec[] } {
  const measures = measuresOf(rows);
  const charts = barCharts(measures, rows.map((r) => r.label));
  const plain = reading.replace(/\u001b\[[0-9;]*m/g, '');
  const paragraphs = plain.split(/\n\s*\n/).map((p) => `<p>${escapeHtml(p.replace(/\s+/g, ' ').trim())}</p>`).join('');
  const html = `<section><h2>Table</h2>${table(rows)}
<p class="note">lost: acknowledged writes lost (lost-write cases, summed over runs) · dup: records stored twice · unavail: share of load time without an ack · refused: share of sends refused · p50/p99: ack latency pooled over every acknowledged send of the row, simulated ms.</p>
<h2>Reading</h2>${paragraphs}
<h2>Measures</h2>${chartGrid(charts)}</section>`;
  return { html, charts };
}
