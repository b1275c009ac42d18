// Shared fixtures of the kernel tests: a world configuration with round numbers, and a scriptable
// actor that records what it receives and exposes its Env.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import { World, type WorldConfig } from '../../sim/world.js';

export interface Overrides {
  seed?: number;
  network?: Partial<WorldConfig['network']>;
  disk?: Partial<WorldConfig['disk']>;
  maxEvents?: number;
  recordTrace?: boolean;
}

export function config(o: Overrides = {}): WorldConfig {
  return {
    seed: o.seed ?? 1,
    network: {
      latencyMinUs: 1000, latencyMaxUs: 1000, nicMbps: 1e9,
      dropProbability: 0, duplicateProbability: 0, reorderProbability: 0,
      ...o.network,
    },
    disk: { writeUs: 50, fsyncUs: 2000, dirtyExpireUs: 30_000_000, tornWrites: false, ...o.disk },
    maxEvents: o.maxEvents ?? 10_000_000,
    recordTrace: o.recordTrace ?? true,
  };
}

export interface Received {
  readonly t: number;
  readonly from: NodeId;
  readonly msg: Message & { readonly n?: number };
}

/** An actor that does nothing by itself: tests drive it through `env` and read `received`. */
export class Probe implements Actor {
  readonly received: Received[] = [];
  started = 0;
  constructor(readonly env: Env, private readonly onStart?: (p: Probe) => void) {}
  start(): void {
    this.started++;
    this.onStart?.(this);
  }
  receive(from: NodeId, msg: Message): void {
    this.received.push({ t: this.env.now(), from, msg });
  }
}

/** A started world of Probe nodes. */
export function probeWorld(ids: readonly NodeId[], o: Overrides = {}, onStart?: (p: Probe) => void): World {
  const world = new World(config(o));
  for (const id of ids) world.addNode(id, (env) => new Probe(env, onStart));
  world.start();
  return world;
}

export function probe(world: World, id: NodeId): Probe {
  const actor = world.actor(id);
  if (!(actor instanceof Probe)) throw new Error(`${id} has no running Probe`);
  return actor;
}

export function msg(n: number): Message & { n: number } {
  return { type: 'm', n };
}
