// ReplicaLog, batch by batch: load (the restart path) must rebuild exactly the epoch cache that
// appends build, keep a checkpointed empty epoch at the log end, refuse a log that cannot have come
// from append(), and never share its array with the disk snapshot it loaded from; truncation cuts at
// batch boundaries, as Kafka's LogSegment.truncateTo does.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, test } from 'vitest';
import type { Env } from '../../sim/env.js';
import { ReplicaLog, type EpochEntry } from '../../models/replication/log.js';
import type { RecordBatch } from '../../models/replication/records.js';
import { logBatch as batchOf } from './records.js';
import { parseScenario } from '../../scenario/schema.js';
import { simulate } from '../../scenario/run.js';

const env = {
  assert(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
  },
} as unknown as Env;

/** Batches with the given epochs, each of `size` records, contiguous from offset 0. */
function batches(epochs: readonly number[], size = 1): RecordBatch[] {
  return epochs.map((epoch, i) => batchOf(i * size, epoch, size));
}

function appended(bs: readonly RecordBatch[]): ReplicaLog {
  const log = new ReplicaLog(env, 0);
  for (const b of bs) log.append([b]);
  return log;
}

describe('epochs that go backwards', () => {
  test('assert with leader epochs, and are kept out of the cache before KIP-101 (a diverged follower)', () => {
    const diverged = batches([0, 2, 2, 1, 1, 3]);
    expect(() => appended(diverged)).toThrow(/epoch 1 after 2 goes backwards/);
    const legacy = new ReplicaLog(env, 0, true);
    for (const b of diverged) legacy.append([b]);
    const cache = [{ epoch: 0, startOffset: 0 }, { epoch: 2, startOffset: 1 }, { epoch: 3, startOffset: 5 }];
    expect([legacy.logEndOffset, legacy.epochs]).toEqual([6, cache]);
    // The restart path keeps the same log and builds the same cache.
    expect(() => new ReplicaLog(env, 0).load(diverged, [])).toThrow(/recovered epoch 1 after 2 goes backwards/);
    const loaded = new ReplicaLog(env, 0, true);
    loaded.load(diverged, []);
    expect([loaded.logEndOffset, loaded.epochs]).toEqual([6, cache]);
  });
});

describe('ReplicaLog.load', () => {
  test('rebuilds the epoch cache that appends build, for logs of every length and batch size', () => {
    const shapes = [
      [],
      [0],
      [3, 3, 3, 3],
      [0, 1, 2, 3, 4],
      [0, 0, 0, 2, 2, 5, 9, 9, 9, 9, 9, 9, 9, 12],
      Array.from({ length: 5000 }, (_, i) => Math.floor(i / 7) * 2),
    ];
    for (const epochs of shapes) {
      for (const size of [1, 3]) {
        const bs = batches(epochs, size);
        const log = new ReplicaLog(env, 0);
        log.load(bs, []);
        expect(log.epochs).toEqual(appended(bs).epochs);
        expect(log.logEndOffset).toBe(epochs.length * size);
      }
    }
  });

  test('keeps a checkpointed epoch begun at the log end with nothing written, and no other', () => {
    const bs = batches([1, 1, 4, 4]);
    const checkpoint: EpochEntry[] = [
      { epoch: 1, startOffset: 0 }, { epoch: 4, startOffset: 2 }, { epoch: 6, startOffset: 4 },
    ];
    const log = new ReplicaLog(env, 0);
    log.load(bs, checkpoint);
    expect(log.epochs).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 4, startOffset: 2 }, { epoch: 6, startOffset: 4 }]);
    const stale = new ReplicaLog(env, 0);
    stale.load(bs, [{ epoch: 5, startOffset: 3 }]); // below the log end: that epoch wrote nothing that survived
    expect(stale.epochs).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 4, startOffset: 2 }]);
  });

  test('refuses batches that are not contiguous from 0, and epochs that go backwards', () => {
    const shifted = batches([0, 0, 1]).map((b) => batchOf(b.baseOffset + 1, b.epoch));
    expect(() => new ReplicaLog(env, 0).load(shifted, [])).toThrow(/recovered batch at offset 1 where 0 was expected/);
    expect(() => new ReplicaLog(env, 0).load(batches([2, 2, 1, 1]), [])).toThrow(/recovered epoch 1 after 2 goes backwards/);
  });

  test('owns its batches: truncating and appending leave the loaded array alone', () => {
    const bs = batches([0, 0, 1, 1]);
    const snapshot = bs.slice();
    const log = new ReplicaLog(env, 0);
    log.load(snapshot, []);
    log.truncateTo(1);
    log.append([batchOf(1, 5)]);
    expect(snapshot).toEqual(bs);
    expect(log.batches.map((b) => b.epoch)).toEqual([0, 5]);
  });

  test('refuses to load over batches already there', () => {
    const log = appended(batches([0]));
    expect(() => log.load(batches([0]), [])).toThrow(/non-empty log/);
  });
});

