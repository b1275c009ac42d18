// The known-bug suite, part 1 (KAFKA.md anomalies 2–8): for each, a seed search in the preset that
// allows it (random faults; a fault script for 6, 7 and 8) finds the anomaly and the failure shrinks to
// at most four fault steps (five for 8); the same search with the fix finds nothing. Part 2 (1 and 9–11) is known-bugs-clients.test.ts, so
// that where vitest runs files in parallel the halves take about equal time (anomaly 1's preset runs
// 150 s and its search spends 100 seeds). Also here: the seed search itself.
import { ANOMALY_TYPES } from '../../properties/anomaly.js';
import { describe, expect, test } from 'vitest';
import type { KnownBug } from '../../properties/known-bugs.js';
import { KNOWN_BUGS, applySettings, huntKnownBug, knownBugScenario } from '../../properties/known-bugs.js';
import type { SearchProgress } from '../../properties/search.js';
import { isFailure, searchSeeds } from '../../properties/search.js';
import { readScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import { knownBugCases } from './known-bugs-cases.js';

knownBugCases(KNOWN_BUGS.filter((bug) => bug.number >= 2 && bug.number <= 8));

describe('the known-bug table', () => {
  test('names existing presets, one per anomaly, with fixes that parse', () => {
    expect(KNOWN_BUGS.map((bug) => bug.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    for (const bug of KNOWN_BUGS) {
      expect(knownBugScenario(bug).name).toBe(bug.preset);
      expect(knownBugScenario(bug, true).name).toBe(`${bug.preset}+fix`);
      expect(bug.seedBudget).toBeLessThanOrEqual(100);
    }
  });

  test('applySettings patches objects key by key and arrays element by element', () => {
    const raw = { a: 1, broker: { x: 1, y: 2 }, producers: [{ acks: '1', rate: 5 }, { acks: '0' }] };
    expect(applySettings(raw, { broker: { y: 3 }, producers: [{ acks: 'all' }] })).toEqual(
      { a: 1, broker: { x: 1, y: 3 }, producers: [{ acks: 'all', rate: 5 }, { acks: '0' }] });
    expect(raw.producers[0]?.acks).toBe('1');
    expect(applySettings({ a: [1, 2] }, { a: null })).toEqual({ a: null });
  });
});

describe('searchSeeds', () => {
  const bug = KNOWN_BUGS.find((b) => b.number === 2) as KnownBug;
  const scenario = knownBugScenario(bug);

  test('runs seeds in order, counts anomalies per run, and stops at the first failure when asked', () => {
    const progress: SearchProgress[] = [];
    const all = searchSeeds(scenario, { from: 1, count: 8, stopAtFirst: false, target: 'lost-write', onProgress: (p) => progress.push(p) });
    expect(all.runs).toBe(8);
    expect(progress.map((p) => p.seed)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(progress.map((p) => p.runs)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(all.failingSeeds.length).toBeGreaterThan(0);
    expect(all.anomalyCounts['lost-write']).toBe(all.failingSeeds.length);
    for (const p of progress) expect(isFailure(p.result, 'lost-write')).toBe(all.failingSeeds.includes(p.seed));
    const first = searchSeeds(scenario, { from: 1, count: 8, stopAtFirst: true, target: 'lost-write' });
    expect(first.runs).toBe(all.failingSeeds[0]);
    expect(first.failingSeeds).toEqual([all.failingSeeds[0]]);
    expect(first.first?.seed).toBe(all.failingSeeds[0]);
    // The run kept is the seed's run, plan included, so it can be shrunk or replayed.
    expect(first.first?.output.result.traceHash).toBe(runScenario(scenario, all.failingSeeds[0]!).result.traceHash);
  });

  test('without a target a seed fails only on anomalies the scenario does not allow', () => {
    // Allowing every anomaly, no seed fails.
    const permissive = { ...scenario, allowedAnomalies: [...ANOMALY_TYPES] };
    expect(searchSeeds(permissive, { from: 1, count: 4, stopAtFirst: false }).failingSeeds).toEqual([]);
    // The preset allows side effects only, never the anomaly it shows: seeds with a lost write fail.
    const asShipped = searchSeeds(scenario, { from: 1, count: 4, stopAtFirst: false });
    const lossSeeds = searchSeeds(scenario, { from: 1, count: 4, stopAtFirst: false, target: 'lost-write' }).failingSeeds;
    for (const seed of lossSeeds) expect(asShipped.failingSeeds).toContain(seed);
    const strict = knownBugScenario(bug);
    const noneAllowed = { ...strict, allowedAnomalies: [] };
    const failing = searchSeeds(noneAllowed, { from: 1, count: 4, stopAtFirst: false });
    const withLoss = searchSeeds(strict, { from: 1, count: 4, stopAtFirst: false, target: 'lost-write' }).failingSeeds;
    for (const seed of withLoss) expect(failing.failingSeeds).toContain(seed);
  });

  test('an empty range runs nothing; a bad range is an error', () => {
    expect(searchSeeds(scenario, { from: 5, count: 0, stopAtFirst: true })).toEqual({ runs: 0, failingSeeds: [], anomalyCounts: {} });
    expect(() => searchSeeds(scenario, { from: 1.5, count: 1, stopAtFirst: true })).toThrow(RangeError);
    expect(() => searchSeeds(scenario, { from: 1, count: -1, stopAtFirst: true })).toThrow(RangeError);
  });

  test('huntKnownBug searches the preset or its fix', () => {
    const hunt = huntKnownBug(bug, { count: 10 });
    expect(hunt.scenario.name).toBe('acks1-leader-crash');
    expect(hunt.search.first).toBeDefined();
    expect(hunt.shrunk).toBeUndefined();
    expect(huntKnownBug(bug, { count: 5, fixed: true }).scenario.producers[0]?.acks).toBe('all');
    expect(readScenario(bug.preset).raw).toMatchObject({ producers: [{ acks: '1' }] });
  });
});
