// A progress display watches a run without changing it: the load phase runs in slices of a
// simulated second when one is attached, and the run is the same event for event.
import { describe, expect, test } from 'vitest';
import type { RunProgress } from '../../scenario/build.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';

const SCENARIO = parseScenario({
  durationMs: 5500,
  consumers: [{ group: 'g1', count: 1, 'auto.offset.reset': 'earliest' }],
  faults: { mode: 'random', kinds: ['crash', 'partition'], meanIntervalMs: 1000 },
}, 'progress');

describe('run progress', () => {
  test.each([1, 2, 3])('reports every simulated second of the load phase, then the settle steps, and leaves seed %i unchanged', (seed) => {
    const seen: RunProgress[] = [];
    const watched = runScenario(SCENARIO, seed, { onProgress: (p) => seen.push(p) });
    const plain = runScenario(SCENARIO, seed);
    expect(watched.result.traceHash).toBe(plain.result.traceHash);
    const load = seen.filter((p) => p.phase === 'load').map((p) => p.simulatedUs);
    expect(load).toEqual([1e6, 2e6, 3e6, 4e6, 5e6, 5.5e6]);
    const settle = seen.filter((p) => p.phase === 'settle').map((p) => p.simulatedUs);
    expect(settle.length).toBeGreaterThan(0);
    expect(settle[0]).toBeGreaterThan(5.5e6);
    expect(settle).toEqual([...settle].sort((a, b) => a - b));
    expect(seen.findIndex((p) => p.phase === 'settle')).toBe(load.length);
  });
});
