// A nemesis plan carried out on a world. Ordinary steps are scheduled as they are; a role episode
// (a partition's leader, its followers, …) asks the resolver for the role's nodes when it starts,
// from what the world has observed by then, and its end undoes exactly what the start did.
//
// The run keeps the steps it resolved as a plain script (steps()): scheduled in plan order, a step
// replays in the very place it ran, so a script replay of a targeted run has the same trace hash,
// and a failing run shrinks like any script. That holds because a fault call takes its entry's place
// in the event queue (World.scheduleFaultCall) and applies its steps back to back.
import type { NodeId } from './env.js';
import type { FaultStep } from './fault.js';
import type { NemesisPlan, RoleStep } from './nemesis.js';
import { isRoleStep } from './nemesis.js';
import type { World } from './world.js';

/**
 * The nodes a role stands for now (empty: nobody, and the episode is skipped), and its peers: the
 * nodes it works with (a leader's followers, a follower's leader), which a partition may cut it
 * off from while it keeps every other link. A cascade (nemesis.ts) takes the nodes one at a time in
 * the order given.
 */
export type RoleResolver = (role: string, group: number) => { readonly nodes: readonly NodeId[]; readonly peers: readonly NodeId[] };

/**
 * Calls `then` once, with the leader and the time in microseconds, at the group's next election
 * after now (a new-leader episode waits for it). Called from inside the world's event: `then` may
 * only schedule.
 */
export type ElectionWatch = (group: number, then: (leader: NodeId, atUs: number) => void) => void;

export class NemesisRun {
  /** Each plan entry's concrete steps, by entry index: fixed for ordinary steps, filled as role episodes start. */
  private readonly resolved: (readonly FaultStep[])[];
  /** A role episode's end entry index, by episode and stage (stageKey). */
  private readonly endOf = new Map<string, number>();
  /** A cascade's role as its stage 0 resolved it, by episode: the later stages take its nodes in turn. */
  private readonly cascades = new Map<number, ReturnType<RoleResolver>>();
  /** Each role entry's place in the event queue (World.scheduleFaultCall's seq), for new-leader strikes. */
  private readonly slots = new Map<number, number>();
  /** With a gate: has it opened? */
  private open = false;
  /** Entries left out because the episode they undo was (the gate was still closed). */
  private readonly skipped = new Set<number>();
  /** End entries of new-leader episodes: their undo is scheduled when the strike is. */
  private readonly selfTimed = new Set<number>();

  constructor(
    private readonly world: World,
    private readonly plan: NemesisPlan,
    private readonly resolve: RoleResolver,
    /** Nodes a role partition may cut the role off from. */
    private readonly partitionable: readonly NodeId[],
    /**
     * Absent: every entry acts when its time comes. Given: the nemesis starts once this first says
     * true (asked as each entry fires; the cluster is set up, as Jepsen starts its nemesis after the
     * setup): an episode due before does nothing, nor does its undo, and the script (steps()) leaves
     * both out.
     */
    private readonly gate?: () => boolean,
    /** For new-leader episodes (RoleStep.lagMs); without it they do nothing. */
    private readonly elections?: ElectionWatch,
  ) {
    this.resolved = plan.entries.map((entry) => (isRoleStep(entry) ? [] : [entry]));
    plan.entries.forEach((entry, i) => {
      if (isRoleStep(entry) && entry.phase === 'end') this.endOf.set(stageKey(entry), i);
    });
  }

  /** Schedules every entry, in plan order; before the world starts. */
  schedule(): void {
    const index = new Map(this.plan.entries.map((entry, i) => [entry, i] as const));
    this.plan.entries.forEach((entry, i) => {
      if (!isRoleStep(entry)) {
        if (this.gate === undefined) return this.world.scheduleFaults([entry]);
        // A fault call takes the entry's place in the queue, as scheduleFaults would.
        const undo = this.plan.undos?.get(entry);
        return this.world.scheduleFaultCall(entry.atMs, () => this.ordinary(i, undo === undefined ? undefined : index.get(undo)));
      }
      // A new-leader episode's strike and undo take these places in the queue (scheduleFaultCallInSlot).
      if (entry.phase === 'start') this.slots.set(i, this.world.scheduleFaultCall(entry.atMs, () => this.start(i, entry)));
      else this.slots.set(i, this.world.scheduleFaultCall(entry.atMs, () => this.end(i)));
    });
  }

  /** The script this run carried out: ordinary steps and resolved role episodes, in plan order. */
  steps(): FaultStep[] {
    return this.resolved.flat();
  }

  /** Has the nemesis started (always, without a gate)? Once it has, it stays started. */
  private started(): boolean {
    if (!this.open && this.gate !== undefined) this.open = this.gate();
    return this.gate === undefined || this.open;
  }

  /** A gated ordinary step: applied once the nemesis started, else left out with its undo. */
  private ordinary(index: number, undo: number | undefined): void {
    const steps = this.resolved[index] ?? [];
    if (!this.skipped.has(index) && this.started()) {
      for (const step of steps) this.world.applyFault(step);
      return;
    }
    this.resolved[index] = [];
    if (undo !== undefined) this.skipped.add(undo);
  }

