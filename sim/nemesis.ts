// The random fault plan. By default it is swarm testing (Groce et al., "Swarm Testing", ISSTA 2012):
// each seed draws its own configuration, a non-empty subset of the allowed fault kinds and of the
// allowed targets, and each kind's rate, so across seeds some runs hammer one kind at one target and
// others mix several, instead of every run being the same average. With swarm off every allowed kind
// and target is in play at the configured rate.
//
// A plan is a list of entries in time order. Most are ordinary fault steps. An episode aimed at a
// role (the scenario's names, e.g. a partition's leader) cannot name its nodes in advance: it is a
// RoleStep that the nemesis run (nemesis-run.ts) resolves when it fires, from what the world has
// observed by then. Every disruptive step is followed by its undo; what is still open at the end is
// undone by settle().
import type { NodeId, Random } from './env.js';
import type { FaultKind, FaultStep } from './fault.js';

/** What an episode aims at. */
export interface PlanTarget {
  /** As the scenario names it ("any", "one", "minority", or a role such as "leader"). */
  readonly name: string;
  /**
   * A count target: a crash or power loss takes down up to this many random crashable nodes (other
   * kinds hit one random node, partitions take a random shape). null: a role, resolved when the
   * episode begins.
   */
  readonly maxNodes: number | null;
  /**
   * A role's most nodes (a partition's in-sync replicas: its replication factor). Above one, with
   * detectionMs known, its episodes cascade (CASCADE_GAP_FACTOR): the role's nodes go one at a time,
   * in the order the resolver gives them, and come back in that order.
   */
  readonly stages?: number;
  /**
   * The role is the group's next leader: the episode waits from its start for the group's next
   * election and strikes the new leader NEW_LEADER_LAG_MS after it won (a leader crashing, pausing or
   * cut off right after its election, before its first entry reached the voters: Raft's Figure 8).
   */
  readonly onElection?: boolean;
}

export interface PlanOptions {
  /** Kinds this scenario allows. */
  readonly kinds: readonly FaultKind[];
  /** Mean gap between two faults of one kind (with swarm, each kind's own mean is drawn around it). */
  readonly meanIntervalMs: number;
  /** Faults start within [0, durationMs); an undo may fall after it. */
  readonly durationMs: number;
  /** Nodes that may crash, lose power, pause, slow down or have their clock skewed. */
  readonly crashable: readonly NodeId[];
  /** Nodes that partitions may separate. */
  readonly partitionable: readonly NodeId[];
  /** Targets an episode may aim at (default: "any", up to every crashable node). */
  readonly targets?: readonly PlanTarget[];
  /** How many groups (the scenario's data partitions) a role episode may name; default 1. */
  readonly roleGroups?: number;
  /** Each seed draws its kinds, targets and rates (default true). */
  readonly swarm?: boolean;
  /**
   * How long the system takes to notice a failure (Kafka: broker.session.timeout.ms). A role
   * episode lasts ROLE_HOLD_FACTOR times it, so the cluster acts on it (fences the node, shrinks
   * ISRs, elects) before it ends; absent, role episodes last as long as the others.
   */
  readonly detectionMs?: number;
  /**
   * A node back within detectionMs goes unnoticed (the ZooKeeper-era controller keeps its session:
   * ksim's controller with high-watermark truncation), so role cascades of crashes and power losses
   * are quick half the time (QUICK_CASCADE_PROBABILITY). Default false: KRaft fences a restarted
   * broker at once, and there a quick cascade would only replace a slow one.
   */
  readonly quietRestarts?: boolean;
}

/** A role episode's step: the nodes are the role's when it fires (RoleResolver). */
export interface RoleStep {
  readonly atMs: number;
  readonly fault: FaultKind;
  /** The role's name (PlanTarget.name). */
  readonly role: string;
  /** Which group (data partition) the role is taken in. */
  readonly group: number;
  /** Numbers the episode: its end undoes what its start did. */
  readonly episode: number;
  readonly phase: 'start' | 'end';
  /**
   * A cascade's stage: this step acts on the role's node at this index (as resolved when stage 0
   * started); absent, on every node of the role at once.
   */
  readonly stage?: number;
  /**
   * partition: cut the role off from everyone, or only from its peers (RoleResolver), or (new-leader
   * episodes) only its links to its peers in one direction: it hears them, they do not hear it.
   */
  readonly cut?: 'all' | 'peers' | 'outbound';
  /** A target with onElection: how long after the election it strikes (start phase only). */
  readonly lagMs?: number;
  /** slow-disk / slow-net: the latency factor; clock-skew: the offset. */
  readonly factor?: number;
  readonly offsetMs?: number;
}

export type PlanEntry = FaultStep | RoleStep;

export function isRoleStep(entry: PlanEntry): entry is RoleStep {
  return 'role' in entry;
}

