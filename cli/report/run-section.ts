// The part of a report about one run: its verdict, stats, anomalies with their first cases, the
// fault script, and the charts over simulated time.
import type { FaultStep } from '../../sim/fault.js';
import type { RunOutput } from '../../scenario/run.js';
import type { Scenario } from '../../scenario/schema.js';
import { topicPlacements } from '../../scenario/schema.js';
import { escapeHtml } from '../../traces/html-escape.js';
import { laneOrder, nodeRole } from '../../traces/lanes.js';
import { runCharts, type ChartSpec } from './charts.js';
import { chartGrid } from './page.js';
import { runSeries } from './series.js';

const MAX_CASES_SHOWN = 5;

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

function statsTable(output: RunOutput): string {
  const { stats, simulatedMs, events, faults } = output.result;
  const cells: [string, string][] = [
    ['sent', stats.sent.toLocaleString('en-US')],
    ['acked', `${stats.acked.toLocaleString('en-US')} (${percent(stats.acked, stats.sent)})`],
    ['refused', stats.failed.toLocaleString('en-US')],
    ['unknown outcome', stats.indeterminate.toLocaleString('en-US')],
    ['ack p50 / p99', `${stats.ackLatencyMs.p50} / ${stats.ackLatencyMs.p99} ms`],
    ['unavailable', `${(stats.unavailableMs / 1000).toFixed(1)} s`],
    ['simulated', `${(simulatedMs / 1000).toFixed(1)} s`],
    ['events', events.toLocaleString('en-US')],
    ['fault steps', String(faults)],
  ];
  return `<table class="data"><tr>${cells.map(([h]) => `<th>${escapeHtml(h)}</th>`).join('')}</tr><tr>${cells.map(([, v]) => `<td>${escapeHtml(v)}</td>`).join('')}</tr></table>`;
}

function anomaliesHtml(output: RunOutput): string {
  const { result } = output;
  if (result.anomalies.length === 0 && result.liveness.length === 0) return '<p>No anomaly; the run settled.</p>';
  const unexpected = new Set<string>(result.unexpected);
  const items = result.anomalies.map((report) => {
    const tag = unexpected.has(report.type) ? `<span class="unexpected">${escapeHtml(report.type)}</span>` : `<span class="allowed">${escapeHtml(report.type)} (allowed)</span>`;
    const cases = report.examples.slice(0, MAX_CASES_SHOWN).map((c) => `<li>${escapeHtml(c.summary)}</li>`).join('');
    const more = report.count - Math.min(report.examples.length, MAX_CASES_SHOWN);
    return `<h3>${tag}: ${report.count.toLocaleString('en-US')} case${report.count === 1 ? '' : 's'}</h3><ul class="cases">${cases}${more > 0 ? `<li>… and ${more.toLocaleString('en-US')} more</li>` : ''}</ul>`;
  });
  const liveness = result.liveness.map((r) =>
    `<h3>${r.allowed ? `<span class="allowed">${escapeHtml(r.type)} (allowed)</span>` : `<span class="unexpected">${escapeHtml(r.type)}</span>`}</h3><ul class="cases">${r.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}</ul>`);
  return [...items, ...liveness].join('');
}

function faultScript(plan: readonly FaultStep[]): string {
  if (plan.length === 0) return '<p>No faults.</p>';
  const lines = plan.map((step) => {
    const { atMs, fault, ...rest } = step;
    return `${String(atMs).padStart(8)} ms  ${fault} ${JSON.stringify(rest)}`;
  });
  return `<details><summary>Fault script (${plan.length} step${plan.length === 1 ? '' : 's'})</summary><pre>${escapeHtml(lines.join('\n'))}</pre></details>`;
}

function verdict(output: RunOutput): string {
  const { result } = output;
  if (!result.ok) return `<p class="verdict bad">FAILED: ${escapeHtml([...result.unexpected, ...result.liveness.filter((r) => !r.allowed).map((r) => r.type)].join(', '))}</p>`;
  return `<p class="verdict good">ok${result.anomalies.length > 0 ? ': only allowed findings' : ''}</p>`;
}

export interface RunSection {
  readonly html: string;
  readonly charts: ChartSpec[];
}

/**
 * The section for one run; `output` must hold its trace (runScenario with recordTrace). `prefix`
 * keeps the chart ids (and the section's id, `${prefix}run`) apart when a page holds two runs;
 * `intro` is a line under the heading saying which run this is.
 */
export function runSection(scenario: Scenario, output: RunOutput, heading: string, replay: string, prefix = '', intro = ''): RunSection {
  const trace = output.trace ?? [];
  const brokers = laneOrder(trace).filter((node) => nodeRole(node) === 'broker');
  // Every data partition: with a list of topics, all of theirs.
  const partitions = topicPlacements(scenario).reduce((sum, t) => sum + t.partitions, 0);
  const series = runSeries({ history: output.history, trace, partitions, brokers, settleStartMs: output.result.settle.startedAtMs });
  const charts = runCharts(series, prefix);
  const html = `<section id="${escapeHtml(prefix)}run"><h2>${escapeHtml(heading)}</h2>${intro === '' ? '' : `<p class="intro">${escapeHtml(intro)}</p>`}${verdict(output)}
<p>Reproduce: <code>${escapeHtml(replay)}</code> · trace hash <code>${escapeHtml(output.result.traceHash)}</code></p>
${statsTable(output)}
${chartGrid(charts)}
<h2>Anomalies</h2>${anomaliesHtml(output)}
${faultScript(output.plan)}</section>`;
  return { html, charts };
}
