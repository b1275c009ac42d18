// The HTML view's stylesheet (inlined into the page: the page loads nothing from the network).
export const LANE_HEIGHT_PX = 58;
export const AXIS_HEIGHT_PX = 30;

export const HTML_STYLE = `
:root { --lane-h: ${LANE_HEIGHT_PX}px; --axis-h: ${AXIS_HEIGHT_PX}px; --ink: #1a202c; --muted: #718096; --line: #e2e8f0; }
* { box-sizing: border-box; }
body { margin: 0; font: 13px/1.4 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
header { display: flex; align-items: center; gap: 16px; padding: 7px 14px; border-bottom: 1px solid var(--line); background: #f7fafc; }
.heading { min-width: 0; }
header h1 { font-size: 15px; margin: 0; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.summary { color: var(--muted); font-size: 12px; }
.controls { margin-left: auto; display: flex; align-items: center; gap: 4px; flex: none; }
.controls button { font: inherit; min-width: 30px; padding: 2px 8px; border: 1px solid #cbd5e0; border-radius: 4px; background: #fff; cursor: pointer; }
.controls button:hover { background: #edf2f7; }
#range { color: var(--muted); font-variant-numeric: tabular-nums; margin-left: 8px; min-width: 210px; text-align: right; }
main { display: flex; align-items: stretch; border-bottom: 1px solid var(--line); }
#diagram { flex: 1; display: flex; min-width: 0; }
#lanes { width: 92px; flex: none; padding-top: var(--axis-h); border-right: 1px solid var(--line); background: #fff; }
.lane { height: var(--lane-h); display: flex; flex-direction: column; justify-content: center; padding: 0 10px; border-top: 1px solid #edf2f7; }
.lane:nth-child(odd) { background: #f9fafb; }
.lane .name { font-weight: 600; font-size: 14px; }
.lane .role { color: var(--muted); font-size: 11px; }
#plot { flex: 1; position: relative; min-width: 0; cursor: grab; user-select: none; }
#plot.dragging { cursor: grabbing; }
#canvas { display: block; }
#details { width: 290px; flex: none; border-left: 1px solid var(--line); padding: 10px 12px; overflow: auto; background: #fcfcfd; }
#details h2 { font-size: 13px; margin: 0 0 6px; }
#details .hint { color: var(--muted); margin: 0; }
#details h2.story { color: #c53030; }
#details ol.story { margin: 4px 0 10px; padding-left: 18px; font-size: 12px; }
#details ol.story li { margin: 0 0 6px; }
#details ol.story button { all: unset; display: block; cursor: pointer; color: #9b2c2c; }
#details ol.story button:hover, #details ol.story button:focus-visible { text-decoration: underline; }
#details .sentence { margin: 0 0 8px; }
table.fields { border-collapse: collapse; width: 100%; font-size: 12px; }
table.fields th { text-align: left; font-weight: 500; color: var(--muted); padding: 1px 8px 1px 0; vertical-align: top; white-space: nowrap; }
table.fields td { padding: 1px 0; word-break: break-word; font-variant-numeric: tabular-nums; }
#statusbar { display: flex; gap: 16px; padding: 5px 14px; border-bottom: 1px solid var(--line); }
#status { color: var(--muted); font-size: 12px; }
#status .capped { color: #c05621; font-weight: 600; }
#legend { display: grid; grid-template-columns: minmax(260px, 1.1fr) minmax(240px, 1fr) minmax(300px, 1.4fr); gap: 6px 26px; padding: 8px 14px 10px; font-size: 12px; }
#legend h3 { font-size: 11px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 4px; font-weight: 600; }
#legend .items { display: flex; flex-wrap: wrap; gap: 2px 14px; }
#legend .item { display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }
#legend .legend-type { cursor: pointer; }
#legend .legend-type input { margin: 0; }
#legend small { color: var(--muted); }
#legend canvas { width: 22px; height: 14px; }
#legend .note { color: var(--muted); margin: 4px 0 0; }
.help { color: var(--muted); font-size: 12px; margin-left: auto; }
#tooltip { position: fixed; z-index: 10; max-width: 380px; padding: 6px 9px; background: rgba(26, 32, 44, .94); color: #fff; border-radius: 5px; font-size: 12px; pointer-events: none; box-shadow: 0 2px 8px rgba(0,0,0,.25); }
#tooltip[hidden] { display: none; }
#tooltip h2 { font-size: 12px; margin: 0 0 3px; }
#tooltip .sentence { margin: 0 0 4px; }
#tooltip .more { margin: 4px 0 0; color: #fbd38d; }
#tooltip table.fields th { color: #a0aec0; }
`;
