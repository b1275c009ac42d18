// Deadlines: many timeouts on one kernel timer. Expiry order, cancellation, mixed lengths, and that
// cancelled timeouts do not leave events behind in the kernel's queue.
import { describe, expect, test } from 'vitest';
import type { Env } from '../../sim/env.js';
import { Deadlines } from '../../models/deadlines.js';
import { probe, probeWorld } from '../sim/helpers.js';

function setup() {
  const world = probeWorld(['a']);
  const env: Env = probe(world, 'a').env;
  const expired: { t: number; item: string }[] = [];
  const deadlines = new Deadlines<string>(env, (item) => expired.push({ t: env.now(), item }));
  return { world, env, expired, deadlines };
}

describe('Deadlines', () => {
  test('expire in deadline order at their own times, cancelled ones never', () => {
    const { world, expired, deadlines } = setup();
    deadlines.add(3000, 'c');
    const b = deadlines.add(2000, 'b');
    deadlines.add(1000, 'a');
    deadlines.add(3000, 'd');
    deadlines.cancel(b);
    world.runUntil(10_000);
    expect(expired).toEqual([{ t: 1000, item: 'a' }, { t: 3000, item: 'c' }, { t: 3000, item: 'd' }]);
    expect(deadlines.size).toBe(0);
  });

  test('one kernel timer, however many timeouts are armed and cancelled', () => {
    const { world, deadlines } = setup();
    const before = world.pendingEvents;
    for (let i = 0; i < 1000; i++) deadlines.cancel(deadlines.add(30_000_000, `r${i}`));
    expect(world.pendingEvents - before).toBeLessThanOrEqual(1);
  });

  test('clear cancels everything', () => {
    const { world, expired, deadlines } = setup();
    deadlines.add(1000, 'a');
    deadlines.add(2000, 'b');
    deadlines.clear();
    world.runUntil(10_000);
    expect(expired).toEqual([]);
  });

  test('a timeout added while another expires is honoured', () => {
    const { world, env, expired } = setup();
    const deadlines: Deadlines<string> = new Deadlines<string>(env, (item) => {
      expired.push({ t: env.now(), item });
      if (item === 'first') deadlines.add(500, 'second');
    });
    deadlines.add(1000, 'first');
    world.runUntil(10_000);
    expect(expired).toEqual([{ t: 1000, item: 'first' }, { t: 1500, item: 'second' }]);
  });

  test('a timeout lets go of its item once cancelled or expired (it stays listed until its deadline)', () => {
    const { world, deadlines } = setup();
    const cancelled = deadlines.add(30_000_000, 'request');
    const expiring = deadlines.add(1000, 'poll');
    expect(cancelled.item).toBe('request');
    deadlines.cancel(cancelled);
    expect(cancelled.item).toBeUndefined();
    world.runUntil(2000);
    expect(expiring.item).toBeUndefined();
    expect(expiring.live).toBe(false);
  });

  test('timeouts cancelled in order leave the list as new ones are armed, long before their deadlines', () => {
    const { world, expired, deadlines } = setup();
    for (let i = 0; i < 1000; i++) deadlines.cancel(deadlines.add(30_000_000, `r${i}`));
    deadlines.add(30_000_000, 'last');
    expect(deadlines.listed).toBeLessThan(64); // not 1001: the cancelled ones went as the next were armed
    // Out of order: a cancelled entry behind a live one waits for the live one to go.
    const first = deadlines.add(30_000_000, 'first');
    const rest = Array.from({ length: 200 }, (_, i) => deadlines.add(30_000_000, `s${i}`));
    for (const entry of rest) deadlines.cancel(entry);
    deadlines.add(30_000_000, 'more');
    expect(deadlines.listed).toBeGreaterThanOrEqual(203);
    deadlines.cancel(first);
    world.runUntil(40_000_000);
    expect(expired.map((e) => e.item)).toEqual(['last', 'more']);
    expect(deadlines.listed).toBe(0);
  });
});
