import { describe, expect, it } from 'vitest';
import { createRandom } from '../../sim/random.js';
import type { Random } from '../../sim/env.js';

function draws(r: Random, n: number): number[] {
  return Array.from({ length: n }, () => r.next());
}

describe('random streams', () => {
  it('the same seed gives the same sequence; another seed another one', () => {
    expect(draws(createRandom(42), 20)).toEqual(draws(createRandom(42), 20));
    expect(draws(createRandom(42), 20)).not.toEqual(draws(createRandom(43), 20));
    expect(draws(createRandom(42), 5)).toEqual(draws(createRandom('42'), 5));
  });

  it('forked streams are independent: draws on one never shift another', () => {
    const quiet = createRandom(7);
    const expected = draws(quiet.fork('b'), 50);
    const busy = createRandom(7);
    const a = busy.fork('a');
    draws(a, 1000);
    draws(busy, 1000); // the parent's own position does not matter either
    const b = busy.fork('b');
    a.next();
    expect(draws(b, 50)).toEqual(expected);
    expect(draws(createRandom(7).fork('a'), 50)).not.toEqual(expected);
  });

  it('forks of forks are named paths', () => {
    const x = draws(createRandom(1).fork('node').fork('b1'), 10);
    expect(draws(createRandom(1).fork('node/b1'), 10)).toEqual(x);
    expect(draws(createRandom(1).fork('node').fork('b2'), 10)).not.toEqual(x);
  });

  it('int, pick, chance, uniform stay in range; exponential is an integer >= 0 near its mean', () => {
    const r = createRandom(3);
    const ints = Array.from({ length: 5000 }, () => r.int(-2, 2));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2]));
    expect(Array.from({ length: 100 }, () => r.pick(['x', 'y'])).every((v) => v === 'x' || v === 'y')).toBe(true);
    expect(Array.from({ length: 100 }, () => r.chance(0)).some(Boolean)).toBe(false);
    expect(Array.from({ length: 100 }, () => r.chance(1)).every(Boolean)).toBe(true);
    const u = Array.from({ length: 1000 }, () => r.uniform(5, 6));
    expect(u.every((v) => v >= 5 && v < 6)).toBe(true);
    const e = Array.from({ length: 20000 }, () => r.exponential(1000));
    expect(e.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    const mean = e.reduce((s, v) => s + v, 0) / e.length;
    expect(mean).toBeGreaterThan(900);
    expect(mean).toBeLessThan(1100);
  });

  it('rejects bad ranges', () => {
    const r = createRandom(3);
    expect(() => r.int(2, 1)).toThrow(/empty range/);
    expect(() => r.int(0.5, 1)).toThrow(/integers/);
    expect(() => r.pick([])).toThrow(/empty/);
  });
});
