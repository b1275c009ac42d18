import { describe, expect, it } from 'vitest';
import type { Actor, Env } from '../../sim/env.js';
import { SimAssertionError } from '../../sim/errors.js';
import { World } from '../../sim/world.js';
import { config, msg, probe, probeWorld } from './helpers.js';

describe('node lifecycle', () => {
  it('pause holds timers and deliveries until resume, then runs them in their original order', () => {
    const log: string[] = [];
    const world = probeWorld(['a', 'b'], {}, (p) => {
      if (p.env.node !== 'a') return;
      p.env.setTimer(2000, () => log.push(`t1@${p.env.now()}`));
      p.env.setTimer(2500, () => log.push(`t2@${p.env.now()}`));
      p.env.setTimer(9000, () => log.push(`t3@${p.env.now()}`));
    });
    world.at(100, () => world.applyFault({ atMs: 0, fault: 'pause', node: 'a' }));
    world.at(1500, () => probe(world, 'b').env.send('a', msg(1))); // arrives 2500 while paused
    world.at(1600, () => probe(world, 'b').env.send('a', msg(2)));
    world.at(200, () => probe(world, 'a').env.disk.append('f', [1], 1, () => log.push(`disk@${world.now()}`)));
    world.at(5000, () => {
      expect(world.nodeState('a')).toBe('paused');
      world.applyFault({ atMs: 0, fault: 'resume', node: 'a' });
    });
    world.runUntil(20_000);
    expect(log).toEqual(['disk@5000', 't1@5000', 't2@5000', 't3@9000']);
    expect(probe(world, 'a').received.map((r) => [r.msg.n, r.t])).toEqual([[1, 5000], [2, 5000]]);
    // The disk itself did not wait: the page cache held the entry before resume.
    expect(world.trace.records?.find((r) => r.kind === 'disk-write')?.t).toBe(250);
  });

  it('restart builds a fresh actor that sees only the disk', () => {
    const built: Env[] = [];
    const stale: number[] = [];
    const world = new World(config());
    world.addNode('a', (env) => {
      built.push(env);
      let memory = 0;
      const actor: Actor & { memory(): number; recovered: number } = {
        recovered: -1,
        memory: () => memory,
        start() {
          actor.recovered = env.disk.read('state').length;
          memory = 42;
          env.disk.append('state', [env.now()], 8);
          env.setTimer(10_000, () => stale.push(built.indexOf(env)));
        },
        receive() {},
      };
      return actor;
    });
    world.start();
    world.at(1000, () => world.applyFault({ atMs: 0, fault: 'crash', node: 'a' }));
    world.at(2000, () => {
      expect(world.actor('a')).toBeUndefined();
      expect(world.nodeState('a')).toBe('crashed');
      world.applyFault({ atMs: 0, fault: 'restart', node: 'a' });
    });
    world.runUntil(30_000);
    expect(built).toHaveLength(2);
    expect(built[0]).not.toBe(built[1]);
    const actor = world.actor('a') as unknown as { recovered: number };
    expect(actor.recovered).toBe(1); // the first incarnation's append survived in the page cache
    expect(stale).toEqual([1]); // the dead incarnation's timer never fired
    const nodeRecords = world.trace.records?.filter((r) => r.kind === 'node').map((r) => [r.state, r.incarnation]);
    expect(nodeRecords).toEqual([['up', 1], ['crashed', 1], ['up', 2]]);
    expect(() => built[0]?.setTimer(1, () => {})).toThrow(/dead incarnation/);
  });

  it('restart of an up node and resume of a running node are no-ops', () => {
    let builds = 0;
    const world = new World(config());
    world.addNode('a', () => { builds++; return { start() {}, receive() {} }; });
    world.start();
    world.applyFault({ atMs: 0, fault: 'restart', node: 'a' });
    world.applyFault({ atMs: 0, fault: 'resume', node: 'a' });
    expect(builds).toBe(1);
    expect(world.nodeState('a')).toBe('up');
  });

  it('clock skew shifts env.now() but not the timers', () => {
    const world = probeWorld(['a']);
    const env = probe(world, 'a').env;
    const seen: number[] = [];
    world.at(1000, () => seen.push(env.now()));
    world.at(1000, () => world.applyFault({ atMs: 0, fault: 'clock-skew', node: 'a', offsetMs: 2000 }));
    world.at(1000, () => { seen.push(env.now()); env.setTimer(500, () => seen.push(env.now())); });
    world.at(3000, () => world.applyFault({ atMs: 0, fault: 'clock-skew', node: 'a', offsetMs: -0.5 }));
    world.at(3000, () => seen.push(env.now()));
    world.runUntil(10_000);
    expect(seen).toEqual([1000, 2_001_000, 2_001_500, 2500]);
  });

  it('cancelled timers do not fire; fired timers can be cancelled harmlessly', () => {
    const fired: string[] = [];
    const world = probeWorld(['a'], {}, (p) => {
      const t1 = p.env.setTimer(100, () => fired.push('t1'));
      const t2 = p.env.setTimer(200, () => { fired.push('t2'); p.env.cancelTimer(t2); });
      p.env.cancelTimer(t1);
    });
    world.runUntil(1000);
    expect(fired).toEqual(['t2']);
    expect(world.trace.records?.filter((r) => r.kind === 'timer')).toEqual([{ t: 200, kind: 'timer', node: 'a', id: 2 }]);
  });

  it('a timer set or cancelled from a firing timer in its reused slot behaves like any other', () => {
    const fired: string[] = [];
    let stale = -1;
    const world = probeWorld(['a'], {}, (p) => {
      const env = p.env;
      const first = env.setTimer(100, () => {
        fired.push(`first@${env.now()}`);
        stale = first;
        // Reuses the slot (and the event) of the timer that is running.
        const again = env.setTimer(50, () => fired.push(`again@${env.now()}`));
        env.cancelTimer(first); // already fired: must not touch `again`
        const doomed = env.setTimer(10, () => fired.push('doomed'));
        env.cancelTimer(doomed);
        env.setTimer(0, () => {
          fired.push(`zero@${env.now()}`);
          env.cancelTimer(stale); // an id two generations old
          const chained = env.setTimer(5, () => fired.push(`chained@${env.now()}`));
          expect(chained).not.toBe(again);
        });
        expect(again).not.toBe(first);
      });
    });
    world.runUntil(1000);
    expect(fired).toEqual(['first@100', 'zero@100', 'chained@105', 'again@150']);
  });

  it('cancelling a timer after it fired frees nothing: later timers keep their own slots', () => {
    const fired: string[] = [];
    const world = probeWorld(['a'], {}, (p) => {
      const env = p.env;
      const done = env.setTimer(10, () => fired.push('done'));
      env.setTimer(20, () => {
        env.cancelTimer(done); // fired 10 µs ago, its slot free and not yet reused
        // Three timers: a slot freed twice would be handed to two of them.
        env.setTimer(5, () => fired.push('x'));
        env.setTimer(6, () => fired.push('y'));
        env.setTimer(7, () => fired.push('z'));
      });
    });
    world.runUntil(1000);
    expect(fired).toEqual(['done', 'x', 'y', 'z']);
  });

  it('env.assert throws SimAssertionError with node and time', () => {
    const world = probeWorld(['a']);
    world.at(1234, () => probe(world, 'a').env.assert(false, 'hw <= leo'));
    let caught: unknown;
    try { world.runUntil(5000); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(SimAssertionError);
    expect(caught).toMatchObject({ node: 'a', timeUs: 1234, message: 'hw <= leo' });
  });

  it('power loss of a crashed node still loses its page cache', () => {
    const world = probeWorld(['a']);
    world.at(0, () => probe(world, 'a').env.disk.append('f', [1], 1));
    world.at(100, () => world.applyFault({ atMs: 0, fault: 'crash', node: 'a' }));
    world.at(200, () => world.applyFault({ atMs: 0, fault: 'power-loss', node: 'a' }));
    world.runUntil(1000);
    expect(world.nodeState('a')).toBe('powered-off');
    expect(world.diskEntries('a', 'f')).toEqual([]);
  });

  it('settle heals links, resumes, restarts and resets factors, and cancels faults not yet applied', () => {
    const world = probeWorld(['a', 'b', 'c', 'd']);
    world.scheduleFaults([
      { atMs: 1, fault: 'partition', isolate: ['a'] },
      { atMs: 1, fault: 'crash', node: 'b' },
      { atMs: 1, fault: 'pause', node: 'c' },
      { atMs: 1, fault: 'slow-net', node: 'd', factor: 100 },
      { atMs: 1, fault: 'clock-skew', node: 'd', offsetMs: 5000 },
      { atMs: 50, fault: 'crash', node: 'a' },
    ]);
    const applied: string[] = [];
    world.onFault((step, t) => applied.push(`${step.fault}@${t}`));
    world.runUntil(10_000);
    world.settle();
    expect(['a', 'b', 'c', 'd'].map((id) => world.nodeState(id))).toEqual(['up', 'up', 'up', 'up']);
    expect(probe(world, 'd').env.now()).toBe(10_000);
    world.at(10_000, () => probe(world, 'd').env.send('a', msg(1)));
    world.runUntil(100_000);
    expect(probe(world, 'a').received.map((r) => r.t)).toEqual([11_000]);
    expect(applied).toEqual(['partition@1000', 'crash@1000', 'pause@1000', 'slow-net@1000', 'clock-skew@1000']);
    expect(world.trace.records?.some((r) => r.kind === 'settle')).toBe(true);
  });
});
