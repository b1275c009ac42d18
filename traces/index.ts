// The trace views: read and write trace files, and render them as text, as an HTML space-time
// diagram, or as Chrome trace-event JSON for Perfetto.
export { parseTrace, readTrace, writeTrace } from './read.js';
export { renderText, type TextOptions } from './text.js';
export { renderHtml, type HtmlOptions, MAX_ARROWS_PER_VIEW, MAX_MARKERS_PER_VIEW } from './html.js';
export { renderPerfetto } from './perfetto.js';
export { exampleTrace } from './example.js';
