// The seed pool: workers (tinypool; threads by default, or child processes) that each run one seed
// at a time. Work is fed through a small window (twice the workers) rather than queued all at
// once, so a search over a million seeds holds a few tasks in memory and can stop early without
// cancelling a queue.
import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { UserError } from '../sim/errors.js';
import type { RunResult } from '../scenario/run.js';
import type { LatencyHistogram } from './explore/latency.js';
import { RunBugError, toRunBug } from './run-error.js';
import type { SeedAnswer, SeedTask } from './worker-protocol.js';

export interface SeedRun {
  readonly result: RunResult;
  readonly latencies: LatencyHistogram | null;
}

/** What a caller decides after each finished task: keep starting new ones, or start no more. */
export type Continue = 'continue' | 'stop';

/**
 * The runtime `check` and `explore` use. The bench's pool section measured both on the 2-core VM,
 * 2 workers, default preset, 17 interleaved rounds of 100 seeds over three runs: processes over
 * threads 0.56-1.48 a round, median 1.02; 1.24 in the 8 rounds at load 9-12, 0.99 in the 6 at load
 * 4-5 (17.4 seeds/s both). No gain the noise does not swallow, and a process pool takes about
 * 100 ms longer to start (two short seeds: 810-880 ms against 725-750): threads it stays.
 */
export const DEFAULT_POOL_RUNTIME: PoolRuntime = 'threads';

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Young generation of each worker, MiB. A run keeps its history and logs until it ends, so much of
 * what it allocates survives a scavenge or two; with V8's default young generation (16 MiB
 * semi-spaces, 48 MiB in all on 64-bit) it is scavenged and copied more often. On the 2-core
 * benchmark machine 96 MiB raised check's seeds/s with 2 workers by about 10-20% (a noisy VM: see
 * the README's Benchmarks), for at most that much more memory per worker.
 */
export const WORKER_YOUNG_GENERATION_MB = 96;

/**
 * How the workers run: threads of this process (each its own V8 isolate, sharing the process's GC
 * helper threads), or child processes started with --single-threaded-gc (each collects on its own
 * main thread only, so two workers on two cores do not also compete with collector threads).
 */
export type PoolRuntime = 'threads' | 'processes';

export class SeedPool {
  private readonly pool: Tinypool;

  constructor(readonly workers: number, readonly runtime: PoolRuntime = DEFAULT_POOL_RUNTIME) {
    const common = { filename: new URL('./worker.js', import.meta.url).href, minThreads: workers, maxThreads: workers };
    this.pool = runtime === 'threads'
      ? new Tinypool({ ...common, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } })
      : new Tinypool({
        ...common,
        runtime: 'child_process',
        // A process's young generation is three semi-spaces: the same 96 MiB as a thread's.
        execArgv: ['--single-threaded-gc', `--max-semi-space-size=${WORKER_YOUNG_GENERATION_MB / 3}`],
        // Results carry values JSON does not (Infinity, undefined): the structured clone, as threads use.
        serialization: 'advanced',
      });
  }

  /** Runs one seed on a worker; a ksim bug comes back as a RunBugError naming scenario and seed. */
  async run(task: SeedTask, scenarioName: string): Promise<SeedRun> {
    const context = { scenario: scenarioName, seed: task.seed };
    let answer: SeedAnswer;
    try {
      answer = (await this.pool.run(task)) as SeedAnswer;
    } catch (error) {
      // The worker itself died (out of memory, a crash in a native module): still name the seed.
      throw toRunBug(context, error);
    }
    if (answer.kind === 'ok') return { result: answer.result, latencies: answer.latencies };
    if (answer.kind === 'user-error') throw new UserError(answer.message);
    throw new RunBugError(context, answer.detail, answer.assertion, answer.stack);
  }

  /**
   * Runs `items` in order with at most 2 × workers in flight. `onDone` sees each finished item
   * (in completion order) and may stop new starts; items already started still finish.
   */
  async runAll<T, R = SeedRun>(items: Iterable<T>, start: (item: T) => Promise<R>, onDone: (item: T, run: R) => Continue): Promise<void> {
    const iterator = items[Symbol.iterator]();
    let stopped = false;
    const lane = async (): Promise<void> => {
      for (let next = iterator.next(); !next.done && !stopped; next = iterator.next()) {
        const run = await start(next.value);
        if (onDone(next.value, run) === 'stop') stopped = true;
      }
    };
    const lanes = Array.from({ length: this.workers * 2 }, lane);
    try {
      await Promise.all(lanes);
    } finally {
      stopped = true;
    }
  }

  async destroy(): Promise<void> {
    await this.pool.destroy();
  }
}

/** Opens a pool, hands it to `use`, and always closes it so the process can exit. */
export async function withPool<T>(workers: number, use: (pool: SeedPool) => Promise<T>, runtime: PoolRuntime = DEFAULT_POOL_RUNTIME): Promise<T> {
  const pool = new SeedPool(workers, runtime);
  try {
    return await use(pool);
  } finally {
    await pool.destroy();
  }
}
