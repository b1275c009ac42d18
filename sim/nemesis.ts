// The random fault plan, swarm-style: each seed turns on a random subset of the allowed fault kinds,
// each at its own rate, so across seeds some runs hammer one kind and others mix several. A plan is
// an ordinary script (FaultStep[]), so a failing random run shrinks like a hand-written one. Every
// disruptive step is followed by its undo; what is still open at the end is undone by settle().
import type { NodeId, Random } from './env.js';
import type { FaultKind, FaultStep } from './fault.js';

export interface PlanOptions {
  /** Kinds this scenario allows; each seed turns on a random non-empty subset of them. */
  readonly kinds: readonly FaultKind[];
  /** Mean gap between two faults of one kind (each kind's own mean is drawn around it). */
  readonly meanIntervalMs: number;
  /** Faults start within [0, durationMs); an undo may fall after it. */
  readonly durationMs: number;
  /** Nodes that may crash, lose power, pause, slow down or have their clock skewed. */
  readonly crashable: readonly NodeId[];
  /** Nodes that partitions may separate. */
  readonly partitionable: readonly NodeId[];
  /** Most nodes one crash or power-loss episode takes down together (default: all crashable). */
  readonly maxTargets?: number;
}

const SLOW_FACTORS: readonly number[] = [2, 5, 10, 50];
const MAX_SKEW_MS = 20_000;

export function generatePlan(random: Random, opts: PlanOptions): FaultStep[] {
  const usable = [...new Set(opts.kinds)].filter((kind) => applicable(kind, opts));
  if (usable.length === 0 || !(opts.durationMs > 0) || !(opts.meanIntervalMs > 0)) return [];
  const on: FaultKind[] = [];
  for (const kind of usable) if (random.chance(0.5)) on.push(kind);
  if (on.length === 0) on.push(random.pick(usable));
  const steps: FaultStep[] = [];
  for (const kind of on) {
    // A stream per kind: turning one kind on or off never changes another kind's faults.
    const r = random.fork(kind);
    const meanMs = opts.meanIntervalMs * r.uniform(0.5, 2);
    let t = r.exponential(meanMs);
    while (t < opts.durationMs) {
      const holdMs = Math.max(1, Math.round(r.uniform(0.05, 1) * meanMs));
      episode(kind, r, opts, t, t + holdMs, steps);
      t += holdMs + r.exponential(meanMs);
    }
  }
  // Stable: steps at the same time keep their generation order.
  return steps.sort((a, b) => a.atMs - b.atMs);
}

function applicable(kind: FaultKind, opts: PlanOptions): boolean {
  return kind === 'partition' ? opts.partitionable.length >= 2 : opts.crashable.length >= 1;
}

/** One fault of `kind` at `startMs`, undone at `endMs`. */
function episode(kind: FaultKind, r: Random, opts: PlanOptions, startMs: number, endMs: number, out: FaultStep[]): void {
  switch (kind) {
    case 'partition':
      out.push(partitionStep(r, opts.partitionable, startMs));
      out.push({ atMs: endMs, fault: 'heal' });
      return;
    case 'crash':
    case 'power-loss':
      // Sometimes several machines at once: losing every replica's page cache together is the
      // case that tells fsync policies apart.
      for (const node of targets(r, opts.crashable, opts.maxTargets ?? opts.crashable.length)) {
        out.push({ atMs: startMs, fault: kind, node });
        out.push({ atMs: endMs, fault: 'restart', node });
      }
      return;
    case 'pause': {
      const node = r.pick(opts.crashable);
      out.push({ atMs: startMs, fault: 'pause', node });
      out.push({ atMs: endMs, fault: 'resume', node });
      return;
    }
    case 'slow-disk':
    case 'slow-net': {
      const node = r.pick(opts.crashable);
      out.push({ atMs: startMs, fault: kind, node, factor: r.pick(SLOW_FACTORS) });
      out.push({ atMs: endMs, fault: kind, node, factor: 1 });
      return;
    }
    case 'clock-skew': {
      const node = r.pick(opts.crashable);
      const offsetMs = (r.chance(0.5) ? 1 : -1) * r.int(100, MAX_SKEW_MS);
      out.push({ atMs: startMs, fault: 'clock-skew', node, offsetMs });
      out.push({ atMs: endMs, fault: 'clock-skew', node, offsetMs: 0 });
      return;
    }
  }
}

/** Usually one node; one time in four a random subset of two or more (at most `max`). */
function targets(r: Random, nodes: readonly NodeId[], max: number): NodeId[] {
  const most = Math.min(max, nodes.length);
  if (most < 2 || !r.chance(0.25)) return [r.pick(nodes)];
  return shuffled(r, nodes).slice(0, r.int(2, most));
}

/** Isolate, two groups, a bridge (overlapping groups) or one-way, uniformly. */
function partitionStep(r: Random, nodes: readonly NodeId[], atMs: number): FaultStep {
  const shapes = nodes.length >= 3 ? 4 : 3;
  const mixed = shuffled(r, nodes);
  switch (r.int(0, shapes - 1)) {
    case 0:
      return { atMs, fault: 'partition', isolate: mixed.slice(0, r.int(1, Math.max(1, Math.floor(nodes.length / 2)))) };
    case 1: {
      const cut = r.int(1, mixed.length - 1);
      return { atMs, fault: 'partition', groups: [mixed.slice(0, cut), mixed.slice(cut)] };
    }
    case 2:
      return { atMs, fault: 'partition', from: mixed[0] as NodeId, to: mixed[1] as NodeId };
    default: {
      // The first node sits in both groups and so bridges two sides that cannot talk directly.
      const [bridge, ...rest] = mixed as [NodeId, ...NodeId[]];
      const cut = r.int(1, rest.length - 1);
      return { atMs, fault: 'partition', groups: [[bridge, ...rest.slice(0, cut)], [bridge, ...rest.slice(cut)]] };
    }
  }
}

function shuffled<T>(r: Random, items: readonly T[]): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    const tmp = out[i] as T;
    out[i] = out[j] as T;
    out[j] = tmp;
  }
  return out;
}
