// The part of a check report about the seeds: how many ran, which failed, the anomalies seen and
// the first failure's reproduction (the charts of one seed follow it, from run-section.ts).
import type { CheckReport } from '../check/report.js';
import { escapeHtml } from '../../traces/html-escape.js';

function anomalyTable(report: CheckReport): string {
  const entries = Object.entries(report.anomalyCounts);
  if (entries.length === 0) return '<p>No anomaly in any run.</p>';
  const rows = entries.map(([type, runs]) => `<tr><td class="text">${escapeHtml(type)}</td><td>${runs}</td><td>${((100 * runs) / Math.max(1, report.runs)).toFixed(1)}%</td></tr>`);
  return `<table class="data"><tr><th class="text">anomaly</th><th>runs</th><th>share</th></tr>${rows.join('')}</table>`;
}

function firstFailure(report: CheckReport): string {
  const failure = report.firstFailure;
  if (failure === null) return '';
  const shrunk = failure.shrinkRuns > 0
    ? `fault script shrunk from ${failure.originalSteps} to ${failure.shrunkSteps} steps in ${failure.shrinkRuns} runs`
    : `fault script of ${failure.originalSteps} steps kept unshrunk`;
  const file = failure.file === null ? `failure file not written${failure.writeError === undefined ? '' : `: ${failure.writeError}`}` : `failure file ${failure.file}`;
  return `<p>First failure: seed ${failure.seed} with <span class="unexpected">${escapeHtml(failure.anomaly)}</span>; ${escapeHtml(shrunk)}; ${escapeHtml(file)}.</p>
<p>Replay: <code>${escapeHtml(failure.replay)}</code></p>`;
}

/** The seeds' section; `contents` (HTML) says what the page charts below it. */
export function checkSection(report: CheckReport, scenarioName: string, contents = ''): string {
  const [first] = report.failingSeeds;
  const verdict = first === undefined
    ? `<p class="verdict good">ok: ${escapeHtml(scenarioName)}: ${report.runs} runs, no unexpected anomaly or liveness failure</p>`
    : `<p class="verdict bad">FAILED: seed ${first} fails after ${report.runs} run${report.runs === 1 ? '' : 's'}${report.failingSeeds.length > 1 ? ` (failing seeds: ${escapeHtml(report.failingSeeds.join(', '))})` : ''}</p>`;
  const { seeds } = report;
  const range = `seeds ${seeds.from}…${seeds.from + seeds.count - 1}${seeds.shard === '1/1' ? '' : `, shard ${seeds.shard}`}`;
  return `<section><h2>Seeds</h2>${verdict}<p>${escapeHtml(range)}: ${report.runs} run${report.runs === 1 ? '' : 's'}, ${report.failingSeeds.length} failing.</p>
${anomalyTable(report)}${firstFailure(report)}${contents}</section>`;
}
