// What `ksim check` prints: the JSON object of DESIGN.md, or a few readable lines.
import pc from 'picocolors';
import type { Shard } from '../args.js';
import type { RecordedFailure } from './failure.js';
import type { SearchOutcome } from './search.js';
import { settleSummaryLine } from '../settle-summary.js';

export interface CheckReport extends SearchOutcome {
  readonly seeds: { readonly from: number; readonly count: number; readonly shard: string };
  readonly firstFailure: RecordedFailure | null;
}

export function checkReport(outcome: SearchOutcome, range: { from: number; count: number; shard: Shard }, failure: RecordedFailure | null): CheckReport {
  return {
    seeds: { from: range.from, count: range.count, shard: `${range.shard.index}/${range.shard.count}` },
    runs: outcome.runs, failingSeeds: outcome.failingSeeds, anomalyCounts: outcome.anomalyCounts,
    settle: outcome.settle, firstFailure: failure,
  };
}

function anomaliesLine(report: CheckReport): string {
  const entries = Object.entries(report.anomalyCounts);
  if (entries.length === 0) return 'anomalies seen: none';
  return `anomalies seen (runs): ${entries.map(([type, runs]) => `${type} ${runs}`).join(', ')}`;
}

function failureLines(failure: RecordedFailure): string[] {
  if (failure.file === null && failure.writeError === undefined) {
    // A liveness failure: no failure file (its name is no anomaly a replay could look for).
    return [...failure.problems.map((problem) => `  - ${problem}`), `reproduce: ${pc.bold(failure.replay)}`];
  }
  const shrunk = failure.shrinkRuns > 0
    ? `fault script shrunk from ${failure.originalSteps} to ${failure.shrunkSteps} step${failure.shrunkSteps === 1 ? '' : 's'} in ${failure.shrinkRuns} runs`
    : `fault script of ${failure.originalSteps} step${failure.originalSteps === 1 ? '' : 's'} kept unshrunk`;
  if (failure.file === null) {
    return [
      shrunk, pc.red(`failure file not written: ${failure.writeError ?? 'unknown error'}`),
      `shrunk fault script: ${JSON.stringify(failure.steps ?? [])}`,
      `reproduce (unshrunk): ${pc.bold(failure.replay)}`,
    ];
  }
  return [shrunk, `failure file: ${failure.file}`, `replay: ${pc.bold(failure.replay)}`];
}

export function formatCheck(report: CheckReport, scenarioName: string): string {
  const lines: string[] = [];
  const [first] = report.failingSeeds;
  if (first === undefined) {
    lines.push(pc.green(`ok: ${scenarioName}: ${report.runs} runs, no unexpected anomaly or liveness failure`));
  } else {
    const more = report.failingSeeds.length > 1 ? ` (failing seeds: ${report.failingSeeds.join(', ')})` : '';
    const anomaly = report.firstFailure === null ? '' : ` with ${report.firstFailure.anomaly}`;
    lines.push(pc.red(`FAILED: ${scenarioName}: seed ${first} fails${anomaly}, after ${report.runs} run${report.runs === 1 ? '' : 's'}${more}`));
  }
  lines.push(anomaliesLine(report));
  lines.push(settleSummaryLine(report.settle));
  if (report.firstFailure !== null) lines.push(...failureLines(report.firstFailure));
  return lines.join('\n');
}
