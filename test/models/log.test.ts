// ReplicaLog.load, the restart path: it must rebuild exactly the epoch cache that record-by-record
// appends build, keep a checkpointed empty epoch at the log end, refuse a log that cannot have come
// from append(), and never share its array with the disk snapshot it loaded from.
import { setFlagsFromString } from 'node:v8';
import { describe, expect, test } from 'vitest';
import type { Env } from '../../sim/env.js';
import { ReplicaLog, type EpochEntry } from '../../models/log.js';
import type { LogRecord } from '../../models/records.js';
import { batchOf, recordOf } from './records.js';
import { parseScenario } from '../../scenario/schema.js';
import { simulate } from '../../scenario/run.js';

const env = {
  assert(condition: boolean, message: string): void {
    if (!condition) throw new Error(message);
  },
} as unknown as Env;

function records(epochs: readonly number[]): LogRecord[] {
  return epochs.map((epoch, offset) => recordOf(offset, 1000 + offset, batchOf(offset, epoch)));
}

function appended(recs: readonly LogRecord[]): ReplicaLog {
  const log = new ReplicaLog(env, 0);
  for (const r of recs) log.append([r]);
  return log;
}

describe('ReplicaLog.load', () => {
  test('rebuilds the epoch cache that appends build, for runs of every length', () => {
    const shapes = [
      [],
      [0],
      [3, 3, 3, 3],
      [0, 1, 2, 3, 4],
      [0, 0, 0, 2, 2, 5, 9, 9, 9, 9, 9, 9, 9, 12],
      Array.from({ length: 5000 }, (_, i) => Math.floor(i / 7) * 2),
    ];
    for (const epochs of shapes) {
      const recs = records(epochs);
      const log = new ReplicaLog(env, 0);
      log.load(recs, []);
      expect(log.epochs).toEqual(appended(recs).epochs);
      expect(log.logEndOffset).toBe(recs.length);
    }
  });

  test('keeps a checkpointed epoch begun at the log end with nothing written, and no other', () => {
    const recs = records([1, 1, 4, 4]);
    const checkpoint: EpochEntry[] = [
      { epoch: 1, startOffset: 0 }, { epoch: 4, startOffset: 2 }, { epoch: 6, startOffset: 4 },
    ];
    const log = new ReplicaLog(env, 0);
    log.load(recs, checkpoint);
    expect(log.epochs).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 4, startOffset: 2 }, { epoch: 6, startOffset: 4 }]);
    const stale = new ReplicaLog(env, 0);
    stale.load(recs, [{ epoch: 5, startOffset: 3 }]); // below the log end: that epoch wrote nothing that survived
    expect(stale.epochs).toEqual([{ epoch: 1, startOffset: 0 }, { epoch: 4, startOffset: 2 }]);
  });

  test('refuses offsets that do not run 0…n-1, and epochs that go backwards', () => {
    const shifted = records([0, 0, 1]).map((r) => recordOf(r.offset + 1, r.value, r.batch));
    expect(() => new ReplicaLog(env, 0).load(shifted, [])).toThrow(/recovered offsets 1…3 for 3 records/);
    expect(() => new ReplicaLog(env, 0).load(records([2, 2, 1, 1]), [])).toThrow(/epoch 1 after 2 goes backwards/);
  });

  test('owns its records: truncating and appending leave the loaded array alone', () => {
    const recs = records([0, 0, 1, 1]);
    const snapshot = recs.slice();
    const log = new ReplicaLog(env, 0);
    log.load(snapshot, []);
    log.truncateTo(1);
    log.append(records([0, 5]).slice(1));
    expect(snapshot).toEqual(recs);
    expect(log.records.map((r) => r.batch.epoch)).toEqual([0, 5]);
  });

  test('refuses to load over records already there', () => {
    const log = appended(records([0]));
    expect(() => log.load(records([0]), [])).toThrow(/non-empty log/);
  });
});

// Holey arrays cost a hole check on every read and stay holey through every push, so a log that
// starts holey (a slice of the disk's frozen empty array did) or is recovered from holey pieces (the
// leader's new Array(count)) stays slower for the whole run. V8's own predicate says which it is.
describe('packed arrays', () => {
  setFlagsFromString('--allow-natives-syntax');
  // The intrinsic compiles only with the flag set first.
  const holey = new Function('a', 'return %HasHoleyElements(a)') as (a: readonly unknown[]) => boolean;

  test('a log loaded from an empty file is packed, and so is one loaded from packed records', () => {
    expect(holey(new Array(3))).toBe(true); // the predicate works
    const empty = new ReplicaLog(env, 0);
    empty.load(Object.freeze([]) as readonly LogRecord[], []);
    empty.append(records([0]));
    expect(holey(empty.records)).toBe(false);
    const loaded = new ReplicaLog(env, 0);
    loaded.load(records([0, 0, 1]), []);
    expect(holey(loaded.records)).toBe(false);
  });

  test('what a run writes to its logs, and a restart reads back, is packed', () => {
    const scenario = parseScenario({
      durationMs: 8000, producers: [{ messagesPerSec: 500 }],
      faults: { mode: 'script', steps: [{ atMs: 3000, fault: 'crash', node: 'b1' }, { atMs: 4000, fault: 'restart', node: 'b1' }] },
    }, 'packed');
    const { world } = simulate(scenario, 1);
    for (const broker of ['b1', 'b2', 'b3']) {
      const entries = world.diskEntries(broker, 'log-0');
      expect(entries.length).toBeGreaterThan(1000);
      expect(holey(entries)).toBe(false);
    }
  });
});
