import { describe, expect, it } from 'vitest';
import { ALL_FAULT_KINDS, type FaultKind, type FaultStep } from '../../sim/fault.js';
import { generatePlan, isRoleStep, planSteps, type PlanOptions, type PlanTarget } from '../../sim/nemesis.js';
import { createRandom } from '../../sim/random.js';

const NODES = ['b1', 'b2', 'b3', 'b4', 'b5'];
const OPTS: PlanOptions = { kinds: ALL_FAULT_KINDS, meanIntervalMs: 2000, durationMs: 60_000, crashable: NODES, partitionable: NODES };

function plan(seed: number, opts: PlanOptions = OPTS): FaultStep[] {
  return planSteps(generatePlan(createRandom(seed).fork('nemesis'), opts));
}

/** The step that undoes `s`, or null when `s` is itself an undo. */
function undoOf(s: FaultStep): ((u: FaultStep) => boolean) | null {
  switch (s.fault) {
    case 'crash':
    case 'power-loss':
      return (u) => u.fault === 'restart' && u.node === s.node;
    case 'partition':
      return (u) => u.fault === 'heal';
    case 'pause':
      return (u) => u.fault === 'resume' && u.node === s.node;
    case 'slow-disk':
    case 'slow-net':
      return s.factor === 1 ? null : (u) => u.fault === s.fault && u.node === s.node && u.factor === 1;
    case 'clock-skew':
      return s.offsetMs === 0 ? null : (u) => u.fault === 'clock-skew' && u.node === s.node && u.offsetMs === 0;
    default:
      return null;
  }
}

function shape(s: FaultStep): string {
  if ('isolate' in s) return 'isolate';
  if ('from' in s) return 'one-way';
  if ('groups' in s) return new Set(s.groups.flat()).size < s.groups.flat().length ? 'bridge' : 'groups';
  return s.fault;
}

describe('nemesis', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(plan(11)).toEqual(plan(11));
    expect(plan(11)).not.toEqual(plan(12));
  });

  it('is sorted by time and every disruptive step has its undo later', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const steps = plan(seed);
      expect(steps.length).toBeGreaterThan(0);
      steps.forEach((s, i) => {
        if (i > 0) expect(s.atMs).toBeGreaterThanOrEqual((steps[i - 1] as FaultStep).atMs);
        expect(s.atMs).toBeGreaterThanOrEqual(0);
        const undo = undoOf(s);
        if (undo === null) return;
        expect(s.atMs).toBeLessThan(OPTS.durationMs);
        const later = steps.slice(i + 1).find((u) => undo(u));
        expect(later, `seed ${seed}: no undo for ${JSON.stringify(s)}`).toBeDefined();
        expect((later as FaultStep).atMs).toBeGreaterThan(s.atMs);
      });
    }
  });

  it('is swarm-style: seeds turn on different subsets of kinds, and every kind and partition shape occurs', () => {
    const subsets = new Set<string>();
    const seen = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const steps = plan(seed);
      const kinds = new Set(steps.map((s) => s.fault).filter((f) => (ALL_FAULT_KINDS as readonly string[]).includes(f)));
      subsets.add([...kinds].sort().join(','));
      for (const s of steps) seen.add(shape(s));
    }
    expect(subsets.size).toBeGreaterThan(20);
    for (const k of [...ALL_FAULT_KINDS.filter((k) => k !== 'partition'), 'isolate', 'groups', 'bridge', 'one-way', 'heal', 'restart', 'resume']) {
      expect(seen, k).toContain(k);
    }
  });

  it('uses only the allowed kinds and nodes', () => {
    const kinds: FaultKind[] = ['crash', 'pause'];
    for (let seed = 1; seed <= 50; seed++) {
      for (const s of plan(seed, { ...OPTS, kinds, crashable: ['b2'] })) {
        expect(['crash', 'restart', 'pause', 'resume']).toContain(s.fault);
        expect('node' in s && s.node).toBe('b2');
      }
    }
    expect(plan(1, { ...OPTS, kinds: ['partition'], partitionable: ['b1'] })).toEqual([]);
    expect(plan(1, { ...OPTS, kinds: [] })).toEqual([]);
  });

  it('a kind\'s faults do not depend on which other kinds are allowed', () => {
    const only = (seed: number, kinds: FaultKind[]): FaultStep[] =>
      plan(seed, { ...OPTS, kinds }).filter((s) => s.fault === 'pause' || s.fault === 'resume');
    let compared = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const a = only(seed, ['pause']);
      const b = only(seed, ['pause', 'clock-skew']);
      if (a.length > 0 && b.length > 0) {
        expect(b).toEqual(a);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5);
  });
});