describe('ReplicaLog batches', () => {
  test('truncation keeps the batches wholly below the offset: one holding it goes whole', () => {
    const log = appended([batchOf(0, 1, 3), batchOf(3, 1, 3), batchOf(6, 2, 3)]);
    expect(log.epochs).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 2, startOffset: 6 }]);
    expect(log.truncateTo(7)).toBe(6);
    expect(log.logEndOffset).toBe(6);
    expect(log.epochs).toEqual([{ epoch: 1, startOffset: 0 }]);
    expect(log.truncateTo(3)).toBe(3);
    expect(log.batches).toHaveLength(1);
    expect(log.truncateTo(0)).toBe(0);
  });

  test('finds the batch holding an offset, and expands records only when asked', () => {
    const log = appended([batchOf(0, 1, 3), batchOf(3, 1, 1), batchOf(4, 2, 5)]);
    expect([0, 2, 3, 4, 8].map((o) => log.batchIndexOf(o))).toEqual([0, 0, 1, 2, 2]);
    expect(log.expandRecords().map((r) => [r.offset, r.value, r.batch.epoch])).toEqual(
      Array.from({ length: 9 }, (_, o) => [o, 1000 + o, o < 4 ? 1 : 2]));
  });

  test('refuses an append anywhere but at the log end', () => {
    const log = appended([batchOf(0, 1, 3)]);
    expect(() => log.append([batchOf(2, 1)])).toThrow(/append at offset 2, not at the log end 3/);
  });
});

// Holey arrays cost a hole check on every read and stay holey through every push, so a log that
// starts holey (a slice of the disk's frozen empty array did) stays slower for the whole run. V8's
// own predicate says which it is.
describe('packed arrays', () => {
  setFlagsFromString('--allow-natives-syntax');
  // The intrinsic compiles only with the flag set first.
  const holey = new Function('a', 'return %HasHoleyElements(a)') as (a: readonly unknown[]) => boolean;

  test('a log loaded from an empty file is packed, and so is one loaded from packed batches', () => {
    expect(holey(new Array(3))).toBe(true); // the predicate works
    const empty = new ReplicaLog(env, 0);
    empty.load(Object.freeze([]) as readonly RecordBatch[], []);
    empty.append(batches([0]));
    expect(holey(empty.batches)).toBe(false);
    const loaded = new ReplicaLog(env, 0);
    loaded.load(batches([0, 0, 1]), []);
    expect(holey(loaded.batches)).toBe(false);
  });

  test('what a run writes to its logs, and a restart reads back, is packed batches', () => {
    const scenario = parseScenario({
      durationMs: 8000, producers: [{ messagesPerSec: 500 }],
      faults: { mode: 'script', steps: [{ atMs: 3000, fault: 'crash', node: 'b1' }, { atMs: 4000, fault: 'restart', node: 'b1' }] },
    }, 'packed');
    const { world } = simulate(scenario, 1);
    for (const broker of ['b1', 'b2', 'b3']) {
      const entries = world.diskEntries(broker, 'log-0') as readonly RecordBatch[];
      expect(entries.length).toBeGreaterThan(500);
      expect(entries.reduce((n, b) => n + b.values.length, 0)).toBeGreaterThan(3000);
      expect(holey(entries)).toBe(false);
    }
  });
});
