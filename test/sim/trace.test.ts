import { describe, expect, it } from 'vitest';
import { SimAssertionError } from '../../sim/errors.js';
import { TraceSink } from '../../sim/trace.js';
import { msg, probe, probeWorld } from './helpers.js';

function sink(events: readonly (readonly [number, string, number])[]): TraceSink {
  const tr = new TraceSink(false);
  for (const [t, kind, value] of events) {
    tr.beginNamed(t, kind, 0);
    tr.fields({ value }, t);
  }
  return tr;
}

describe('trace hash', () => {
  it('is 16 hex chars, equal for equal events, different when any event, order or field differs', () => {
    const base = sink([[1, 'a', 1], [2, 'b', 2]]).hash();
    expect(base).toMatch(/^[0-9a-f]{16}$/);
    expect(sink([[1, 'a', 1], [2, 'b', 2]]).hash()).toBe(base);
    expect(sink([[2, 'b', 2], [1, 'a', 1]]).hash()).not.toBe(base);
    expect(sink([[1, 'a', 1], [2, 'b', 3]]).hash()).not.toBe(base);
    expect(sink([[1, 'a', 1], [3, 'b', 2]]).hash()).not.toBe(base);
    expect(sink([[1, 'a', 1], [2, 'c', 2]]).hash()).not.toBe(base);
    expect(sink([[1, 'a', 1]]).hash()).not.toBe(base);
    expect(sink([[1, 'a', 1.5]]).hash()).not.toBe(sink([[1, 'a', 1]]).hash());
  });

  it('distinguishes values of different types and strings by content', () => {
    const h = (value: string | number | boolean | null | readonly string[]): string => {
      const tr = new TraceSink(false);
      tr.beginNamed(0, 'x', 0);
      tr.fields({ value }, 0);
      return tr.hash();
    };
    const all = [h('a'), h(97), h(true), h(null), h(['a']), h('b'), h('ab'), h(['a', 'b']), h(false)];
    expect(new Set(all).size).toBe(all.length);
  });

  it("gives a symbol its interned id through the cache, also when symbols share the cache's slot", () => {
    // The first three share length, first and last char, so one slot of the cache: each use evicts the others.
    const words = ['count', 'cxunt', 'c--nt', 'first', 'count', 'c--nt', 'cxunt', 'first'];
    const tr = new TraceSink(false);
    const ids = words.map((w) => tr.symId(w));
    expect(ids).toEqual(words.map((w) => tr.intern(w)));
    expect(new Set(ids).size).toBe(4);
    // Model event kinds take the cached path too: an event hashes as with the plain interned id.
    const viaKinds = sink(words.map((w, i) => [i, w, i] as const)).hash();
    const plain = new TraceSink(false);
    for (const [i, w] of words.entries()) {
      const id = plain.intern(w);
      plain.events++;
      plain.num(i);
      plain.pair(id, 0);
      plain.fields({ value: i }, i);
    }
    expect(viaKinds).toBe(plain.hash());
  });

  it('keeps records only when recording, and they do not change the hash', () => {
    const world = probeWorld(['a', 'b'], { recordTrace: false });
    world.at(0, () => probe(world, 'a').env.send('b', msg(1)));
    world.at(5, () => probe(world, 'a').env.trace('note', { x: 1, why: 'because' }));
    world.runUntil(10_000);
    expect(world.trace.records).toBeNull();
    const recorded = probeWorld(['a', 'b'], { recordTrace: true });
    recorded.at(0, () => probe(recorded, 'a').env.send('b', msg(1)));
    recorded.at(5, () => probe(recorded, 'a').env.trace('note', { x: 1, why: 'because' }));
    recorded.runUntil(10_000);
    expect(recorded.trace.hash()).toBe(world.trace.hash());
    expect(recorded.trace.events).toBe(world.trace.events);
    expect(recorded.trace.records).toHaveLength(recorded.trace.events);
    expect(recorded.trace.records).toContainEqual({ t: 5, kind: 'note', node: 'a', x: 1, why: 'because' });
  });

  it('model events may not use kernel kinds or reserved field names', () => {
    const world = probeWorld(['a']);
    const env = probe(world, 'a').env;
    expect(() => env.trace('send')).toThrow(SimAssertionError);
    expect(() => env.trace('ok', { node: 'x' })).toThrow(/reserved/);
    expect(() => env.trace('ok', { t: 1 })).toThrow(/reserved/);
  });

  it('records faults and node transitions as documented', () => {
    const world = probeWorld(['a', 'b', 'c']);
    world.applyFault({ atMs: 0, fault: 'partition', groups: [['a', 'b'], ['b', 'c']] });
    world.applyFault({ atMs: 0, fault: 'slow-disk', node: 'a', factor: 2.5 });
    world.applyFault({ atMs: 0, fault: 'pause', node: 'c' });
    world.applyFault({ atMs: 0, fault: 'resume', node: 'c' });
    world.applyFault({ atMs: 0, fault: 'power-loss', node: 'b' });
    const records = world.trace.records ?? [];
    expect(records.filter((r) => r.kind === 'fault')).toEqual([
      { t: 0, kind: 'fault', fault: 'partition', groups: ['a,b', 'b,c'] },
      { t: 0, kind: 'fault', fault: 'slow-disk', node: 'a', factor: 2.5 },
      { t: 0, kind: 'fault', fault: 'pause', node: 'c' },
      { t: 0, kind: 'fault', fault: 'resume', node: 'c' },
      { t: 0, kind: 'fault', fault: 'power-loss', node: 'b' },
    ]);
    expect(records.filter((r) => r.kind === 'node').map((r) => `${r.node}:${r.state}:${r.incarnation}`)).toEqual([
      'a:up:1', 'b:up:1', 'c:up:1', 'c:paused:1', 'c:resumed:1', 'b:powered-off:1',
    ]);
  });
});
