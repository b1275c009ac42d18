// The readable summary of one run (for `run` and `replay`): verdict, each anomaly with its
// example cases, the liveness failures, the stats, the settle phase, and the trace hash.
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

/** The liveness failures the scenario does not allow, by name. */
function failedLiveness(result: RunResult): string[] {
  return result.liveness.filter((r) => !r.allowed).map((r) => r.type);
}

function verdictLine(result: RunResult): string {
  const liveness = failedLiveness(result);
  if (!result.ok) {
    const n = result.unexpected.length;
    const parts = n > 0 ? [`${n} unexpected anomal${n === 1 ? 'y' : 'ies'} (${result.unexpected.join(', ')})`] : [];
    parts.push(...liveness);
    return pc.red(`FAILED: ${parts.join('; ')}`);
  }
  const allowed = [...result.anomalies.map((a) => a.type), ...result.liveness.map((r) => r.type)];
  if (allowed.length === 0) return pc.green('ok: no anomaly, settled');
  return pc.green(`ok: only allowed findings (${allowed.join(', ')})`);
}

/** The liveness failures other than not-settled (whose problems the settle lines show). */
function livenessLines(result: RunResult): string[] {
  const lines: string[] = [];
  for (const report of result.liveness) {
    if (report.type === 'not-settled') continue;
    const tag = report.allowed ? pc.yellow(`${report.type} (allowed)`) : pc.red(report.type);
    lines.push(`  ${tag}: ${report.problems.join('; ')}`);
  }
  return lines;
}

/** How the settle phase went: when it was quiescent (or what was stuck at the cap) and the drain. */
export function settleLines(result: RunResult): string[] {
  const { settle } = result;
  const drained = settle.drain.doneAtMs === null
    ? `the drain read ${settle.drain.records} records and did not finish`
    : `the drain read ${settle.drain.records} records`;
  if (settle.settled && settle.quiescentAtMs !== null) {
    return [`settled     quiescent ${seconds(settle.quiescentAtMs - settle.startedAtMs)} after the load phase (cap ${seconds(settle.capMs)}); ${drained}`];
  }
  const when = settle.quiescentAtMs === null
    ? `not quiescent within the cap of ${seconds(settle.capMs)}`
    : `quiescent ${seconds(settle.quiescentAtMs - settle.startedAtMs)} after the load phase`;
  const lines = [pc.yellow(`NOT SETTLED ${when}; ${drained}`)];
  for (const problem of settle.problems) lines.push(`    - ${problem}`);
  return lines;
}

/** What the random nemesis drew for the seed (swarm) or had in play (swarm off); none for a script. */
export function nemesisLines(result: RunResult): string[] {
  const draw = result.nemesis;
  if (draw === null || draw.kinds.length === 0) return [];
  const kinds = draw.kinds.map((k) => `${k.kind} every ~${seconds(k.meanIntervalMs)}`).join(', ');
  return [`nemesis     ${draw.swarm ? 'swarm drew' : 'swarm off:'} ${kinds}; targets ${draw.targets.join(', ')}`];
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
  lines.push(...livenessLines(result));
  lines.push(...statsLines(result.stats, durationMs));
  lines.push(`run         ${result.events} events, ${result.simulatedMs} simulated ms, ${result.faults} fault step${result.faults === 1 ? '' : 's'}`);
  lines.push(...nemesisLines(result));
  lines.push(...settleLines(result));
  lines.push(`trace hash  ${result.traceHash}`);
  return `${lines.join('\n')}\n`;
}
