// A report page: one self-contained HTML file (uPlot, its stylesheet, the page's own script and the
// data are all inline; nothing is loaded from the network), in the HTML trace view's manner:
// escaped text in the markup, the data as JSON in a <script type="application/json"> element.
import { escapeHtml } from '../../traces/html-escape.js';
import { chartAssets, inlineSafe } from './assets.js';
import type { ChartSpec } from './charts.js';
import { REPORT_SCRIPT } from './script.js';
import { REPORT_STYLE } from './style.js';

export interface ReportPage {
  readonly title: string;
  /** One line under the title (the command, seeds, settings). */
  readonly subtitle: string;
  /** The sections' HTML, in order (built with escapeHtml for every piece of text). */
  readonly sections: readonly string[];
  readonly charts: readonly ChartSpec[];
}

/** JSON safe inside a <script> element: no `<` can close it or open a comment. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** A chart's place on the page: its title, a note, the chart, and a line for the faults under the pointer. */
export function chartBox(spec: ChartSpec): string {
  const faults = spec.bands === undefined ? '' : '<div class="faults-here"></div>';
  return `<div class="chart-box"><h3>${escapeHtml(spec.title)}</h3><p class="note">${escapeHtml(spec.note)}</p><div class="chart" data-chart="${escapeHtml(spec.id)}"></div>${faults}</div>`;
}

export function chartGrid(specs: readonly ChartSpec[]): string {
  return `<div class="charts">${specs.map(chartBox).join('')}</div>`;
}

export function renderReport(page: ReportPage): string {
  const assets = chartAssets();
  const data = { charts: page.charts, uPlotVersion: assets.version };
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<style>${assets.style}</style>
<style>${inlineSafe(REPORT_STYLE, 'style')}</style></head>
<body>
<header><h1>${escapeHtml(page.title)}</h1><div class="sub">${escapeHtml(page.subtitle)}</div></header>
<main>
${page.sections.join('\n')}
</main>
<footer>Written by ksim. Times are simulated. Charts drawn with uPlot ${escapeHtml(assets.version)} (MIT), inlined: this page loads nothing from the network.</footer>
<script type="application/json" id="ksim-report-data">${scriptJson(data)}</script>
<script>${assets.script}</script>
<script>${inlineSafe(REPORT_SCRIPT, 'script')}</script>
</body></html>
`;
}