/** A plan without role targets as the script it is (a role step is an error: it needs a NemesisRun). */
export function planSteps(plan: NemesisPlan): FaultStep[] {
  return plan.entries.map((entry) => {
    if (isRoleStep(entry)) throw new Error(`planSteps: role step '${entry.role}' needs a NemesisRun`);
    return entry;
  });
}

/** What the seed drew (or, with swarm off, everything allowed): reported with the run. */
export interface NemesisDraw {
  readonly swarm: boolean;
  /** The kinds in play, each with its mean gap between faults. */
  readonly kinds: readonly { readonly kind: FaultKind; readonly meanIntervalMs: number }[];
  /** The targets episodes aim at. */
  readonly targets: readonly string[];
}

export interface NemesisPlan {
  readonly entries: readonly PlanEntry[];
  readonly draw: NemesisDraw;
  /**
   * Each ordinary episode's start step and the step that undoes it (a crash and its restart, a
   * partition and its heal, …), so that a run which skips a start (NemesisRun's gate) skips its undo
   * too. Role episodes pair their steps by episode number instead.
   */
  readonly undos?: ReadonlyMap<PlanEntry, PlanEntry>;
}

const SLOW_FACTORS: readonly number[] = [2, 5, 10, 50];
const MAX_SKEW_MS = 20_000;
/** Swarm: each kind's mean gap is the configured one times a factor drawn uniformly from this range. */
export const SWARM_RATE_FACTOR: readonly [number, number] = [0.5, 2];
/** Swarm: each allowed kind, and each allowed target, is in play with this probability (at least one is). */
export const SWARM_ON_PROBABILITY = 0.5;
/** A role episode lasts detectionMs times a factor drawn uniformly from this range. */
export const ROLE_HOLD_FACTOR: readonly [number, number] = [1, 3];
/**
 * A role episode that may take several nodes cascades: its nodes fail one at a time, this factor
 * times detectionMs apart (each after the previous one has been noticed), and come back in the same
 * order, each held ROLE_HOLD_FACTOR times detectionMs past the last one's fall. Striking a
 * partition's in-sync replicas one by one, leader last, is how Kafka's ISR shrinks to its leader
 * before the leader fails (anomalies 1 and 9 of KAFKA.md): the first one back then finds the leader
 * gone and, with unclean election, leads without what the leader acknowledged alone. Independent
 * faults line that up rarely. RF 3, min.insync.replicas=1, acks=all, random partitions and crashes,
 * unclean election on, seeds 1-200: acknowledged writes lost in 21 runs when such episodes struck
 * every node at once, 27 when half of them cascaded, 39 with three in four, 47 with all, and 50 when,
 * besides, the kind's next episode waits for the cascade's first node to come back (overlapping
 * cascades kept every replica cut off until the settle phase). Gaps of 1.3-2 times detectionMs (a
 * longer cascade, less often done within the run) found 39; holds of 0.5 or 1.5 times the episode's
 * 40 and 36.
 */
export const CASCADE_GAP_FACTOR: readonly [number, number] = [1.1, 1.5];
/**
 * Where restarts go unnoticed (PlanOptions.quietRestarts), a cascade of crashes or power losses is
 * quick with this probability: each node but the last is down for less than
 * detectionMs (the cluster never notices it: no fence, no ISR change), and the next one falls
 * shortly before it comes back; the last is held like any role episode. With two replicas that is a
 * follower restarting while its leader is down and not yet fenced: it truncates (to its high
 * watermark before KIP-101) and cannot refetch, and is then elected (anomaly 4, KIP-101 scenario
 * 1). kip101-hw-truncation with targets isr: 31 of seeds 1-100 lose acknowledged writes, none
 * without quick cascades.
 */
export const QUICK_CASCADE_PROBABILITY = 0.5;
/** A quick cascade's gap between two falls, times detectionMs. */
export const QUICK_GAP_FACTOR: readonly [number, number] = [0.3, 0.7];
/** How long a quick cascade's node stays down past the next one's fall, times detectionMs (gap plus overlap < 1). */
export const QUICK_OVERLAP_FACTOR: readonly [number, number] = [0.05, 0.25];
/**
 * A new-leader episode strikes this long after the election, log-uniform (in whole microseconds):
 * from before its voters heard of it (one network hop) or its no-op reached them, to after a slowed
 * disk let it append and fsync its no-op.
 */
export const NEW_LEADER_LAG_MS: readonly [number, number] = [0.01, 100];
const ANY: PlanTarget = { name: 'any', maxNodes: Number.MAX_SAFE_INTEGER };

