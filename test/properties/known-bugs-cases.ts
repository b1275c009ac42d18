// The two tests every known bug gets: found and shrunk where its preset allows it, absent with the
// fix. Seeds 1 … seedBudget, fixed, so a run of the suite is reproducible.
import { describe, expect, test } from 'vitest';
import type { KnownBug } from '../../properties/known-bugs.js';
import { huntKnownBug } from '../../properties/known-bugs.js';
import { failureRecord, replayFailure } from '../../properties/failure-file.js';

/** Most fault steps a shrunk known bug may keep, unless it names its own (anomaly 8 needs five). */
export const MAX_SHRUNK_STEPS = 4;
/** Runs a shrink may spend in these tests. */
export const SHRINK_RUNS = 200;

export function knownBugCases(bugs: readonly KnownBug[]): void {
  describe.each(bugs)('anomaly $number: $title', (bug) => {
    const maxSteps = bug.maxShrunkSteps ?? MAX_SHRUNK_STEPS;
    test(`a seed search in ${bug.preset} finds ${bug.target}, and it shrinks to at most ${maxSteps} fault steps`, () => {
      const hunt = huntKnownBug(bug, { shrinkRuns: SHRINK_RUNS });
      const { first } = hunt.search;
      if (first === undefined) throw new Error(`${bug.preset}: no ${bug.target} in seeds 1…${bug.seedBudget}`);
      const shrunk = hunt.shrunk!;
      const steps = JSON.stringify(shrunk.steps);
      expect(shrunk.steps.length, `seed ${first.seed} shrank to ${steps}`).toBeLessThanOrEqual(maxSteps);
      // A known bug needs a fault: one found without any means the preset, not the fault, causes it.
      expect(shrunk.steps.length, `seed ${first.seed} shows ${bug.target} without faults`).toBeGreaterThan(0);
      expect(shrunk.output.result.anomalies.map((a) => a.type)).toContain(bug.target);
      // The shrunk script, as a failure file would hold it, replays to the same run.
      const record = failureRecord({
        scenario: hunt.scenario, seed: first.seed, anomaly: bug.target, originalSteps: first.output.plan.length, steps: shrunk.steps, output: shrunk.output,
      });
      const replay = replayFailure({ ...record, replay: '' });
      expect(replay.hashMatches).toBe(true);
      expect(replay.anomalyPresent).toBe(true);
    });

    test(`with ${bug.fix} the same search finds no ${bug.target}`, () => {
      const { search } = huntKnownBug(bug, { fixed: true });
      expect(search.failingSeeds).toEqual([]);
      expect(search.runs).toBe(bug.seedBudget);
    });
  });
}
