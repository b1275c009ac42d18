// What the nemesis knows of the cluster: each data partition's leader and ISR, as the actors have
// announced them in the trace (the world's observation of it), never read from their memory. Jepsen's
// targeted nemeses ask the cluster who leads; here the controller's `election` and `isr-change`
// records and a leader's own `isr` record (an ISR change it learnt from the controller, fences
// included) say it, at the moment they happen.
import type { NodeId, TraceFields } from '../sim/env.js';
import type { ElectionWatch, RoleResolver } from '../sim/nemesis-run.js';
import type { World } from '../sim/world.js';
import type { ClusterLayout } from '../models/config.js';

/** faults.targets that name a role in a partition (or the controller), resolved when an episode starts. */
export const ROLE_TARGETS = ['leader', 'followers', 'isr', 'controller', 'new-leader'] as const;
export type RoleTarget = (typeof ROLE_TARGETS)[number];

interface PartitionView {
  /** The controller's choice; null while the partition is offline (or before its first election). */
  leader: NodeId | null;
  /** The last leader it had, for followers of an offline partition. */
  lastLeader: NodeId | null;
  isr: readonly NodeId[];
}

export class ClusterView {
  private readonly partitions: PartitionView[];
  private activeController: NodeId;
  /** For setUp(): a controller announced itself active, the brokers that registered, the partitions that had a leader. */
  private controllerActive = false;
  private readonly registered = new Set<NodeId>();
  private readonly led = new Set<number>();
  /** One-shot callbacks waiting for a partition's next election (new-leader episodes). */
  private readonly waiting = new Map<number, ((leader: NodeId, atUs: number) => void)[]>();

  constructor(world: World, private readonly layout: ClusterLayout) {
    this.activeController = layout.controller;
    this.partitions = layout.replicas.slice(0, layout.dataPartitions).map((replicas) => ({ leader: null, lastLeader: null, isr: replicas }));
    // controllers > 1: the voter that last announced itself active (c1 until one does).
    world.observeTrace('controller-active', (_t, node) => {
      this.activeController = node;
      this.controllerActive = true;
    });
    world.observeTrace('registered', (_t, node) => { this.registered.add(node); });
    world.observeTrace('election', (t, _node, _kind, fields) => this.onElection(fields, t));
    world.observeTrace('isr-change', (_t, _node, _kind, fields) => this.onIsr(fields, null));
    world.observeTrace('isr', (_t, node, _kind, fields) => this.onIsr(fields, node));
  }

  /**
   * Is the cluster set up: a controller of the quorum active, every broker registered, every
   * partition (data and internal) led at least once? What a Jepsen test's setup waits for before its
   * nemesis starts.
   */
  setUp(): boolean {
    return this.controllerActive && this.layout.brokers.every((b) => this.registered.has(b))
      && this.layout.replicas.every((_replicas, p) => this.led.has(p));
  }

  leader(partition: number): NodeId | null {
    return this.partitions[partition]?.leader ?? null;
  }

  isr(partition: number): readonly NodeId[] {
    return this.partitions[partition]?.isr ?? [];
  }

  /** The replicas but the leader (the last leader while offline; all of them before any election). */
  followers(partition: number): readonly NodeId[] {
    const view = this.partitions[partition];
    if (view === undefined) return [];
    const leader = view.leader ?? view.lastLeader;
    return (this.layout.replicas[partition] ?? []).filter((b) => b !== leader);
  }

  /** The nodes a role target stands for now in a data partition, and the peers it works with. */
  readonly resolve: RoleResolver = (role, partition) => {
    const replicas = this.layout.replicas[partition] ?? [];
    const leader = this.leader(partition);
    const others = (nodes: readonly NodeId[]) => replicas.filter((b) => !nodes.includes(b));
    switch (role as RoleTarget) {
      case 'leader':
      case 'new-leader': return leader === null ? { nodes: [], peers: [] } : { nodes: [leader], peers: others([leader]) };
      case 'followers': {
        const followers = this.followers(partition);
        return { nodes: followers, peers: others(followers) };
      }
      case 'isr': {
        // The leader last: a cascade then shrinks the ISR to the leader before the leader goes.
        const isr = this.isr(partition);
        const nodes = [...isr.filter((b) => b !== leader), ...isr.filter((b) => b === leader)];
        return { nodes, peers: others(nodes) };
      }
      case 'controller': return { nodes: [this.activeController], peers: this.layout.brokers };
      default: return { nodes: [], peers: [] };
    }
  };

  /** A new-leader episode's wait: `then` runs at the data partition's next election that names a leader. */
  readonly nextElection: ElectionWatch = (partition, then) => {
    this.waiting.set(partition, [...(this.waiting.get(partition) ?? []), then]);
  };

  private onElection(fields: TraceFields | undefined, t: number): void {
    const partition = Number(fields?.['partition']);
    if (typeof fields?.['leader'] === 'string') this.led.add(partition);
    const view = this.partitions[partition];
    if (view === undefined) return;
    const leader = fields?.['leader'];
    view.leader = typeof leader === 'string' ? leader : null;
    if (view.leader !== null) view.lastLeader = view.leader;
    const isr = fields?.['isr'];
    if (Array.isArray(isr)) view.isr = isr.map(String);
    const waiting = this.waiting.get(partition);
    if (view.leader === null || waiting === undefined) return;
    this.waiting.delete(partition);
    for (const then of waiting) then(view.leader, t);
  }

  /** `by` null: the controller's record; else a broker's, which counts only from the current leader. */
  private onIsr(fields: TraceFields | undefined, by: NodeId | null): void {
    const view = this.partitions[Number(fields?.['partition'])];
    if (view === undefined || (by !== null && by !== view.leader)) return;
    const isr = fields?.['isr'];
    if (Array.isArray(isr)) view.isr = isr.map(String);
  }
}
