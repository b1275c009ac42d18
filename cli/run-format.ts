// The readable summary of one run (for `run` and `replay`): verdict, each anomaly with its
// example cases, the stats, and the trace hash that identifies the run.
import pc from 'picocolors';
import type { AnomalyReport } from '../properties/anomaly.js';
import type { RunResult, RunStats } from '../scenario/run.js';

function percent(part: number, whole: number): string {
  return whole === 0 ? '0%' : `${((100 * part) / whole).toFixed(1)}%`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function anomalyLines(report: AnomalyReport, allowed: boolean): string[] {
  const tag = allowed ? pc.yellow(`${report.type} (allowed)`) : pc.red(report.type);
  const lines = [`  ${tag}: ${report.count} case${report.count === 1 ? '' : 's'}`];
  for (const example of report.examples) lines.push(`    - ${example.summary}`);
  const more = report.count - report.examples.length;
  if (more > 0) lines.push(`    … and ${more} more`);
  return lines;
}

function verdictLine(result: RunResult): string {
  if (result.anomalies.length === 0) return pc.green('ok: no anomaly');
  const types = result.anomalies.map((a) => a.type).join(', ');
  if (result.ok) return pc.green(`ok: only allowed anomalies (${types})`);
  return pc.red(`FAILED: ${result.unexpected.length} unexpected anomal${result.unexpected.length === 1 ? 'y' : 'ies'} (${result.unexpected.join(', ')})`);
}

export function statsLines(stats: RunStats, durationMs: number): string[] {
  return [
    `sends       ${stats.sent} sent, ${stats.acked} acked (${percent(stats.acked, stats.sent)}), ${stats.failed} refused, ${stats.indeterminate} unknown outcome`,
    `latency     ack p50 ${stats.ackLatencyMs.p50} ms, p99 ${stats.ackLatencyMs.p99} ms (simulated)`,
    `unavailable ${seconds(stats.unavailableMs)} of ${seconds(durationMs)} (${percent(stats.unavailableMs, durationMs)}) without an ack`,
  ];
}

/** The whole summary; `durationMs` is the scenario's load phase (unavailability's denominator). */
export function formatRun(result: RunResult, durationMs: number): string {
  const unexpected = new Set(result.unexpected);
  const lines = [`${pc.bold(result.scenario)} seed ${result.seed}: ${verdictLine(result)}`];
  for (const report of result.anomalies) lines.push(...anomalyLines(report, !unexpected.has(report.type)));
  lines.push(...statsLines(result.stats, durationMs));
  lines.push(`run         ${result.events} events, ${result.simulatedMs} simulated ms, ${result.faults} fault step${result.faults === 1 ? '' : 's'}`);
  lines.push(result.settle.settled
    ? 'settled     every partition has a leader and a full ISR'
    : pc.yellow(`NOT SETTLED ${result.settle.problems.join('; ')}`));
  lines.push(`trace hash  ${result.traceHash}`);
  return `${lines.join('\n')}\n`;
}
