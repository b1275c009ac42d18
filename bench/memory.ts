// Memory section: long single runs of the built CLI (`ksim run --json`), as a user runs them, with
// the peak RSS of the process sampled from /proc (VmHWM, what `/usr/bin/time -v` reports as its
// maximum resident set size). The runs of issue #19:
//
//   safe60         the `safe` preset for 60 simulated minutes (durationMs 3600000), seed 1: target 300 MB
//   large-cluster  examples/large-cluster.json (9 brokers, 50 partitions, 5 producers at 5,000 msg/s,
//                  10 simulated minutes), seed 1: target 2 GB; takes tens of minutes, so opt-in
//
//   KSIM_MEMORY_RUNS  comma-separated runs (default safe60)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { registerBench, type BenchMetrics } from './sections.js';
import { peakRssMb } from './soak.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const CLI = join(HERE, '..', 'cli', 'main.js');
const ROOT = join(HERE, '..', '..');

/** The scenario file of a named run, written to `dir` where it is derived from a preset. */
function scenarioFile(run: string, dir: string): string {
  if (run === 'large-cluster') return join(ROOT, 'examples', 'large-cluster.json');
  if (run !== 'safe60') throw new Error(`unknown memory run '${run}' (safe60, large-cluster)`);
  const safe = JSON.parse(readFileSync(join(ROOT, 'scenario', 'presets', 'safe.json'), 'utf8')) as Record<string, unknown>;
  const path = join(dir, 'safe60.json');
  writeFileSync(path, JSON.stringify({ ...safe, name: 'safe60', durationMs: 3_600_000 }));
  return path;
}

async function measure(run: string): Promise<Record<string, number | string>> {
  const cwd = mkdtempSync(join(tmpdir(), `ksim-memory-${run}-`));
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, 'run', scenarioFile(run, cwd), '--seed', '1', '--json'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, peakRssMb(child.pid ?? -1)); }, 100);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearInterval(sampler);
  if (code !== 0 && code !== 1) return { [`${run}Error`]: `exit ${code}` };
  const result = JSON.parse(stdout) as { events: number; stats: { sent: number } };
  return {
    [`${run}WallSeconds`]: Math.round((performance.now() - started) / 1000),
    [`${run}Events`]: result.events,
    [`${run}Sent`]: result.stats.sent,
    [`${run}PeakRssMb`]: Math.round(peak),
  };
}

export async function runMemoryBench(): Promise<BenchMetrics> {
  const runs = (process.env['KSIM_MEMORY_RUNS'] ?? 'safe60').split(',').filter(Boolean);
  const metrics: Record<string, number | string> = {};
  for (const run of runs) Object.assign(metrics, await measure(run));
  return metrics;
}

registerBench('memory', 'peak RSS of long `ksim run`s: safe for 60 simulated minutes (KSIM_MEMORY_RUNS=safe60,large-cluster)', runMemoryBench, { optIn: true });
