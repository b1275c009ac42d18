// The pure pieces of the group protocol: the range assignor and the replay of the offsets log.
import { describe, expect, test } from 'vitest';
import { rangeAssign } from '../../models/groups/group-assignor.js';
import type { GroupMemberInfo } from '../../models/groups/group-messages.js';
import type { GroupLogPayload } from '../../models/groups/group-records.js';
import type { MarkerPayload } from '../../models/transactions/txn-records.js';
import { INTERNAL_VALUE, loadGroups } from '../../models/groups/group-records.js';
import type { LogRecord } from '../../models/replication/records.js';
import { batchOf, recordOf } from './records.js';

function record(offset: number, payload: GroupLogPayload | MarkerPayload): LogRecord {
  return recordOf(offset, INTERNAL_VALUE, batchOf(offset, 1, -1, -1, -1, -1, [payload]));
}

/** Dynamic members with these ids. */
function dynamic(...ids: string[]): GroupMemberInfo[] {
  return ids.map((memberId) => ({ memberId, groupInstanceId: null }));
}

describe('range assignor', () => {
  test('members sorted by id get contiguous ranges; the first ones get the remainder', () => {
    expect(rangeAssign(dynamic('k2-b', 'k1-a', 'k3-c'), 7)).toEqual([
      { memberId: 'k1-a', partitions: [0, 1, 2] },
      { memberId: 'k2-b', partitions: [3, 4] },
      { memberId: 'k3-c', partitions: [5, 6] },
    ]);
  });

  test('more members than partitions: the last ones get nothing', () => {
    expect(rangeAssign(dynamic('b', 'a'), 1)).toEqual([{ memberId: 'a', partitions: [0] }, { memberId: 'b', partitions: [] }]);
    expect(rangeAssign([], 3)).toEqual([]);
  });

  test('every partition is assigned exactly once, whatever the order of members', () => {
    for (let members = 1; members <= 5; members++) {
      for (let partitions = 0; partitions <= 9; partitions++) {
        const ids = dynamic(...Array.from({ length: members }, (_, i) => `m${(i * 7) % members}-${i}`));
        const all = rangeAssign(ids, partitions).flatMap((a) => a.partitions).sort((x, y) => x - y);
        expect(all).toEqual(Array.from({ length: partitions }, (_, p) => p));
        expect(rangeAssign([...ids].reverse(), partitions)).toEqual(rangeAssign(ids, partitions));
      }
    }
  });

  test('static members come first, ordered by group.instance.id, whatever their member ids (KIP-345)', () => {
    const members: GroupMemberInfo[] = [
      { memberId: 'a-dynamic', groupInstanceId: null },
      { memberId: 'z-9f', groupInstanceId: 'app-1' },
      { memberId: 'b-01', groupInstanceId: 'app-2' },
    ];
    expect(rangeAssign(members, 3)).toEqual([
      { memberId: 'z-9f', partitions: [0] },
      { memberId: 'b-01', partitions: [1] },
      { memberId: 'a-dynamic', partitions: [2] },
    ]);
    // A restarted instance comes back under a new member id and keeps its range.
    const restarted = members.map((m) => (m.groupInstanceId === 'app-1' ? { ...m, memberId: '0-new' } : m));
    expect(rangeAssign(restarted, 3)[0]).toEqual({ memberId: '0-new', partitions: [0] });
  });
});

describe('loading groups from the offsets log', () => {
  const member = { memberId: 'k1-x', groupInstanceId: null, client: 'k1', sessionTimeoutUs: 1, rebalanceTimeoutUs: 2, partitions: [0] };

  test('the last group record and the last offset per partition win; data records are skipped', () => {
    const log: LogRecord[] = [
      record(0, { kind: 'group', group: 'g1', generation: 1, leader: 'k1-x', members: [member] }),
      record(1, { kind: 'offset', group: 'g1', partition: 0, offset: 10, leaderEpoch: 1, generation: 1, memberId: 'k1-x' }),
      recordOf(2, 5, batchOf(2, 1)),
      record(3, { kind: 'offset', group: 'g1', partition: 0, offset: 25, leaderEpoch: 2, generation: 1, memberId: 'k1-x' }),
      record(4, { kind: 'offset', group: 'g2', partition: 1, offset: 3, leaderEpoch: -1, generation: 4, memberId: 'k9-y' }),
      record(5, { kind: 'group', group: 'g1', generation: 2, leader: null, members: [] }),
    ];
    const groups = loadGroups(log);
    expect([...groups.keys()]).toEqual(['g1', 'g2']);
    const g1 = groups.get('g1')!;
    expect(g1.generation).toBe(2);
    expect(g1.members).toEqual([]);
    // The committed leader epoch (KIP-320) comes back with the offset.
    expect([...g1.offsets]).toEqual([[0, { partition: 0, offset: 25, leaderEpoch: 2 }]]);
    // A group known only from its commits keeps generation 0 until a group record names one.
    expect(groups.get('g2')!.generation).toBe(0);
    expect([...groups.get('g2')!.offsets]).toEqual([[1, { partition: 1, offset: 3, leaderEpoch: -1 }]]);
  });

  test('transactional offsets wait for their producer\'s marker: a commit materializes them, an abort drops them', () => {
    const txnOffset = (offset: number, partition: number, producerId: number) =>
      ({ kind: 'offset', group: 'g1', partition, offset, leaderEpoch: 1, generation: 1, memberId: 'k1-x', producerId }) as const;
    const marker = (commit: boolean, producerId: number, producerEpoch: number) => ({ kind: 'marker', commit, producerId, producerEpoch, coordinatorEpoch: 0 }) as const;
    const log: LogRecord[] = [
      record(0, { kind: 'offset', group: 'g1', partition: 0, offset: 5, leaderEpoch: 1, generation: 1, memberId: 'k1-x' }),
      record(1, txnOffset(10, 0, 7)),
      record(2, txnOffset(40, 1, 8)),
      record(3, marker(true, 7, 2)),
      record(4, txnOffset(20, 0, 7)),
      record(5, marker(false, 7, 3)),
      record(6, txnOffset(30, 0, 9)),
    ];
    const epochs = new Map<number, number>();
    const g1 = loadGroups(log, epochs).get('g1')!;
    // Producer 7's first commit materialized; its second was aborted; 8's and 9's are still pending.
    expect([...g1.offsets]).toEqual([[0, { partition: 0, offset: 10, leaderEpoch: 1 }]]);
    expect([...g1.pendingTxn.keys()]).toEqual([8, 9]);
    expect(g1.pendingTxn.get(9)!.get(0)!.offset).toBe(30);
    expect([...epochs]).toEqual([[7, 3]]);
  });
});