export function generatePlan(random: Random, opts: PlanOptions): NemesisPlan {
  const swarm = opts.swarm ?? true;
  const usable = [...new Set(opts.kinds)].filter((kind) => applicable(kind, opts));
  const allowedTargets = opts.targets !== undefined && opts.targets.length > 0 ? opts.targets : [ANY];
  if (usable.length === 0 || !(opts.durationMs > 0) || !(opts.meanIntervalMs > 0)) {
    return { entries: [], draw: { swarm, kinds: [], targets: [] } };
  }
  const on = swarm ? subset(random, usable) : usable;
  // The target subset has a stream of its own: allowing a target changes no kind's draw.
  const targets = swarm ? subset(random.fork('targets'), allowedTargets) : allowedTargets;
  const entries: PlanEntry[] = [];
  const undos = new Map<PlanEntry, PlanEntry>();
  const kinds: { kind: FaultKind; meanIntervalMs: number }[] = [];
  let episodes = 0;
  for (const kind of on) {
    // A stream per kind: turning one kind on or off never changes another kind's faults. Which
    // target, which partition and how long a role holds draw from a stream of their own.
    const r = random.fork(kind);
    const aim = r.fork('target');
    const cascade = r.fork('cascade');
    const quick = r.fork('quick');
    const lag = r.fork('lag');
    const meanMs = swarm ? opts.meanIntervalMs * r.uniform(SWARM_RATE_FACTOR[0], SWARM_RATE_FACTOR[1]) : opts.meanIntervalMs;
    kinds.push({ kind, meanIntervalMs: Math.round(meanMs) });
    let t = r.exponential(meanMs);
    while (t < opts.durationMs) {
      // How long this episode keeps its kind busy: the next one comes that long after it, plus a gap.
      let busyMs = Math.max(1, Math.round(r.uniform(0.05, 1) * meanMs));
      const holdMs = busyMs;
      const target = targets.length === 1 ? targets[0]! : aim.pick(targets);
      if (target.maxNodes === null) {
        const group = aim.int(0, Math.max(1, opts.roleGroups ?? 1) - 1);
        // Held past failure detection; the kind's next episode still comes at the usual pace, so
        // a targeted fault may overlap the next one (followers down while the leader goes too),
        // unless it cascades.
        const stages = target.stages ?? 1;
        const roleHoldMs = opts.detectionMs === undefined
          ? holdMs
          : Math.round(opts.detectionMs * aim.uniform(ROLE_HOLD_FACTOR[0], ROLE_HOLD_FACTOR[1]));

        const pair = roleEpisode(kind, r, { role: target.name, group, episode: episodes++ }, t, t + roleHoldMs);
        if (target.onElection === true) {
          // Whole microseconds; a stream of its own, so the other targets' draws stay as they were.
          const [lo, hi] = NEW_LEADER_LAG_MS;
          const lagMs = Math.round(lo * Math.pow(hi / lo, lag.uniform(0, 1)) * 1000) / 1000;
          // A new leader's partition is one time in three one-way: its voters' fetches still reach
          // it (it counts them), its answers (its first entries) do not reach them.
          const outbound = kind === 'partition' && lag.chance(1 / 3);
          entries.push({ ...pair[0], lagMs, ...(outbound ? { cut: 'outbound' as const } : {}) }, { ...pair[1], ...(outbound ? { cut: 'outbound' as const } : {}) });
          t += busyMs + r.exponential(meanMs);
          continue;
        }
        // The cascade's gap has a stream of its own: the episode's other draws are those it had
        // before cascades existed.
        let steps: RoleStep[] | null = null;
        if (stages > 1 && opts.detectionMs !== undefined) {
          const detectionMs = opts.detectionMs;
          const gapMs = Math.round(detectionMs * cascade.uniform(CASCADE_GAP_FACTOR[0], CASCADE_GAP_FACTOR[1]));
          // Quick or not has a stream of its own too: a slow cascade keeps the draws it had before.
          steps = opts.quietRestarts === true && restarts(kind) && quick.chance(QUICK_CASCADE_PROBABILITY)
            ? quickCascaded(pair, stages, Math.round(detectionMs * quick.uniform(QUICK_GAP_FACTOR[0], QUICK_GAP_FACTOR[1])),
              Math.round(detectionMs * quick.uniform(QUICK_OVERLAP_FACTOR[0], QUICK_OVERLAP_FACTOR[1])))
            : cascaded(pair, stages, gapMs);
        }
        // A cascade whose first node would come back only after the run's faults stop (the settle
        // phase brings every node back at once) strikes at once instead.
        if (steps !== null && steps[1]!.atMs < opts.durationMs) {
          entries.push(...steps);
          // No other episode of this kind piles on a cascade before its first node is back.
          busyMs = Math.max(busyMs, steps[1]!.atMs - t);
        } else {
          entries.push(...pair);
        }
      } else {
        const first = entries.length;
        episode(kind, r, opts, target.maxNodes, t, t + holdMs, entries);
        // episode() pushes each start step followed by its undo.
        for (let i = first; i + 1 < entries.length; i += 2) undos.set(entries[i]!, entries[i + 1]!);
      }
      t += busyMs + r.exponential(meanMs);
    }
  }
  // Stable: entries at the same time keep their generation order.
  entries.sort((a, b) => a.atMs - b.atMs);
  return { entries, draw: { swarm, kinds, targets: targets.map((x) => x.name) }, undos };
}

