// Shrinking: the engine on synthetic failures (fast, exact), then shrinkFailure on real runs, and the
// kernel facts shrinking relies on (an undo without its fault does nothing).
import { describe, expect, test } from 'vitest';
import type { FaultStep } from '../../sim/fault.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';
import { loadScenario } from '../../scenario/load.js';
import { PlanDoesNotFail, shrinkFailure, shrinkSteps } from '../../properties/shrink.js';
import { searchSeeds } from '../../properties/search.js';

/** Twenty distinct steps, one a second. */
const SYNTHETIC: FaultStep[] = Array.from({ length: 20 }, (_, i) => ({ atMs: 1000 * i + 137, fault: 'pause', node: `b${i}` }));
const nodesOf = (steps: readonly FaultStep[]): string[] => steps.map((s) => ('node' in s ? s.node : '?'));

describe('shrinkSteps (the engine)', () => {
  test('finds the two steps a failure needs, in order, with rounded times', () => {
    const needs = (steps: readonly FaultStep[]) => {
      const nodes = nodesOf(steps);
      return nodes.includes('b3') && nodes.includes('b11') ? steps.length : null;
    };
    const shrunk = shrinkSteps(SYNTHETIC, needs);
    expect(nodesOf(shrunk.steps)).toEqual(['b3', 'b11']);
    expect(shrunk.steps.map((s) => s.atMs)).toEqual([3000, 11000]);
    expect(shrunk.minimal).toBe(true);
    expect(shrunk.found).toBe(2);
  });

  test('keeps times that the failure depends on', () => {
    const needs = (steps: readonly FaultStep[]) => (steps.some((s) => s.atMs === 5137) ? true : null);
    expect(shrinkSteps(SYNTHETIC, needs).steps).toEqual([SYNTHETIC[5]]);
  });

  test('is deterministic and reports progress', () => {
    const needs = (steps: readonly FaultStep[]) => (nodesOf(steps).filter((n) => ['b2', 'b9', 'b17'].includes(n)).length >= 2 ? true : null);
    const seen: [number, number][] = [];
    const a = shrinkSteps(SYNTHETIC, needs, { onProgress: (runs, steps) => seen.push([runs, steps]) });
    const b = shrinkSteps(SYNTHETIC, needs);
    expect(a.steps).toEqual(b.steps);
    expect(a.steps).toHaveLength(2);
    expect(seen.map(([runs]) => runs)).toEqual(Array.from({ length: a.runs }, (_, i) => i + 1));
    expect(seen[0]).toEqual([1, 20]);
    expect(seen[seen.length - 1]).toEqual([a.runs, 2]);
  });

  test('stays within maxRuns and says when the result may not be minimal', () => {
    let calls = 0;
    const needs = (steps: readonly FaultStep[]) => { calls++; return nodesOf(steps).includes('b4') ? true : null; };
    const shrunk = shrinkSteps(SYNTHETIC, needs, { maxRuns: 5 });
    expect(calls).toBe(5);
    expect(shrunk.runs).toBe(5);
    expect(shrunk.minimal).toBe(false);
    expect(nodesOf(shrunk.steps)).toContain('b4');
    calls = 0;
    const once = shrinkSteps(SYNTHETIC, needs, { maxRuns: 1 });
    expect([calls, once.steps.length, once.minimal]).toEqual([1, 20, false]);
  });

  test('a candidate that throws ends the shrink with its exception', () => {
    const boom = new Error('assertion met while shrinking');
    const needs = (steps: readonly FaultStep[]) => {
      if (steps.length === 0) throw boom;
      return nodesOf(steps).includes('b4') ? true : null;
    };
    expect(() => shrinkSteps(SYNTHETIC, needs)).toThrow(boom);
  });

  test('an empty script that fails stays empty; a plan that does not fail is an error', () => {
    expect(shrinkSteps([], () => true)).toMatchObject({ steps: [], runs: 1, minimal: true });
    expect(() => shrinkSteps(SYNTHETIC, () => null)).toThrow(PlanDoesNotFail);
    expect(() => shrinkSteps(SYNTHETIC, () => true, { maxRuns: 0 })).toThrow(RangeError);
  });
});

