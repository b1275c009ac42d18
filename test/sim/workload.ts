// A busy, fault-ridden multi-node workload for the determinism tests: every node pings random
// peers, answers pings, appends to its log, fsyncs, truncates, replaces a checkpoint and records
// model trace events, under a nemesis plan of every fault kind with the chaos knobs on.
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import { ALL_FAULT_KINDS } from '../../sim/fault.js';
import { generatePlan, planSteps } from '../../sim/nemesis.js';
import { World } from '../../sim/world.js';
import { config } from './helpers.js';

interface Ping extends Message { readonly type: 'ping' | 'pong'; readonly seq: number }

class Busy implements Actor {
  private seq = 0;
  private readonly peers: NodeId[];

  constructor(private readonly env: Env, ids: readonly NodeId[]) {
    this.peers = ids.filter((id) => id !== env.node);
  }

  start(): void {
    this.seq = this.env.disk.read('log').length;
    this.env.trace('boot', { recovered: this.seq });
    this.tick();
  }

  private tick(): void {
    const env = this.env;
    env.setTimer(env.random.exponential(3000), () => this.tick());
    const ping: Ping = { type: 'ping', seq: this.seq++ };
    env.send(env.random.pick(this.peers), ping, env.random.int(50, 20_000));
    const r = env.random.next();
    if (r < 0.3) env.disk.append('log', [this.seq], 100, () => env.trace('appended', { seq: this.seq }));
    else if (r < 0.4) env.disk.fsync('log');
    else if (r < 0.42) env.disk.truncate('log', Math.max(0, env.disk.read('log').length - 2));
    else if (r < 0.45) env.disk.replace('checkpoint', [this.seq, env.now()], 16);
    if (r > 0.97) {
      const id = env.setTimer(500, () => env.trace('never'));
      env.cancelTimer(id);
    }
  }

  receive(from: NodeId, msg: Message): void {
    const m = msg as Ping;
    if (m.type === 'ping') this.env.send(from, { type: 'pong', seq: m.seq } satisfies Ping, 64);
    else this.env.trace('pong', { from, seq: m.seq, at: this.env.now() });
  }
}

export interface BusyResult {
  readonly hash: string;
  readonly events: number;
  readonly traced: number;
  readonly kinds: ReadonlySet<string>;
}

export function runBusy(seed: number, opts: { nodes?: number; durationMs?: number; recordTrace?: boolean } = {}): BusyResult {
  const ids = Array.from({ length: opts.nodes ?? 6 }, (_, i) => `n${i + 1}`);
  const durationMs = opts.durationMs ?? 2000;
  const world = new World(config({
    seed,
    recordTrace: opts.recordTrace ?? false,
    network: { latencyMinUs: 100, latencyMaxUs: 3000, nicMbps: 1000, dropProbability: 0.01, duplicateProbability: 0.01, reorderProbability: 0.01 },
    disk: { writeUs: 50, fsyncUs: 2000, dirtyExpireUs: 300_000, tornWrites: true },
  }));
  for (const id of ids) world.addNode(id, (env) => new Busy(env, ids));
  const plan = planSteps(generatePlan(world.random.fork('nemesis'), {
    kinds: ALL_FAULT_KINDS, meanIntervalMs: 200, durationMs, crashable: ids, partitionable: ids,
  }));
  world.start();
  world.scheduleFaults(plan);
  if (world.runUntil(durationMs * 1000) !== 'ok') throw new Error('budget exhausted');
  world.settle();
  if (world.runUntil((durationMs + 500) * 1000) !== 'ok') throw new Error('budget exhausted');
  const kinds = new Set((world.trace.records ?? []).map((r) => r.kind));
  return { hash: world.trace.hash(), events: world.eventsRun, traced: world.trace.events, kinds };
}
