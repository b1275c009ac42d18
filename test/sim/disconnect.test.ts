// A process crash with the OS up resets its connections: peers hear of it one latency later
// (Actor.disconnected). A power loss resets nothing, and a cut link carries no reset.
import { describe, expect, test } from 'vitest';
import type { Actor, Env, Message, NodeId } from '../../sim/env.js';
import { World } from '../../sim/world.js';
import { config } from './helpers.js';

class Listener implements Actor {
  readonly resets: { t: number; peer: NodeId }[] = [];
  constructor(private readonly env: Env) {}
  start(): void {}
  receive(_from: NodeId, _msg: Message): void {}
  disconnected(peer: NodeId): void {
    this.resets.push({ t: this.env.now(), peer });
  }
}

function world(): World {
  const w = new World(config());
  for (const id of ['a', 'b', 'c']) w.addNode(id, (env) => new Listener(env));
  w.start();
  return w;
}

const resets = (w: World, id: NodeId) => (w.actor(id) as Listener).resets;

describe('connection resets', () => {
  test('a crash resets every open connection after one link latency', () => {
    const w = world();
    w.runUntil(5000);
    w.applyFault({ atMs: 5, fault: 'crash', node: 'a' });
    w.runUntil(20_000);
    expect(resets(w, 'b')).toEqual([{ t: 6000, peer: 'a' }]);
    expect(resets(w, 'c')).toEqual([{ t: 6000, peer: 'a' }]);
  });

  test('a power loss resets nothing', () => {
    const w = world();
    w.applyFault({ atMs: 0, fault: 'power-loss', node: 'a' });
    w.runUntil(20_000);
    expect(resets(w, 'b')).toEqual([]);
    expect(resets(w, 'c')).toEqual([]);
  });

  test('a cut link carries no reset', () => {
    const w = world();
    w.applyFault({ atMs: 0, fault: 'partition', from: 'a', to: 'b' });
    w.applyFault({ atMs: 0, fault: 'crash', node: 'a' });
    w.runUntil(20_000);
    expect(resets(w, 'b')).toEqual([]);
    expect(resets(w, 'c')).toHaveLength(1);
  });
});

describe('connection refused', () => {
  test('a message to a crashed process on a live machine is answered by a reset', () => {
    const w = world();
    w.applyFault({ atMs: 0, fault: 'crash', node: 'a' });
    w.runUntil(10_000);
    resets(w, 'b').length = 0;
    w.at(10_000, () => (w.actor('b') as Listener)['env'].send('a', { type: 'ping' }));
    w.runUntil(20_000);
    expect(resets(w, 'b')).toEqual([{ t: 12_000, peer: 'a' }]);
  });

  test('a message to a powered-off machine is met with silence', () => {
    const w = world();
    w.applyFault({ atMs: 0, fault: 'power-loss', node: 'a' });
    w.at(10_000, () => (w.actor('b') as Listener)['env'].send('a', { type: 'ping' }));
    w.runUntil(20_000);
    expect(resets(w, 'b')).toEqual([]);
  });
});

describe('a healed cut resets the connection it broke', () => {
  test('both ends learn of it once the link is open again', () => {
    const w = world();
    w.applyFault({ atMs: 0, fault: 'partition', isolate: ['a'] });
    w.runUntil(5000);
    expect(resets(w, 'a')).toEqual([]);
    w.applyFault({ atMs: 5, fault: 'heal' });
    w.runUntil(20_000);
    expect(resets(w, 'a').map((r) => r.peer).sort()).toEqual(['b', 'c']);
    expect(resets(w, 'b')).toEqual([{ t: 6000, peer: 'a' }]);
    expect(resets(w, 'c')).toEqual([{ t: 6000, peer: 'a' }]);
  });

  test('no reset while one direction is still cut, nor between nodes the cut never touched', () => {
    const w = world();
    w.applyFault({ atMs: 0, fault: 'partition', from: 'a', to: 'b' });
    w.applyFault({ atMs: 0, fault: 'partition', from: 'b', to: 'a' });
    w.applyFault({ atMs: 0, fault: 'partition', from: 'a', to: 'c' });
    w.applyFault({ atMs: 0, fault: 'heal', nodes: ['c'] });
    w.runUntil(20_000);
    expect(resets(w, 'b')).toEqual([]);
    expect(resets(w, 'a')).toEqual([{ t: 1000, peer: 'c' }]);
  });
});
