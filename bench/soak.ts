// Soak section: long `ksim check` runs of the built CLI, as a user runs them, with the peak RSS of
// the whole process (its worker threads included) and of its worker processes, when the pool runs
// them as processes (cli/pool.ts), sampled from /proc through the run (issue #19).
//
//   KSIM_SOAK_SEEDS    seeds per preset (default 10000)
//   KSIM_SOAK_PRESETS  comma-separated presets (default safe,default)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { registerBench, type BenchMetrics } from './sections.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'main.js');

/** The process's peak resident set so far (VmHWM), in MB; 0 once it has exited. */
export function peakRssMb(pid: number): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match === null ? 0 : Number(match[1]) / 1024;
  } catch {
    return 0;
  }
}

/** The process's child processes (Linux: /proc/PID/task/TID/children), [] once it has exited. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return [];
  }
}

interface CheckJson {
  readonly runs: number;
  readonly failingSeeds: readonly number[];
  readonly anomalyCounts: Readonly<Record<string, number>>;
}

async function soak(preset: string, seeds: number): Promise<Record<string, number | string>> {
  const cwd = mkdtempSync(join(tmpdir(), `ksim-soak-${preset}-`));
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'check', preset, '--seeds', String(seeds), '--all', '--no-shrink', '--json'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  // Each process's own peak, summed: an upper bound of their peak together.
  const peaks = new Map<number, number>();
  const sampler = setInterval(() => {
    const pid = child.pid ?? -1;
    for (const p of [pid, ...childPids(pid)]) peaks.set(p, Math.max(peaks.get(p) ?? 0, peakRssMb(p)));
  }, 200);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  const peak = [...peaks.values()].reduce((a, b) => a + b, 0);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0 && code !== 1) return { [`${preset}Error`]: `exit ${code}` };
  const result = JSON.parse(stdout) as CheckJson;
  const anomalies = Object.entries(result.anomalyCounts).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return {
    [`${preset}Seeds`]: result.runs,
    [`${preset}WallSeconds`]: Math.round(seconds),
    [`${preset}SeedsPerSecond`]: result.runs / seconds,
    [`${preset}PeakRssMb`]: Math.round(peak),
    [`${preset}FailingSeeds`]: result.failingSeeds.length,
    [`${preset}Anomalies`]: anomalies,
  };
}

export async function runSoakBench(): Promise<BenchMetrics> {
  const seeds = Number(process.env['KSIM_SOAK_SEEDS'] ?? 10000);
  const presets = (process.env['KSIM_SOAK_PRESETS'] ?? 'safe,default').split(',').filter(Boolean);
  const metrics: Record<string, number | string> = {};
  for (const preset of presets) Object.assign(metrics, await soak(preset, Number.isSafeInteger(seeds) && seeds > 0 ? seeds : 10000));
  return metrics;
}

registerBench('soak', 'ksim check over many seeds per preset: seeds/s, peak RSS, failures (KSIM_SOAK_SEEDS, default 10000)', runSoakBench, { optIn: true });
