// The report page's own stylesheet (uPlot's is inlined beside it).
export const REPORT_STYLE = `
:root { --ink: #1a202c; --muted: #718096; --line: #e2e8f0; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; color: var(--ink); background: #fff; }
header { padding: 14px 24px 10px; border-bottom: 1px solid var(--line); background: #f7fafc; }
header h1 { font-size: 19px; margin: 0 0 2px; font-weight: 600; }
header .sub { color: var(--muted); font-size: 13px; }
main { padding: 8px 24px 32px; max-width: 1500px; }
h2 { font-size: 16px; margin: 22px 0 6px; }
h3 { font-size: 14px; margin: 14px 0 2px; }
p { margin: 4px 0 8px; }
.verdict { font-weight: 600; }
.verdict.bad { color: #c53030; }
.verdict.good { color: #2f855a; }
code { font: 12.5px ui-monospace, "DejaVu Sans Mono", monospace; background: #edf2f7; padding: 1px 4px; border-radius: 3px; }
table.data { border-collapse: collapse; font-size: 13px; margin: 6px 0 10px; }
table.data th, table.data td { padding: 3px 10px; border-bottom: 1px solid var(--line); text-align: right; font-variant-numeric: tabular-nums; }
table.data th { color: var(--muted); font-weight: 600; background: #f7fafc; }
table.data td.text, table.data th.text { text-align: left; }
table.data tr.failing td { background: #fff5f5; }
ul.cases { margin: 2px 0 8px; padding-left: 20px; font-size: 13px; }
ul.cases li { margin: 1px 0; }
.allowed { color: #b7791f; }
.unexpected { color: #c53030; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(560px, 1fr)); gap: 6px 28px; }
.chart-box { min-width: 0; }
.chart-box .note { color: var(--muted); font-size: 12px; margin: 0 0 2px; }
.chart-box .faults-here { color: #9b2c2c; font-size: 12px; min-height: 1.4em; }
.chart { width: 100%; }
details { margin: 6px 0; }
details summary { cursor: pointer; color: #2b6cb0; }
pre { font: 12px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; background: #f7fafc; padding: 8px; overflow: auto; max-height: 320px; }
footer { color: var(--muted); font-size: 12px; padding: 10px 24px; border-top: 1px solid var(--line); }
`;