describe('count targets', () => {
  it('no crash or power-loss episode takes down more nodes than the target\'s maxNodes', () => {
    const crashable = ['b1', 'b2', 'b3', 'k1'];
    for (const max of [1, 2]) {
      let multi = 0;
      for (let seed = 1; seed <= 200; seed++) {
        const plan = planSteps(generatePlan(createRandom(seed), { kinds: ['crash', 'power-loss'], meanIntervalMs: 1000, durationMs: 20000, crashable, partitionable: crashable, targets: [{ name: 'max', maxNodes: max }] }));
        const byTime = new Map<string, number>();
        for (const step of plan) if (step.fault === 'crash' || step.fault === 'power-loss') byTime.set(`${step.fault}@${step.atMs}`, (byTime.get(`${step.fault}@${step.atMs}`) ?? 0) + 1);
        for (const n of byTime.values()) { expect(n).toBeLessThanOrEqual(max); if (n > 1) multi++; }
      }
      if (max === 2) expect(multi).toBeGreaterThan(0);
    }
  });
});

describe('swarm and role targets', () => {
  const targets: PlanTarget[] = [{ name: 'any', maxNodes: 5 }, { name: 'leader', maxNodes: null }, { name: 'followers', maxNodes: null }];
  const opts: PlanOptions = { ...OPTS, targets, roleGroups: 3, detectionMs: 9000 };
  const draw = (seed: number, o: PlanOptions = opts) => generatePlan(createRandom(seed).fork('nemesis'), o);

  it('each seed draws non-empty subsets of kinds and targets and its own rates, and reports them', () => {
    const kindSets = new Set<string>(), targetSets = new Set<string>(), means = new Set<number>();
    for (let seed = 1; seed <= 100; seed++) {
      const { entries, draw: d } = draw(seed);
      expect(d.swarm).toBe(true);
      expect(d.kinds.length).toBeGreaterThan(0);
      expect(d.targets.length).toBeGreaterThan(0);
      kindSets.add(d.kinds.map((k) => k.kind).join(','));
      targetSets.add(d.targets.join(','));
      for (const k of d.kinds) {
        expect(k.meanIntervalMs).toBeGreaterThanOrEqual(OPTS.meanIntervalMs * 0.5 - 1);
        expect(k.meanIntervalMs).toBeLessThanOrEqual(OPTS.meanIntervalMs * 2 + 1);
        means.add(k.meanIntervalMs);
      }
      // Only drawn kinds and targets occur.
      for (const e of entries) {
        if (isRoleStep(e)) expect(d.targets).toContain(e.role);
        else if (e.fault !== 'heal' && e.fault !== 'restart' && e.fault !== 'resume') expect(d.kinds.map((k) => k.kind)).toContain(e.fault);
      }
    }
    expect(kindSets.size).toBeGreaterThan(20);
    expect(targetSets.size).toBe(7);
    expect(means.size).toBeGreaterThan(100);
  });

  it('swarm off: every kind and target, every kind at the configured rate', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const d = draw(seed, { ...opts, swarm: false }).draw;
      expect(d.kinds.map((k) => k.kind)).toEqual(ALL_FAULT_KINDS);
      expect(d.kinds.every((k) => k.meanIntervalMs === OPTS.meanIntervalMs)).toBe(true);
      expect(d.targets).toEqual(['any', 'leader', 'followers']);
    }
  });

  it('a role episode is a start and an end in one group, held one to three times the detection time', () => {
    const groups = new Set<number>();
    for (let seed = 1; seed <= 30; seed++) {
      const roles = draw(seed).entries.filter(isRoleStep);
      for (const start of roles.filter((e) => e.phase === 'start')) {
        const end = roles.find((e) => e.phase === 'end' && e.episode === start.episode)!;
        expect(end).toMatchObject({ role: start.role, group: start.group, fault: start.fault });
        expect(end.atMs - start.atMs).toBeGreaterThanOrEqual(9000);
        expect(end.atMs - start.atMs).toBeLessThanOrEqual(27000);
        groups.add(start.group);
      }
    }
    expect([...groups].sort()).toEqual([0, 1, 2]);
    expect(() => planSteps(draw(1))).toThrow(/needs a NemesisRun/);
  });

  it('a role of several nodes cascades: one stage a gap apart each, back in the same order (within the run), its kind idle until the first is back', () => {
    const isr: PlanOptions = { ...opts, kinds: ['crash'], targets: [{ name: 'isr', maxNodes: null, stages: 3 }], swarm: false, durationMs: 120_000 };
    let cascades = 0, late = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const roles = draw(seed, isr).entries.filter(isRoleStep);
      const episodes = [...new Set(roles.map((e) => e.episode))];
      episodes.forEach((episode, i) => {
        const starts = roles.filter((e) => e.episode === episode && e.phase === 'start');
        const ends = roles.filter((e) => e.episode === episode && e.phase === 'end');
        // Too late to be back before the faults stop: it strikes at once.
        if (starts.length === 1) {
          expect(starts[0]!.stage).toBeUndefined();
          expect(starts[0]!.atMs + 2 * 1.5 * 9000 + 3 * 9000).toBeGreaterThan(isr.durationMs);
          late++;
          return;
        }
        expect(starts.map((e) => e.stage)).toEqual([0, 1, 2]);
        expect(ends[0]!.atMs).toBeLessThan(isr.durationMs);
        expect(ends.map((e) => e.stage)).toEqual([0, 1, 2]);
        for (let k = 1; k < 3; k++) {
          const gap = starts[k]!.atMs - starts[k - 1]!.atMs;
          expect(gap).toBeGreaterThanOrEqual(1.1 * 9000 - 1);
          expect(gap).toBeLessThanOrEqual(1.5 * 9000 + 1);
          expect(ends[k]!.atMs - ends[k - 1]!.atMs).toBe(gap);
        }
        // The first one back comes back held 1-3 detection times after the last one fell.
        expect(ends[0]!.atMs - starts[2]!.atMs).toBeGreaterThanOrEqual(9000);
        expect(ends[0]!.atMs - starts[2]!.atMs).toBeLessThanOrEqual(27000);
        const next = roles.find((e) => e.episode === episodes[i + 1] && e.stage === 0 && e.phase === 'start');
        if (next !== undefined) expect(next.atMs).toBeGreaterThanOrEqual(ends[0]!.atMs);
        cascades++;
      });
    }
    expect(cascades).toBeGreaterThan(30);
    expect(late).toBeGreaterThan(5);
  });

  it('where restarts go unnoticed, a cascade of crashes is quick about half the time: each node but the last back within detection, after the next one fell', () => {
    const isr: PlanOptions = { ...opts, kinds: ['crash'], targets: [{ name: 'isr', maxNodes: null, stages: 2 }], swarm: false, durationMs: 120_000 };
    const cascadesOf = (o: PlanOptions) => {
      let quick = 0, slow = 0;
      for (let seed = 1; seed <= 30; seed++) {
        const roles = draw(seed, o).entries.filter(isRoleStep);
        for (const episode of new Set(roles.map((e) => e.episode))) {
          const at = (stage: number, phase: 'start' | 'end') => roles.find((e) => e.episode === episode && e.stage === stage && e.phase === phase)?.atMs;
          const [fall0, back0, fall1, back1] = [at(0, 'start'), at(0, 'end'), at(1, 'start'), at(1, 'end')];
          if (fall0 === undefined || back0 === undefined || fall1 === undefined || back1 === undefined) continue;
          if (back0 - fall0 < 9000) {
            // Quick: the follower is back before it is noticed, after the leader fell, which stays down past detection.
            expect(fall1).toBeLessThan(back0);
            expect(fall1 - fall0).toBeGreaterThanOrEqual(0.3 * 9000 - 1);
            expect(back1 - fall1).toBeGreaterThanOrEqual(9000);
            quick++;
          } else {
            expect(fall1 - fall0).toBeGreaterThanOrEqual(1.1 * 9000 - 1);
            slow++;
          }
        }
      }
      return { quick, slow };
    };
    const quiet = cascadesOf({ ...isr, quietRestarts: true });
    expect(quiet.quick).toBeGreaterThan(10);
    expect(quiet.slow).toBeGreaterThan(10);
    expect(cascadesOf(isr).quick).toBe(0);
    // Partitions never cascade quickly: no restart there for the cluster to miss.
    expect(cascadesOf({ ...isr, kinds: ['partition'], quietRestarts: true }).quick).toBe(0);
  });

});
