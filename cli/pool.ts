// The seed pool: worker threads (tinypool) that each run one seed at a time. Work is fed through a
// small window (twice the workers) rather than queued all at once, so a search over a million
// seeds holds a few tasks in memory and can stop early without cancelling a queue.
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

export class SeedPool {
  private readonly pool: Tinypool;

  constructor(readonly workers: number) {
    this.pool = new Tinypool({
      filename: new URL('./worker.js', import.meta.url).href,
      minThreads: workers,
      maxThreads: workers,
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
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
export async function withPool<T>(workers: number, use: (pool: SeedPool) => Promise<T>): Promise<T> {
  const pool = new SeedPool(workers);
  try {
    return await use(pool);
  } finally {
    await pool.destroy();
  }
}
