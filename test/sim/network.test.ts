import { describe, expect, it } from 'vitest';
import type { World } from '../../sim/world.js';
import { msg, probe, probeWorld } from './helpers.js';

function sendAt(world: World, t: number, from: string, to: string, n: number, bytes = 100): void {
  world.at(t, () => probe(world, from).env.send(to, msg(n), bytes));
}

function numbers(world: World, at: string, from?: string): number[] {
  return probe(world, at).received.filter((r) => from === undefined || r.from === from).map((r) => r.msg.n ?? -1);
}

const JITTER = { latencyMinUs: 100, latencyMaxUs: 5000 };

describe('network', () => {
  it('keeps FIFO order within a connection under latency jitter', () => {
    const world = probeWorld(['a', 'b'], { network: JITTER });
    for (let i = 0; i < 300; i++) sendAt(world, i * 37, 'a', 'b', i);
    world.runUntil(1_000_000);
    expect(numbers(world, 'b')).toEqual(Array.from({ length: 300 }, (_, i) => i));
    // The jitter is real: latencies of well-spaced messages differ.
    const lone = probeWorld(['a', 'b'], { network: JITTER });
    for (let i = 0; i < 20; i++) sendAt(lone, i * 100_000, 'a', 'b', i);
    lone.runUntil(10_000_000);
    const latencies = probe(lone, 'b').received.map((r, i) => r.t - i * 100_000);
    expect(new Set(latencies).size).toBeGreaterThan(10);
  });

  it('the reorder knob does break FIFO (so the check above can fail)', () => {
    const world = probeWorld(['a', 'b'], { network: { ...JITTER, reorderProbability: 0.5 } });
    for (let i = 0; i < 300; i++) sendAt(world, i * 37, 'a', 'b', i);
    world.runUntil(1_000_000);
    const got = numbers(world, 'b');
    expect(got).toHaveLength(300);
    expect(got).not.toEqual([...got].sort((x, y) => x - y));
  });

  it('a one-way partition cuts one direction only', () => {
    const world = probeWorld(['a', 'b']);
    world.applyFault({ atMs: 0, fault: 'partition', from: 'a', to: 'b' });
    sendAt(world, 10, 'a', 'b', 1);
    sendAt(world, 10, 'b', 'a', 2);
    world.runUntil(100_000);
    expect(numbers(world, 'b')).toEqual([]);
    expect(numbers(world, 'a')).toEqual([2]);
    const drop = world.trace.records?.find((r) => r.kind === 'drop');
    expect(drop).toMatchObject({ node: 'b', from: 'a', reason: 'cut', msg: 'm' });
  });

  it('a cut drops messages in flight even if healed before they arrive', () => {
    const world = probeWorld(['a', 'b']); // latency 1000 µs
    sendAt(world, 0, 'a', 'b', 1);
    sendAt(world, 0, 'b', 'a', 2);
    world.at(500, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    world.at(600, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    sendAt(world, 700, 'a', 'b', 3);
    world.runUntil(100_000);
    expect(numbers(world, 'b')).toEqual([3]);
    expect(numbers(world, 'a')).toEqual([]);
    const drops = world.trace.records?.filter((r) => r.kind === 'drop') ?? [];
    expect(drops.map((d) => [d.node, d.reason, d.t])).toEqual([['b', 'cut', 1000], ['a', 'cut', 1000]]);
    // Without the cut both arrive (the test depends on the fault, not on timing).
    const calm = probeWorld(['a', 'b']);
    sendAt(calm, 0, 'a', 'b', 1);
    calm.runUntil(100_000);
    expect(numbers(calm, 'b')).toEqual([1]);
  });

  it('heal of named nodes reopens only their links', () => {
    const world = probeWorld(['a', 'b', 'c']);
    world.applyFault({ atMs: 0, fault: 'partition', isolate: ['a', 'b'] });
    world.applyFault({ atMs: 0, fault: 'heal', nodes: ['a'] });
    sendAt(world, 0, 'a', 'b', 1);
    sendAt(world, 0, 'a', 'c', 2);
    sendAt(world, 0, 'b', 'c', 3);
    world.runUntil(100_000);
    expect(numbers(world, 'b')).toEqual([1]);
    expect(numbers(world, 'c')).toEqual([2]);
  });

  function reachability(groups: string[][]): string[] {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const world = probeWorld(ids);
    world.applyFault({ atMs: 0, fault: 'partition', groups });
    let n = 0;
    for (const x of ids) for (const y of ids) if (x !== y) sendAt(world, 0, x, y, n++);
    world.runUntil(100_000);
    return ids.flatMap((y) => probe(world, y).received.map((r) => `${r.from}${y}`)).sort();
  }

  it('groups: links inside a group stay, links across are cut, unnamed nodes keep theirs', () => {
    const open = reachability([['a', 'b'], ['c', 'd']]);
    expect(open).toContain('ab');
    expect(open).toContain('dc');
    expect(open).not.toContain('ac');
    expect(open).not.toContain('db');
    for (const x of ['a', 'b', 'c', 'd']) {
      expect(open).toContain(`${x}e`);
      expect(open).toContain(`e${x}`);
    }
    expect(open).toHaveLength(20 - 8);
  });

  it('bridge: overlapping groups let the bridge talk to both sides, the sides not to each other', () => {
    const open = reachability([['a', 'b', 'c'], ['c', 'd', 'e']]);
    for (const x of ['a', 'b', 'd', 'e']) {
      expect(open).toContain(`c${x}`);
      expect(open).toContain(`${x}c`);
    }
    expect(open).toContain('ab');
    expect(open).toContain('de');
    for (const [x, y] of [['a', 'd'], ['a', 'e'], ['b', 'd'], ['b', 'e']] as const) {
      expect(open).not.toContain(`${x}${y}`);
      expect(open).not.toContain(`${y}${x}`);
    }
  });

  it('a NIC delays back-to-back large messages by their transmission time', () => {
    // 8 Mbps = 1 byte per µs; latency 1000 µs.
    const world = probeWorld(['a', 'b', 'c'], { network: { nicMbps: 8 } });
    for (let i = 0; i < 3; i++) sendAt(world, 0, 'a', 'b', i, 10_000);
    sendAt(world, 0, 'c', 'b', 9, 10); // another NIC: not queued behind a's
    world.runUntil(1_000_000);
    const times = probe(world, 'b').received.map((r) => [r.msg.n, r.t]);
    expect(times).toEqual([[9, 1010], [0, 11_000], [1, 21_000], [2, 31_000]]);
  });

  it('slow-net multiplies NIC and link latency of the slow node', () => {
    const world = probeWorld(['a', 'b'], { network: { nicMbps: 8 } });
    world.applyFault({ atMs: 0, fault: 'slow-net', node: 'a', factor: 10 });
    sendAt(world, 0, 'a', 'b', 1, 100); // 100 µs NIC + 1000 µs link, ×10
    sendAt(world, 0, 'b', 'a', 2, 100); // b's NIC is fast, the link touches a slow node
    world.at(50_000, () => world.applyFault({ atMs: 0, fault: 'slow-net', node: 'a', factor: 1 }));
    sendAt(world, 50_000, 'a', 'b', 3, 100);
    world.runUntil(1_000_000);
    expect(probe(world, 'b').received.map((r) => r.t)).toEqual([11_000, 51_100]);
    expect(probe(world, 'a').received.map((r) => r.t)).toEqual([100 + 10_000]);
  });

  it('a crash of the sender or the receiver drops what is in flight', () => {
    const world = probeWorld(['a', 'b', 'c']);
    sendAt(world, 0, 'a', 'b', 1);
    sendAt(world, 0, 'c', 'b', 2);
    world.at(500, () => world.applyFault({ atMs: 0, fault: 'crash', node: 'a' }));
    world.at(600, () => world.applyFault({ atMs: 0, fault: 'restart', node: 'a' }));
    sendAt(world, 2000, 'a', 'c', 3);
    world.at(2500, () => world.applyFault({ atMs: 0, fault: 'crash', node: 'c' }));
    world.at(2600, () => world.applyFault({ atMs: 0, fault: 'restart', node: 'c' }));
    world.runUntil(100_000);
    expect(numbers(world, 'b')).toEqual([2]);
    expect(numbers(world, 'c')).toEqual([]);
    // Connection resets from the crashes may be dropped too; count the test's own messages.
    const reasons = world.trace.records?.filter((r) => r.kind === 'drop' && r.msg !== 'disconnect').map((r) => r.reason);
    expect(reasons).toEqual(['crashed', 'crashed']);
  });

  it('a message to a down node is dropped as down', () => {
    const world = probeWorld(['a', 'b']);
    world.applyFault({ atMs: 0, fault: 'crash', node: 'b' });
    sendAt(world, 0, 'a', 'b', 1);
    world.runUntil(100_000);
    expect(world.trace.records?.filter((r) => r.kind === 'drop').map((r) => r.reason)).toEqual(['down']);
  });

  it('chaos knobs: drop loses, duplicate delivers twice', () => {
    const lossy = probeWorld(['a', 'b'], { network: { dropProbability: 0.5 } });
    for (let i = 0; i < 200; i++) sendAt(lossy, i, 'a', 'b', i);
    lossy.runUntil(1_000_000);
    const got = numbers(lossy, 'b');
    expect(got.length).toBeGreaterThan(50);
    expect(got.length).toBeLessThan(150);
    expect(got).toEqual([...got].sort((x, y) => x - y));
    const dup = probeWorld(['a', 'b'], { network: { duplicateProbability: 1 } });
    sendAt(dup, 0, 'a', 'b', 7);
    dup.runUntil(1_000_000);
    expect(numbers(dup, 'b')).toEqual([7, 7]);
    expect(dup.trace.records?.filter((r) => r.kind === 'duplicate')).toHaveLength(1);
    const ids = dup.trace.records?.filter((r) => r.kind === 'deliver').map((r) => r.id);
    expect(new Set(ids).size).toBe(1);
  });

  it('send, deliver and drop records carry the message id that links them', () => {
    const world = probeWorld(['a', 'b']);
    sendAt(world, 0, 'a', 'b', 1, 321);
    world.runUntil(100_000);
    const send = world.trace.records?.find((r) => r.kind === 'send');
    const deliver = world.trace.records?.find((r) => r.kind === 'deliver');
    expect(send).toEqual({ t: 0, kind: 'send', node: 'a', to: 'b', msg: 'm', id: 1, bytes: 321 });
    expect(deliver).toEqual({ t: 1000, kind: 'deliver', node: 'b', from: 'a', msg: 'm', id: 1 });
  });

  it('deliveries held by a paused node, dropped or answered at once keep their own messages while events are reused', () => {
    // c answers every message at once, so deliveries and replies keep reusing spent events while
    // b is paused with two deliveries held and a crashed d drops what is sent to it.
    const world = probeWorld(['a', 'b', 'c', 'd']);
    const c = probe(world, 'c');
    c.receive = (from, m) => {
      c.received.push({ t: c.env.now(), from, msg: m });
      const n = (m as { n?: number }).n ?? 0;
      if (n < 1000) c.env.send(from, msg(n + 1000));
    };
    world.at(10, () => world.applyFault({ atMs: 0, fault: 'pause', node: 'b' }));
    world.at(20, () => world.applyFault({ atMs: 0, fault: 'power-loss', node: 'd' }));
    sendAt(world, 100, 'a', 'b', 1);
    sendAt(world, 200, 'a', 'b', 2);
    for (let i = 0; i < 20; i++) {
      sendAt(world, 300 + i * 400, 'a', 'c', 10 + i);
      sendAt(world, 300 + i * 400, 'a', 'd', 500 + i);
    }
    world.at(20_000, () => world.applyFault({ atMs: 0, fault: 'resume', node: 'b' }));
    world.runUntil(30_000);
    expect(numbers(world, 'b')).toEqual([1, 2]);
    expect(probe(world, 'b').received.map((r) => r.t)).toEqual([20_000, 20_000]);
    expect(numbers(world, 'c')).toEqual(Array.from({ length: 20 }, (_, i) => 10 + i));
    expect(numbers(world, 'a', 'c')).toEqual(Array.from({ length: 20 }, (_, i) => 1010 + i));
    expect(world.trace.records?.filter((r) => r.kind === 'drop' && r.reason === 'down')).toHaveLength(20);
  });

  it('unknown node names in fault steps are user errors', () => {
    const world = probeWorld(['a', 'b']);
    expect(() => world.applyFault({ atMs: 0, fault: 'crash', node: 'zz' })).toThrow(/unknown node 'zz'/);
    expect(() => world.applyFault({ atMs: 0, fault: 'partition', groups: [['a'], ['q']] })).toThrow(/unknown node 'q'/);
    expect(() => world.scheduleFaults([{ atMs: 5, fault: 'heal', nodes: ['x'] }])).toThrow(/unknown node 'x'/);
  });
});
