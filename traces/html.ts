// The HTML view: one self-contained page (inline CSS, script and data; nothing from the network)
// with a space-time diagram drawn on a canvas: a lane per node, time left to right, message
// arrows, fault bands, state-change markers, a time axis, zoom and pan, details on hover and
// click, and a legend. The page draws only what is in view, so long traces stay usable.
import { jsonChunks } from './json-chunks.js';
import type { TraceRecord } from '../sim/trace-record.js';
import { formatMs } from './format.js';
import { ARROW_FIELDS, buildViewData, OUTCOMES, type ViewData } from './html-data.js';
import { escapeHtml } from './html-escape.js';
import { legendHtml } from './html-legend.js';
import { HTML_SCRIPT } from './html-script.js';
import { AXIS_HEIGHT_PX, HTML_STYLE, LANE_HEIGHT_PX } from './html-style.js';

export interface HtmlOptions {
  /** Shown as the page title and heading, e.g. the scenario and seed. */
  readonly title: string;
}

/** Most message arrows drawn in one view; beyond it an even sample is drawn (drops always). */
export const MAX_ARROWS_PER_VIEW = 4000;
/** Most markers drawn in one view; beyond it an even sample is drawn. */
export const MAX_MARKERS_PER_VIEW = 12000;

/**
 * JSON safe inside a <script> element: no `<` can close it or open a comment. The escapes are made
 * character by character, so they apply to each piece alone.
 */
function* scriptJson(value: unknown): Generator<string> {
  for (const piece of jsonChunks(value)) yield piece.replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function summary(data: ViewData): string {
  const messages = data.arrows.length / ARROW_FIELDS;
  let dropped = 0;
  for (let i = 5; i < data.arrows.length; i += ARROW_FIELDS) if (data.arrows[i] === OUTCOMES.indexOf('dropped')) dropped++;
  return [
    `${data.lanes.length} nodes`,
    `${formatMs(data.start)}–${formatMs(data.end)} ms`,
    `${data.records.toLocaleString('en-US')} records`,
    `${messages.toLocaleString('en-US')} messages (${dropped.toLocaleString('en-US')} dropped)`,
    `${data.faults.length} fault periods`,
  ].join(' · ');
}

function lanesHtml(data: ViewData): string {
  return data.lanes.map((lane, i) =>
    `<div class="lane" data-lane="${escapeHtml(lane)}"><span class="name">${escapeHtml(lane)}</span><span class="role">${escapeHtml(data.roles[i] ?? '')}</span></div>`).join('');
}

function bodyHtml(data: ViewData, title: string): string {
  return `<header><div class="heading"><h1>${escapeHtml(title)}</h1><div class="summary">${escapeHtml(summary(data))}</div></div>
<div class="controls"><button id="pan-left" title="Pan left (←)">◀</button><button id="zoom-out" title="Zoom out (−)">−</button><button id="zoom-in" title="Zoom in (+)">+</button><button id="zoom-fit" title="Show everything (0)">Fit</button><button id="pan-right" title="Pan right (→)">▶</button><span id="range"></span></div></header>
<main><div id="diagram"><div id="lanes">${lanesHtml(data)}</div><div id="plot"><canvas id="canvas" aria-label="space-time diagram"></canvas></div></div>
<aside id="details"></aside></main>
<div id="statusbar"><div id="status"></div><div class="help">wheel: zoom at pointer · shift+wheel or drag: pan · keys + − 0 ← → · hover: details · click: pin · Esc: unpin</div></div>
${legendHtml(data, MAX_ARROWS_PER_VIEW, MAX_MARKERS_PER_VIEW)}
<div id="tooltip" hidden></div>`;
}

/** The page in pieces, so a long trace's embedded data is never one string. */
export function* htmlChunks(records: readonly TraceRecord[], options: HtmlOptions): Generator<string> {
  const data = buildViewData(records, options.title);
  const embedded = {
    ...data, laneHeight: LANE_HEIGHT_PX, axisHeight: AXIS_HEIGHT_PX, arrowFields: ARROW_FIELDS,
    maxArrows: MAX_ARROWS_PER_VIEW, maxMarkers: MAX_MARKERS_PER_VIEW,
  };
  yield `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${HTML_STYLE}</style></head>
<body>
${bodyHtml(data, options.title)}
<script type="application/json" id="ksim-data">`;
  yield* scriptJson(embedded);
  yield `</script>
<script>${HTML_SCRIPT}</script>
</body></html>
`;
}

export function renderHtml(records: readonly TraceRecord[], options: HtmlOptions): string {
  return [...htmlChunks(records, options)].join('');
}