/** Each item with probability SWARM_ON_PROBABILITY; one at random when none came up. */
function subset<T>(r: Random, items: readonly T[]): T[] {
  const on = items.filter(() => r.chance(SWARM_ON_PROBABILITY));
  if (on.length === 0) on.push(r.pick(items));
  return on;
}

function applicable(kind: FaultKind, opts: PlanOptions): boolean {
  return kind === 'partition' ? opts.partitionable.length >= 2 : opts.crashable.length >= 1;
}

/** One role episode, its start and its end: they share the draws, the nodes are resolved later. */
function roleEpisode(
  kind: FaultKind, r: Random, aim: { role: string; group: number; episode: number }, startMs: number, endMs: number,
): [RoleStep, RoleStep] {
  const base = { fault: kind, ...aim };
  if (kind === 'slow-disk' || kind === 'slow-net') {
    const factor = r.pick(SLOW_FACTORS);
    return [{ ...base, atMs: startMs, phase: 'start', factor }, { ...base, atMs: endMs, phase: 'end', factor: 1 }];
  } else if (kind === 'clock-skew') {
    const offsetMs = skew(r);
    return [{ ...base, atMs: startMs, phase: 'start', offsetMs }, { ...base, atMs: endMs, phase: 'end', offsetMs: 0 }];
  } else if (kind === 'partition') {
    const cut = r.chance(0.5) ? 'all' : 'peers';
    return [{ ...base, atMs: startMs, phase: 'start', cut }, { ...base, atMs: endMs, phase: 'end', cut }];
  }
  return [{ ...base, atMs: startMs, phase: 'start' }, { ...base, atMs: endMs, phase: 'end' }];
}

/**
 * The episode as a cascade of `stages`: stage k starts k gaps after the episode, and ends k gaps
 * after the episode's end moved past the last stage's start (so each node is held as long as the
 * episode would have held them all, and the first one back returns after the last one fell).
 */
function cascaded([start, end]: readonly [RoleStep, RoleStep], stages: number, gapMs: number): RoleStep[] {
  const lastFallMs = (stages - 1) * gapMs;
  const out: RoleStep[] = [];
  for (let stage = 0; stage < stages; stage++) {
    out.push({ ...start, atMs: start.atMs + stage * gapMs, stage });
    out.push({ ...end, atMs: end.atMs + lastFallMs + stage * gapMs, stage });
  }
  return out;
}

/** Kinds whose episode ends in a restart: the ones a quick cascade is for. */
function restarts(kind: FaultKind): boolean {
  return kind === 'crash' || kind === 'power-loss';
}

/**
 * The episode as a quick cascade: stage k falls k gaps after the episode's start; every stage but
 * the last comes back `overlapMs` after the next one fell (down for gap + overlap, less than
 * detection); the last is held until the episode's end moved past its fall.
 */
function quickCascaded([start, end]: readonly [RoleStep, RoleStep], stages: number, gapMs: number, overlapMs: number): RoleStep[] {
  const out: RoleStep[] = [];
  const last = stages - 1;
  for (let stage = 0; stage < stages; stage++) {
    out.push({ ...start, atMs: start.atMs + stage * gapMs, stage });
    const backMs = stage < last ? start.atMs + (stage + 1) * gapMs + overlapMs : end.atMs + last * gapMs;
    out.push({ ...end, atMs: backMs, stage });
  }
  return out;
}

function skew(r: Random): number {
  return (r.chance(0.5) ? 1 : -1) * r.int(100, MAX_SKEW_MS);
}

/** One fault of `kind` at `startMs` on random nodes, undone at `endMs`. */
function episode(kind: FaultKind, r: Random, opts: PlanOptions, maxNodes: number, startMs: number, endMs: number, out: PlanEntry[]): void {
  switch (kind) {
    case 'partition':
      out.push(partitionStep(r, opts.partitionable, startMs));
      out.push({ atMs: endMs, fault: 'heal' });
      return;
    case 'crash':
    case 'power-loss':
      // Sometimes several machines at once: losing every replica's page cache together is the
      // case that tells fsync policies apart.
      for (const node of targets(r, opts.crashable, maxNodes)) {
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
      out.push({ atMs: startMs, fault: 'clock-skew', node, offsetMs: skew(r) });
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
