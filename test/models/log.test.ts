// ReplicaLog.load, the restart path: it must rebuild exactly the epoch cache that record-by-record
// appends build, keep a checkpointed empty epoch at the log end, refuse a log that cannot have come
// from append(), and never share its array with the disk snapshot it loaded from.
import { describe, expect, test } from 'vitest';
import type { Env } from '../../sim/env.js';
import { ReplicaLog, type EpochEntry } from '../../models/log.js';
import type { LogRecord } from '../../models/records.js';
import { batchOf, recordOf } from './records.js';

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
