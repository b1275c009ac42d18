// The trace views: read and write trace files, and render them as text, as an HTML space-time
// diagram, or as Chrome trace-event JSON for Perfetto.
export {
  parseTrace, parseTraceText, readTrace, readTraceFile, writeTrace, TRACE_END, TRACE_INCOMPLETE,
  type TraceEnding, type TraceFile, type TraceWindow,
} from './read.js';
export { renderText, textChunks, type TextOptions } from './text.js';
export { htmlChunks, renderHtml, type HtmlOptions, MAX_ARROWS_PER_VIEW, MAX_MARKERS_PER_VIEW } from './html.js';
export { perfettoChunks, renderPerfetto } from './perfetto.js';
export { exampleTrace } from './example.js';
