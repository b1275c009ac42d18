// The seed pool's two runtimes (cli/pool.ts): worker threads and child processes started with
// --single-threaded-gc answer a seed with the very run the CLI's own process would make. Runs the
// built pool (dist/), as the CLI tests run the built command.
import { beforeAll, describe, expect, test } from 'vitest';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import { ensureBuilt } from './helpers.js';

const RAW = { durationMs: 3000, faults: { mode: 'random', kinds: ['crash'], meanIntervalMs: 1000 } };

beforeAll(() => ensureBuilt());

describe('SeedPool', () => {
  test.each(['threads', 'processes'] as const)('with %s, a seed comes back as the run in this process makes it', async (runtime) => {
    const { withPool } = await import('../../dist/cli/pool.js');
    const expected = runScenario(parseScenario(RAW, 'pool-test'), 3).result;
    const run = await withPool(2, (pool) => pool.run({ raw: RAW, source: 'pool-test', seed: 3, latencies: true }, 'pool-test'), runtime);
    expect(run.result.traceHash).toBe(expected.traceHash);
    expect(run.result.events).toBe(expected.events);
    expect(run.latencies).not.toBeNull();
  });
});