  private start(index: number, entry: RoleStep): void {
    if (!this.started()) return;
    if (entry.lagMs !== undefined) return this.awaitElection(index, entry, entry.lagMs);
    const end = this.endOf.get(stageKey(entry));
    const endMs = end === undefined ? entry.atMs : this.plan.entries[end]!.atMs;
    const episode = roleSteps(entry, this.role(entry), this.partitionable, endMs);
    if (episode === null) return;
    this.resolved[index] = episode.start;
    if (end !== undefined) this.resolved[end] = episode.end;
    for (const step of episode.start) this.world.applyFault(step);
  }

  /** The nodes this step acts on: the role now, or a cascade stage's one node of it. */
  private role(entry: RoleStep): ReturnType<RoleResolver> {
    if (entry.stage === undefined) return this.resolve(entry.role, entry.group);
    if (entry.stage === 0) this.cascades.set(entry.episode, this.resolve(entry.role, entry.group));
    const role = this.cascades.get(entry.episode);
    const node = role?.nodes[entry.stage];
    if (role === undefined || node === undefined) return { nodes: [], peers: [] };
    // Cut off from its peers, a stage's node loses its links to the rest of the role too.
    return { nodes: [node], peers: [...role.peers, ...role.nodes.filter((n) => n !== node)] };
  }

  private end(index: number): void {
    if (this.selfTimed.has(index)) return;
    for (const step of this.resolved[index] ?? []) this.world.applyFault(step);
  }

  /**
   * A new-leader episode: its window runs from its start to its planned end; at the group's first
   * election in it, the new leader is struck lagMs later and held as long as the window was.
   */
  private awaitElection(index: number, entry: RoleStep, lagMs: number): void {
    const end = this.endOf.get(stageKey(entry));
    if (end === undefined || this.elections === undefined) return;
    const windowEndMs = this.plan.entries[end]!.atMs;
    const holdMs = windowEndMs - entry.atMs;
    this.selfTimed.add(end);
    this.elections(entry.group, (leader, atUs) => {
      const strikeUs = atUs + Math.round(lagMs * 1000);
      if (strikeUs >= windowEndMs * 1000) return;
      const strikeMs = strikeUs / 1000;
      const role = this.resolve(entry.role, entry.group);
      const episode = roleSteps({ ...entry, atMs: strikeMs }, { nodes: [leader], peers: role.peers.filter((n) => n !== leader) }, this.partitionable, strikeMs + holdMs);
      if (episode === null) return;
      this.resolved[index] = episode.start;
      this.resolved[end] = episode.end;
      this.world.scheduleFaultCallInSlot(strikeMs, this.slots.get(index)!, () => { for (const step of episode.start) this.world.applyFault(step); });
      this.world.scheduleFaultCallInSlot(strikeMs + holdMs, this.slots.get(end)!, () => { for (const step of episode.end) this.world.applyFault(step); });
    });
  }
}

function stageKey(entry: RoleStep): string {
  return `${entry.episode}/${entry.stage ?? ''}`;
}

/**
 * A role episode's steps on the role's nodes: at its start (entry.atMs) and its undo at `endMs`;
 * null when there is nothing to hit.
 */
export function roleSteps(
  entry: RoleStep, role: ReturnType<RoleResolver>, partitionable: readonly NodeId[], endMs: number,
): { start: FaultStep[]; end: FaultStep[] } | null {
  const nodes = [...new Set(role.nodes)];
  if (nodes.length === 0) return null;
  const atMs = entry.atMs;
  const each = <S extends FaultStep>(at: number, step: (node: NodeId) => S): S[] => nodes.map(step).map((s) => ({ ...s, atMs: at }));
  switch (entry.fault) {
    case 'partition': {
      if (entry.cut === 'outbound') {
        // One-way: each of the role's nodes can no longer send to its peers (they still reach it).
        const peers = role.peers.filter((n) => !nodes.includes(n));
        if (peers.length === 0) return null;
        const cuts: FaultStep[] = nodes.flatMap((from) => peers.map((to) => ({ atMs, fault: 'partition' as const, from, to })));
        return { start: cuts, end: [{ atMs: endMs, fault: 'heal', nodes }] };
      }
      // Isolated: the role's nodes on one side, everyone else (the controller and clients too) on
      // the other. From its peers: only the links between the two are cut (nodes named in no
      // group keep all their links).
      const others = entry.cut === 'peers'
        ? role.peers.filter((n) => !nodes.includes(n))
        : partitionable.filter((n) => !nodes.includes(n));
      if (others.length === 0) return null;
      return { start: [{ atMs, fault: 'partition', groups: [nodes, [...others]] }], end: [{ atMs: endMs, fault: 'heal', nodes }] };
    }
    case 'crash':
    case 'power-loss': {
      const fault = entry.fault;
      return { start: each(atMs, (node) => ({ atMs, fault, node })), end: each(endMs, (node) => ({ atMs, fault: 'restart', node })) };
    }
    case 'pause':
      return { start: each(atMs, (node) => ({ atMs, fault: 'pause', node })), end: each(endMs, (node) => ({ atMs, fault: 'resume', node })) };
    case 'slow-disk':
    case 'slow-net': {
      const fault = entry.fault;
      const factor = entry.factor ?? 1;
      return { start: each(atMs, (node) => ({ atMs, fault, node, factor })), end: each(endMs, (node) => ({ atMs, fault, node, factor: 1 })) };
    }
    case 'clock-skew': {
      const offsetMs = entry.offsetMs ?? 0;
      return {
        start: each(atMs, (node) => ({ atMs, fault: 'clock-skew', node, offsetMs })),
        end: each(endMs, (node) => ({ atMs, fault: 'clock-skew', node, offsetMs: 0 })),
      };
    }
  }
}
