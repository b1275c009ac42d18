// CLI section: how `ksim check` scales over worker threads. Runs a fixed seed range of the default
// preset (every seed, as with --all) with 1 and with 2 workers and reports seeds per second.
// Pool start-up and JIT warm-up are excluded: each worker first runs a few seeds outside the range
// (each worker thread is its own V8 isolate and warms up on its own). Target: speedup2 >= 1.8 on
// an otherwise idle machine with at least 2 cores.
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { searchInParallel } from '../cli/check/search.js';
import { withPool, type PoolRuntime, type SeedPool } from '../cli/pool.js';
import type { Progress } from '../cli/progress.js';
import { readScenario } from '../scenario/load.js';
import { parseScenario } from '../scenario/schema.js';
import { median } from './properties.js';
import { registerBench } from './sections.js';

const PRESET = 'default';
const FROM = 1;
const SEEDS = 200;
const WARMUP_RUNS_PER_WORKER = 12;
const WARMUP_SEED = 1_000_000;

const SILENT: Progress = { tick: () => undefined, done: () => undefined };

interface Input {
  readonly raw: unknown;
  readonly source: string;
  readonly scenarioName: string;
}

async function warmUp(pool: SeedPool, input: Input, workers: number): Promise<void> {
  const seeds = Array.from({ length: WARMUP_RUNS_PER_WORKER * workers }, (_, i) => WARMUP_SEED + i);
  await searchInParallel(pool, { ...input, seeds, all: true }, SILENT);
}

interface Throughput {
  readonly seedsPerSec: number;
  /** CPU time of the whole process (every thread) per wall second: the cores the search got. */
  readonly coresUsed: number;
  /** CPU time per seed, ms: grows when threads slow each other down. */
  readonly cpuMsPerSeed: number;
}

/**
 * Throughput of an --all search over FROM…FROM+SEEDS-1 with `workers` workers. coresUsed counts this
 * process only: with child processes (runtime 'processes') it leaves the workers' CPU out.
 */
export async function checkThroughput(workers: number, input: Input, runtime: PoolRuntime = 'threads', count = SEEDS): Promise<Throughput> {
  return withPool(workers, async (pool) => {
    await warmUp(pool, input, workers);
    const seeds = Array.from({ length: count }, (_, i) => FROM + i);
    const startedMs = performance.now();
    const cpuBefore = process.cpuUsage();
    const outcome = await searchInParallel(pool, { ...input, seeds, all: true }, SILENT);
    const cpu = process.cpuUsage(cpuBefore);
    const seconds = (performance.now() - startedMs) / 1000;
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return { seedsPerSec: outcome.runs / seconds, coresUsed: cpuSeconds / seconds, cpuMsPerSeed: (1000 * cpuSeconds) / outcome.runs };
  }, runtime);
}

// A trivially parallel loop on plain worker threads: the speedup the machine itself allows right
// now. On a busy or overcommitted host it falls well below 2, and speedup2 with it.
const SPIN = `let x = 0; for (let i = 0; i < 2e8; i++) x = (x + i) % 7; require('node:worker_threads').parentPort.postMessage(x);`;
// The same for memory traffic: copying an 8 MiB buffer over and over, as a scavenger copying a
// run's survivors does. Where one core nearly saturates the memory system it falls well below 2.
const COPY = `const a = new Float64Array(1 << 20), b = new Float64Array(1 << 20);
for (let i = 0; i < 400; i++) { b.set(a); a[i] = i; }
require('node:worker_threads').parentPort.postMessage(b[7]);`;

async function spinSeconds(threads: number, code = SPIN): Promise<number> {
  const startedMs = performance.now();
  await Promise.all(Array.from({ length: threads }, () => new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  return (performance.now() - startedMs) / 1000;
}

/** Work per second with 2 threads over 1 thread, for a loop that shares nothing (`code`). */
async function machineSpeedup2(code = SPIN): Promise<number> {
  const one = await spinSeconds(1, code);
  const two = await spinSeconds(2, code);
  return (2 * one) / two;
}

export async function benchCli(): Promise<Record<string, number | string>> {
  const { source, raw } = readScenario(PRESET);
  const input = { raw, source, scenarioName: parseScenario(raw, source).name };
  const one = await checkThroughput(1, input);
  const two = await checkThroughput(2, input);
  return {
    scenario: `${PRESET}, seeds ${FROM}…${FROM + SEEDS - 1}`,
    cores: availableParallelism(),
    checkSeedsPerSec1: one.seedsPerSec,
    checkSeedsPerSec2: two.seedsPerSec,
    speedup2: two.seedsPerSec / one.seedsPerSec,
    // Diagnostics: coresUsed2 near 1, or machineSpeedup2 (a loop sharing nothing) near 1, means the
    // machine could not give two cores; machineCopySpeedup2 well below 2 means its memory system
    // does not scale to two; speedup2Bound is the ceiling coresUsed1 leaves on this machine.
    coresUsed1: one.coresUsed,
    coresUsed2: two.coresUsed,
    cpuMsPerSeed1: one.cpuMsPerSeed,
    cpuMsPerSeed2: two.cpuMsPerSeed,
    machineSpeedup2: await machineSpeedup2(),
    machineCopySpeedup2: await machineSpeedup2(COPY),
    // One worker already keeps coresUsed1 cores busy (its thread plus V8's GC and compiler
    // threads), so on a machine with C cores 2 workers can gain at most C / coresUsed1.
    speedup2Bound: Math.min(2, availableParallelism() / one.coresUsed),
  };
}

registerBench('cli', 'ksim check: seeds/s over worker threads, 1 vs 2 workers (target speedup2 >= 1.8)', benchCli);

/** Rounds of the pool comparison (KSIM_POOL_ROUNDS); each measures both runtimes, in alternating order. */
const POOL_ROUNDS = Number(process.env['KSIM_POOL_ROUNDS'] ?? 6);
/** Seeds per measurement: short, so that a round's two measurements see the same machine. */
const POOL_SEEDS = 100;

/**
 * check's seeds/s on 2 workers as worker threads and as child processes started with
 * --single-threaded-gc (cli/pool.ts), side by side. The machine may be shared, so the two are
 * interleaved (threads first in odd rounds, processes first in even ones) and each round's ratio
 * compares two measurements taken minutes apart at most; reported are the medians.
 */
export async function benchPool(rounds = POOL_ROUNDS): Promise<Record<string, number | string>> {
  const { source, raw } = readScenario(PRESET);
  const input = { raw, source, scenarioName: parseScenario(raw, source).name };
  const rates: Record<PoolRuntime, number[]> = { threads: [], processes: [] };
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order: PoolRuntime[] = round % 2 === 0 ? ['threads', 'processes'] : ['processes', 'threads'];
    for (const runtime of order) rates[runtime].push((await checkThroughput(2, input, runtime, POOL_SEEDS)).seedsPerSec);
    ratios.push(rates.processes[round]! / rates.threads[round]!);
  }
  const list = (xs: readonly number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  return {
    scenario: `${PRESET}, seeds ${FROM}…${FROM + POOL_SEEDS - 1}, 2 workers, ${rounds} rounds`,
    threadsSeedsPerSec2: median(rates.threads),
    processesSeedsPerSec2: median(rates.processes),
    processesOverThreads: median(ratios),
    threadsRounds: list(rates.threads),
    processesRounds: list(rates.processes),
    ratioRounds: list(ratios),
  };
}

registerBench('pool', 'ksim check on 2 workers: worker threads vs child processes with --single-threaded-gc, interleaved (processesOverThreads > 1: processes faster)', () => benchPool());
