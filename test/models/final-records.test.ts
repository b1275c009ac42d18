import { describe, expect, it } from 'vitest';
import { finalRecordsOf } from '../../models/replication/records.js';
import { logBatch } from './records.js';

describe('finalRecordsOf (a replica\'s records in its final state)', () => {
  it('gives offset, epoch and value of every record, batch after batch', () => {
    const batches = [logBatch(0, 1, 1), logBatch(1, 1, 3), logBatch(4, 2, 1)];
    expect(finalRecordsOf(batches)).toEqual([
      { offset: 0, epoch: 1, value: 1000 }, { offset: 1, epoch: 1, value: 1001 }, { offset: 2, epoch: 1, value: 1002 },
      { offset: 3, epoch: 1, value: 1003 }, { offset: 4, epoch: 2, value: 1004 },
    ]);
  });

  it('shares the record objects of a batch between the replicas that hold it, so a final state is not one copy per replica', () => {
    const shared = [logBatch(0, 1, 1), logBatch(1, 1, 2)];
    const leader = finalRecordsOf([...shared, logBatch(3, 2, 1)]);
    const follower = finalRecordsOf(shared);
    expect(follower).toHaveLength(3);
    follower.forEach((record, i) => expect(record).toBe(leader[i]));
    // A batch of another replica with the same fields is another batch: its records are its own.
    expect(finalRecordsOf([logBatch(0, 1, 1)])[0]).not.toBe(leader[0]);
  });
});

describe('finalRecordsOf shares one build between replicas holding the same log', () => {
  it('gives the same array to replicas whose logs are the same batches', () => {
    const batches = [logBatch(0, 1, 2), logBatch(2, 1, 1)];
    const a = finalRecordsOf(batches);
    expect(finalRecordsOf([...batches])).toBe(a);
  });

  it('shares with the longest log built so far: a lagging replica first, then the leader, then a caught-up follower', () => {
    const common = [logBatch(0, 1, 1), logBatch(1, 1, 1)];
    const tail = [logBatch(2, 2, 2)];
    const lagging = finalRecordsOf(common);
    const leader = finalRecordsOf([...common, ...tail]);
    leader.slice(0, 2).forEach((record, i) => expect(record).toBe(lagging[i]));
    expect(finalRecordsOf([...common, ...tail])).toBe(leader);
    expect(finalRecordsOf(common)).toEqual(lagging);
  });

  it('builds its own records where a log diverges from the one known, keeping the common prefix', () => {
    const common = [logBatch(0, 1, 1)];
    const leader = finalRecordsOf([...common, logBatch(1, 2, 2)]);
    const diverged = finalRecordsOf([...common, logBatch(1, 1, 1)]);
    expect(diverged[0]).toBe(leader[0]);
    expect(diverged).toEqual([{ offset: 0, epoch: 1, value: 1000 }, { offset: 1, epoch: 1, value: 1001 }]);
    expect(leader[1]).toEqual({ offset: 1, epoch: 2, value: 1001 });
  });
});
