import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { concatAll } from '../../sim/disk.js';
import type { Disk } from '../../sim/env.js';
import type { World } from '../../sim/world.js';
import { probe, probeWorld, type Overrides } from './helpers.js';

// Default timing of the helpers: writeUs 50, fsyncUs 2000, dirtyExpireUs 30 s.

function disk(world: World, id = 'a'): Disk {
  return probe(world, id).env.disk;
}

function fault(world: World, t: number, f: 'crash' | 'power-loss' | 'restart', node = 'a'): void {
  world.at(t, () => world.applyFault({ atMs: 0, fault: f, node }));
}

/** Entries 1..n appended one per call at t = 0. */
function world(n: number, o: Overrides = {}): World {
  const w = probeWorld(['a'], o);
  w.at(0, () => { for (let i = 1; i <= n; i++) disk(w).append('log', [i], 10); });
  return w;
}

describe('disk', () => {
  it('appends land in the page cache after the write latency, in issue order', () => {
    const w = world(0);
    const done: string[] = [];
    w.at(0, () => {
      disk(w).fsync('log', () => done.push(`fsync@${w.now()}`));
      disk(w).append('log', ['x'], 10, () => done.push(`append@${w.now()}`));
    });
    w.at(49, () => done.push(`read@49:${disk(w).read('log').length}`));
    w.runUntil(10_000);
    // The append is fast but waits behind the fsync issued before it.
    expect(done).toEqual(['read@49:0', 'fsync@2000', 'append@2000']);
    expect(disk(w).read('log')).toEqual(['x']);
  });

  it('a crash keeps unsynced data in the page cache; a power loss drops it', () => {
    const crashed = world(3);
    fault(crashed, 1000, 'crash');
    fault(crashed, 2000, 'restart');
    crashed.runUntil(10_000);
    expect(disk(crashed).read('log')).toEqual([1, 2, 3]);

    const powered = world(3);
    powered.at(100, () => disk(powered).fsync('log'));
    powered.at(5000, () => disk(powered).append('log', [4, 5], 20));
    fault(powered, 6000, 'power-loss');
    fault(powered, 7000, 'restart');
    powered.runUntil(10_000);
    expect(disk(powered).read('log')).toEqual([1, 2, 3]);
    const loss = powered.trace.records?.find((r) => r.kind === 'disk-loss');
    expect(loss).toMatchObject({ node: 'a', file: 'log', lost: 2, kept: 3 });
  });

  it('a never-synced file disappears on power loss, but not on crash', () => {
    const w = world(2);
    fault(w, 1000, 'power-loss');
    fault(w, 2000, 'restart');
    w.runUntil(10_000);
    expect(disk(w).files()).toEqual([]);
    expect(w.diskFiles('a')).toEqual([]);
  });

  it('a crash drops pending operations and their callbacks never run', () => {
    const w = probeWorld(['a']);
    let called = 0;
    w.at(0, () => disk(w).append('log', [1], 10, () => called++));
    fault(w, 10, 'crash');
    fault(w, 20, 'restart');
    w.runUntil(10_000);
    expect(called).toBe(0);
    expect(disk(w).read('log')).toEqual([]);
  });

  it('fsync makes data durable when it completes, not before', () => {
    for (const [lossAt, expected] of [[1999, 0], [2001, 3]] as const) {
      const w = world(3);
      w.at(0, () => disk(w).fsync('log'));
      fault(w, lossAt, 'power-loss');
      fault(w, 5000, 'restart');
      w.runUntil(10_000);
      expect(disk(w).read('log')).toHaveLength(expected);
    }
  });

  it('write-back makes the whole file durable dirtyExpireUs after it first became dirty', () => {
    const run = (lossAt: number): number => {
      const w = world(1, { disk: { dirtyExpireUs: 5000 } }); // dirty at 50, write-back at 5050
      w.at(3000, () => disk(w).append('log', [2], 10)); // joins the same dirty period
      fault(w, lossAt, 'power-loss');
      fault(w, 20_000, 'restart');
      w.runUntil(30_000);
      return disk(w).read('log').length;
    };
    expect(run(5049)).toBe(0);
    expect(run(5051)).toBe(2);
    const w = world(1, { disk: { dirtyExpireUs: 5000 } });
    w.runUntil(30_000);
    expect(w.trace.records?.filter((r) => r.kind === 'disk-writeback')).toEqual([
      { t: 5050, kind: 'disk-writeback', node: 'a', file: 'log', durable: 1 },
    ]);
  });

  it('the dirty clock restarts after a file became clean', () => {
    const w = world(1, { disk: { dirtyExpireUs: 5000 } });
    w.at(100, () => disk(w).fsync('log')); // clean at 2100
    w.at(4000, () => disk(w).append('log', [2], 10)); // dirty again at 4050: write-back at 9050
    fault(w, 9000, 'power-loss');
    fault(w, 20_000, 'restart');
    w.runUntil(30_000);
    expect(disk(w).read('log')).toEqual([1]);
  });

  it('torn writes keep a prefix of the dirty tail, sometimes a strict non-empty one', () => {
    const lengths: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const w = world(2, { seed, disk: { tornWrites: true } });
      w.at(100, () => disk(w).fsync('log'));
      w.at(3000, () => { for (let i = 3; i <= 12; i++) disk(w).append('log', [i], 10); });
      fault(w, 5000, 'power-loss');
      fault(w, 6000, 'restart');
      w.runUntil(10_000);
      const got = disk(w).read('log');
      expect(got).toEqual(Array.from({ length: got.length }, (_, i) => i + 1));
      lengths.push(got.length);
    }
    expect(Math.min(...lengths)).toBeGreaterThanOrEqual(2);
    expect(Math.max(...lengths)).toBeLessThanOrEqual(12);
    expect(lengths.some((n) => n > 2 && n < 12)).toBe(true);
    expect(new Set(lengths).size).toBeGreaterThan(3);
  });

  it('a torn write keeps a prefix of whole log batches, never part of one', () => {
    const batch = (base: number, count: number) => ({ baseOffset: base, values: Array.from({ length: count }, (_, i) => base + i) });
    const kept = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const w = probeWorld(['a'], { seed, disk: { tornWrites: true } });
      const written = [batch(0, 10)];
      w.at(0, () => { disk(w).append('log', written, 1100); disk(w).fsync('log'); });
      w.at(5000, () => {
        for (let b = 1, offset = 10; b < 9; b += 2) {
          // Writes of two batches each (as a follower appends a fetch): the write may tear between them, a batch never.
          const pair = [batch(offset, 1 + b * 10), batch(offset + 1 + b * 10, 5)];
          offset += 6 + b * 10;
          written.push(...pair);
          disk(w).append('log', pair, 110 * (6 + b * 10));
        }
      });
      fault(w, 6000, 'power-loss');
      fault(w, 7000, 'restart');
      w.runUntil(8000);
      const got = disk(w).read('log') as readonly ReturnType<typeof batch>[];
      expect(got.length).toBeGreaterThanOrEqual(1);
      expect(got).toEqual(written.slice(0, got.length)); // whole batches, values and all, in order
      kept.add(got.length);
    }
    expect(kept.size).toBeGreaterThan(4); // torn at several places, inside writes too
    expect([...kept].some((n) => n % 2 === 0)).toBe(true);
  });

  it('truncate cuts the page cache; the durable copy keeps the old tail until the next sync', () => {
    const w = world(4);
    w.at(100, () => disk(w).fsync('log'));
    w.at(3000, () => disk(w).truncate('log', 2));
    w.at(3100, () => expect(disk(w).read('log')).toEqual([1, 2]));
    fault(w, 4000, 'power-loss');
    fault(w, 5000, 'restart');
    w.runUntil(10_000);
    expect(disk(w).read('log')).toEqual([1, 2, 3, 4]);
  });

  it('after a truncate, the durable data is the old tail, or a torn prefix of the new one over it, until a sync', () => {
    const run = (seed: number, tornWrites: boolean, syncAt: number | null): readonly unknown[] => {
      const w = world(4, { seed, disk: { tornWrites } });
      w.at(100, () => disk(w).fsync('log'));
      w.at(3000, () => disk(w).truncate('log', 2));
      w.at(3100, () => disk(w).append('log', [5, 6], 20));
      if (syncAt !== null) w.at(syncAt, () => disk(w).fsync('log'));
      fault(w, 8000, 'power-loss');
      fault(w, 9000, 'restart');
      w.runUntil(10_000);
      return disk(w).read('log');
    };
    expect(run(1, false, null)).toEqual([1, 2, 3, 4]);
    expect(run(1, false, 3200)).toEqual([1, 2, 5, 6]);
    const seen = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) seen.add(JSON.stringify(run(seed, true, null)));
    expect([...seen].sort()).toEqual(['[1,2,3,4]', '[1,2,5,6]', '[1,2,5]'].sort());
  });

  it('atomic replace survives power loss whole or not at all', () => {
    const run = (lossAt: number, tornWrites: boolean): readonly unknown[] => {
      const w = world(2, { disk: { tornWrites } });
      w.at(100, () => disk(w).fsync('log'));
      w.at(3000, () => disk(w).replace('log', [7, 8, 9], 30)); // done at 3000 + 50 + 2000
      fault(w, lossAt, 'power-loss');
      fault(w, 9000, 'restart');
      w.runUntil(10_000);
      return disk(w).read('log');
    };
    for (const torn of [false, true]) {
      expect(run(5049, torn)).toEqual([1, 2]);
      expect(run(5051, torn)).toEqual([7, 8, 9]);
    }
  });

  it('slow-disk multiplies the disk latency', () => {
    const w = probeWorld(['a']);
    const times: number[] = [];
    w.applyFault({ atMs: 0, fault: 'slow-disk', node: 'a', factor: 5 });
    w.at(0, () => disk(w).append('log', [1], 10, () => times.push(w.now())));
    w.at(0, () => disk(w).fsync('log', () => times.push(w.now())));
    w.runUntil(100_000);
    expect(times).toEqual([250, 10_000]);
  });

  it('reads are stable snapshots of the page cache', () => {
    const w = world(2);
    w.runUntil(1000);
    const first = disk(w).read('log');
    w.at(1000, () => disk(w).append('log', [3], 10));
    w.runUntil(2000);
    expect(first).toEqual([1, 2]);
    expect(disk(w).read('log')).toEqual([1, 2, 3]);
    // Unchanged files hand out the same snapshot (reads are free); a change makes a new one.
    expect(disk(w).read('log')).toBe(disk(w).read('log'));
    expect(disk(w).read('log')).not.toBe(first);
    expect(disk(w).read('missing')).toEqual([]);
  });

  it('completion events are reused: chained operations, held callbacks of a paused node and a crash keep every operation whole', () => {
    const w = probeWorld(['a']);
    const done: string[] = [];
    // Each callback issues the next operation, which reuses the event that just completed.
    const chain = (i: number): void => {
      if (i > 3) return;
      disk(w).append('log', [`c${i}`], 10, () => { done.push(`c${i}@${w.now()}`); chain(i + 1); });
    };
    w.at(0, () => chain(1));
    // Paused while two appends complete: both callbacks are held, and an operation issued by the
    // first (after resume) must not reuse the event still holding the second.
    w.at(1000, () => {
      disk(w).append('log', ['p1'], 10, () => { done.push(`p1@${w.now()}`); disk(w).fsync('log', () => done.push(`sync@${w.now()}`)); });
      disk(w).append('log', ['p2'], 10, () => done.push(`p2@${w.now()}`));
    });
    w.at(1010, () => w.applyFault({ atMs: 0, fault: 'pause', node: 'a' }));
    w.at(1500, () => w.applyFault({ atMs: 0, fault: 'resume', node: 'a' }));
    // A crash with an operation pending: its event comes back unused by anyone, and the next
    // incarnation's operations run whole.
    w.at(5000, () => disk(w).append('log', ['lost'], 10, () => done.push('lost')));
    fault(w, 5010, 'crash');
    fault(w, 5020, 'restart');
    w.at(6000, () => { for (const x of ['r1', 'r2']) disk(w).append('log', [x], 10, () => done.push(`${x}@${w.now()}`)); });
    w.runUntil(20_000);
    expect(done).toEqual(['c1@50', 'c2@100', 'c3@150', 'p1@1500', 'p2@1500', 'sync@3500', 'r1@6050', 'r2@6050']);
    expect(disk(w).read('log')).toEqual(['c1', 'c2', 'c3', 'p1', 'p2', 'r1', 'r2']);
  });

  // Whatever the mix of writes, cuts and replaces, and whenever reads come, a read must see exactly
  // what a flat file would hold, and keep seeing it (a snapshot) while later writes change the file.
  test.prop([fc.array(fc.oneof(
    // Small writes and cuts, and large ones that cross the page cache's 4,096-entry chunks.
    fc.record({ op: fc.constant('append' as const), n: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 500, max: 5000 })) }),
    fc.record({ op: fc.constant('truncate' as const), to: fc.oneof(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 40_000 })) }),
    fc.record({ op: fc.constant('replace' as const), n: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 6000 })) }),
  ), { maxLength: 30 }), fc.array(fc.boolean(), { minLength: 30, maxLength: 30 })])('reads see what a flat file would hold after any appends, truncates and replaces', (ops, readAfter) => {
    const w = probeWorld(['a']);
    const model: number[] = [];
    const seen: [number[], number[]][] = [];
    let next = 0;
    // Reads come after some operations only, as a broker's restarts come now and then.
    const look = (d: Disk, i: number): void => {
      if (readAfter[i] === true || i === ops.length - 1) seen.push([d.read('log') as number[], model.slice()]);
    };
    w.at(0, () => {
      for (const [i, step] of ops.entries()) {
        const d = disk(w);
        if (step.op === 'append' || step.op === 'replace') {
          const entries = Array.from({ length: step.n }, () => next++);
          const done = (): void => {
            if (step.op === 'replace') model.length = 0;
            model.push(...entries);
            look(d, i);
          };
          if (step.op === 'append') d.append('log', entries, 10, done);
          else d.replace('log', entries, 10, done);
        } else {
          d.truncate('log', step.to, () => {
            model.length = Math.min(model.length, step.to);
            look(d, i);
          });
        }
      }
    });
    w.runUntil(1_000_000);
    for (const [read, expected] of seen) expect(read).toEqual(expected);
    expect(seen.length).toBe(ops.filter((_, i) => readAfter[i] === true || i === ops.length - 1).length);
  });

  it('a file written in 10,000 appends reads back whole and in order, and after cuts and appends', () => {
    const w = world(10_000);
    w.runUntil(1_000_000);
    const all = Array.from({ length: 10_000 }, (_, i) => i + 1);
    expect(disk(w).read('log')).toEqual(all);
    w.at(w.now(), () => {
      disk(w).truncate('log', 9_990);
      disk(w).append('log', ['x'], 10);
    });
    w.runUntil(2_000_000);
    expect(disk(w).read('log')).toEqual([...all.slice(0, 9_990), 'x']);
    // A cut into the second joined chunk (entries 4,096…8,191), then writes after it.
    w.at(w.now(), () => {
      disk(w).truncate('log', 5_000);
      disk(w).append('log', ['y', 'z'], 10);
    });
    w.runUntil(3_000_000);
    expect(disk(w).read('log')).toEqual([...all.slice(0, 5_000), 'y', 'z']);
  });

  it('joins any number of pieces in order, in groups past what one call takes', () => {
    for (const n of [0, 1, 2, 4096, 4097, 20_000]) {
      const pieces = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? [] : [i, -i]));
      expect(concatAll(pieces)).toEqual(pieces.flat());
    }
  });
});