describe('undo steps without their fault do nothing', () => {
  // Shrinking may drop a crash and keep its restart, a pause and keep its resume, a cut and keep
  // its heal. The kernel must treat those as no-ops, or shrunk scripts would mean something else.
  const base = parseScenario({ durationMs: 4000, settleMs: 3000, consumers: [], faults: { mode: 'none' } }, 'undo');
  const clean = runScenario(base, 7, { plan: [] });

  test.each<[string, FaultStep[]]>([
    ['restart of a node that is up', [{ atMs: 1000, fault: 'restart', node: 'b1' }, { atMs: 2000, fault: 'restart', node: 'c1' }]],
    ['resume of a node that is not paused', [{ atMs: 1000, fault: 'resume', node: 'b2' }]],
    ['heal with nothing cut', [{ atMs: 1000, fault: 'heal' }, { atMs: 1500, fault: 'heal', nodes: ['b1'] }]],
    ['slow factor 1 and skew 0 (the undo values)', [{ atMs: 1000, fault: 'slow-net', node: 'b1', factor: 1 }, { atMs: 1000, fault: 'clock-skew', node: 'b3', offsetMs: 0 }]],
  ])('%s', (_name, plan) => {
    const out = runScenario(base, 7, { plan });
    expect(out.history.toArray()).toEqual(clean.history.toArray());
    expect(out.final).toEqual(clean.final);
  });

  test('while a crash does change the run (the comparison can fail)', () => {
    const out = runScenario(base, 7, { plan: [{ atMs: 1000, fault: 'crash', node: 'b1' }] });
    expect(out.final).not.toEqual(clean.final);
  });
});

describe('shrinkFailure', () => {
  // acks=1 loses writes when the leader crashes: a random plan finds it within a few seeds.
  const scenario = loadScenario('acks1-leader-crash');
  const found = searchSeeds(scenario, { from: 1, count: 30, stopAtFirst: true, target: 'lost-write' }).first;

  test('shrinks a random plan to a short script that still loses writes, removing any step of which loses none', () => {
    expect(found).toBeDefined();
    const { seed, output } = found!;
    const shrunk = shrinkFailure(scenario, seed, output.plan, 'lost-write', { maxRuns: 100 });
    expect(shrunk.steps.length).toBeLessThanOrEqual(4);
    expect(shrunk.steps.length).toBeLessThan(output.plan.length);
    expect(shrunk.minimal).toBe(true);
    expect(shrunk.runs).toBeLessThanOrEqual(100);
    expect(shrunk.output.result.anomalies.map((a) => a.type)).toContain('lost-write');
    // Every step is one of the plan's (up to a rounded time), in the plan's order.
    const kinds = (steps: readonly FaultStep[]) => steps.map((s) => JSON.stringify({ ...s, atMs: 0 }));
    const planKinds = kinds(output.plan);
    let at = 0;
    for (const k of kinds(shrunk.steps)) {
      at = planKinds.indexOf(k, at);
      expect(at).toBeGreaterThanOrEqual(0);
      at++;
    }
    // 1-minimal: without any one step the anomaly is gone.
    shrunk.steps.forEach((_, i) => {
      const without = shrunk.steps.filter((_s, j) => j !== i);
      const run = runScenario(scenario, seed, { plan: without });
      expect(run.result.anomalies.map((a) => a.type)).not.toContain('lost-write');
    });
    // The same inputs shrink the same way.
    expect(shrinkFailure(scenario, seed, output.plan, 'lost-write', { maxRuns: 100 }).steps).toEqual(shrunk.steps);
  });

  test('refuses a plan that does not show the target', () => {
    expect(found).toBeDefined();
    expect(() => shrinkFailure(scenario, found!.seed, found!.output.plan, 'log-divergence', { maxRuns: 10 })).toThrow(/does not show log-divergence/);
  });
});
