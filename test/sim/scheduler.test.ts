import { describe, expect, it } from 'vitest';
import { EV_CALL, SimEvent } from '../../sim/event.js';
import { Scheduler } from '../../sim/scheduler.js';
import { SimAssertionError } from '../../sim/errors.js';
import { probe, probeWorld } from './helpers.js';

function callAt(s: Scheduler, t: number, fn: () => void): SimEvent {
  const ev = new SimEvent(EV_CALL, -1, 0);
  ev.fn = fn;
  return s.at(t, ev);
}

function newScheduler(maxEvents = 1_000_000): Scheduler {
  return new Scheduler((ev) => (ev.fn as () => void)(), maxEvents);
}

describe('scheduler', () => {
  it('runs equal-time events in scheduling order, earlier times first', () => {
    const s = newScheduler();
    const order: string[] = [];
    // Many equal keys: a heap alone would not keep their insertion order.
    for (let i = 0; i < 200; i++) callAt(s, 100, () => order.push(`a${i}`));
    callAt(s, 50, () => order.push('early'));
    for (let i = 0; i < 200; i++) callAt(s, 100, () => order.push(`b${i}`));
    expect(s.runUntil(1000)).toBe('ok');
    const expected = ['early', ...Array.from({ length: 200 }, (_, i) => `a${i}`), ...Array.from({ length: 200 }, (_, i) => `b${i}`)];
    expect(order).toEqual(expected);
  });

  it('equal-time timers of actors fire in the order they were set', () => {
    const fired: number[] = [];
    probeWorld(['a', 'b'], {}, (p) => {
      for (let i = 0; i < 50; i++) p.env.setTimer(10, () => fired.push(i));
    }).runUntil(100);
    expect(fired).toEqual([...Array.from({ length: 50 }, (_, i) => i), ...Array.from({ length: 50 }, (_, i) => i)]);
  });

  it('runs events up to and including the target time, then sets now to it', () => {
    const s = newScheduler();
    const seen: number[] = [];
    callAt(s, 10, () => seen.push(s.now));
    callAt(s, 20, () => seen.push(s.now));
    callAt(s, 21, () => seen.push(s.now));
    s.runUntil(20);
    expect(seen).toEqual([10, 20]);
    expect(s.now).toBe(20);
    s.runUntil(30);
    expect(seen).toEqual([10, 20, 21]);
    expect(s.now).toBe(30);
  });

  it('never goes back in time and rejects non-integer absolute times', () => {
    const s = newScheduler();
    s.runUntil(100);
    expect(() => callAt(s, 99, () => {})).toThrow(SimAssertionError);
    expect(() => callAt(s, 100.5, () => {})).toThrow(SimAssertionError);
    expect(() => s.runUntil(50)).toThrow(SimAssertionError);
  });

  it('rounds non-integer delays and clamps negative ones to zero', () => {
    const s = newScheduler();
    const times: number[] = [];
    s.after(10.4, Object.assign(new SimEvent(EV_CALL, -1, 0), { fn: () => times.push(s.now) }));
    s.after(-5, Object.assign(new SimEvent(EV_CALL, -1, 0), { fn: () => times.push(s.now) }));
    expect(() => s.after(NaN, new SimEvent(EV_CALL, -1, 0))).toThrow(SimAssertionError);
    s.runUntil(100);
    expect(times).toEqual([0, 10]);
  });

  it('cancelled events never run, also after the heap is compacted', () => {
    const s = newScheduler();
    let ran = 0;
    const evs = Array.from({ length: 10_000 }, (_, i) => callAt(s, 1 + i, () => ran++));
    evs.forEach((ev, i) => { if (i % 10 !== 0) s.cancel(ev); });
    expect(s.pending).toBeLessThan(10_000); // compaction happened
    s.runUntil(20_000);
    expect(ran).toBe(1000);
    expect(s.eventsRun).toBe(1000);
  });

  it('a queue of mostly cancelled timers is rebuilt before it grows deep', () => {
    // As a model's long timeouts (max.poll.interval.ms, request timeouts) armed and cancelled by the
    // thousand: left in the heap until due they would make every push and pop walk a deeper tree.
    const s = newScheduler();
    for (let i = 0; i < 50; i++) callAt(s, 1_000_000 + i, () => undefined);
    let most = 0;
    for (let i = 0; i < 1000; i++) {
      s.cancel(callAt(s, 300_000 + i, () => undefined));
      most = Math.max(most, s.pending);
    }
    expect(most).toBeLessThan(200);
  });

  it('the event budget stops a self-rescheduling loop', () => {
    const world = probeWorld(['a'], { maxEvents: 5000 }, (p) => {
      const loop = (): void => { p.env.setTimer(0, loop); };
      loop();
    });
    expect(world.runUntil(1_000_000)).toBe('budget-exhausted');
    expect(world.eventsRun).toBe(5000);
    expect(world.now()).toBe(0);
    expect(probe(world, 'a').started).toBe(1);
  });
});

describe('scheduler after a throwing event', () => {
  it('removes the event that threw and keeps what it scheduled', () => {
    const s = newScheduler();
    const order: string[] = [];
    callAt(s, 10, () => {
      callAt(s, 20, () => order.push('successor'));
      throw new Error('boom');
    });
    callAt(s, 15, () => order.push('other'));
    expect(() => s.runUntil(100)).toThrow('boom');
    expect(s.runUntil(100)).toBe('ok');
    expect(order).toEqual(['other', 'successor']);
  });
});

describe('scheduler guards', () => {
  it('refuses a nested runUntil and ignores cancelling the running event', () => {
    const s = newScheduler();
    let nested: unknown;
    let self: SimEvent | null = null;
    let after = 0;
    self = callAt(s, 5, () => {
      try { s.runUntil(10); } catch (e) { nested = e; }
      s.cancel(self as SimEvent);
      callAt(s, 6, () => after++);
      // Enough cancellations to rebuild the heap while this event still sits at its root.
      for (let i = 0; i < 5000; i++) s.cancel(callAt(s, 7, () => after += 100));
      expect(s.pending).toBeLessThan(5000);
    });
    callAt(s, 8, () => after += 10);
    expect(s.runUntil(100)).toBe('ok');
    expect(nested).toBeInstanceOf(SimAssertionError);
    expect(after).toBe(11);
  });
});
