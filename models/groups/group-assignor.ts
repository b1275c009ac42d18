// Kafka's RangeAssignor for one topic, run by the group leader: members in Kafka's MemberInfo order
// (static members by group.instance.id first, then dynamic ones by member id), each gets a
// contiguous range of partitions, and the first (partitions mod members) get one extra. Ordering
// static members by instance id keeps a restarted instance's range its own (KIP-345).
// Deterministic: the same members and partition count always give the same assignment.
import type { GroupMemberInfo, MemberAssignment } from './group-messages.js';

export function rangeAssign(memberInfos: readonly GroupMemberInfo[], partitions: number): MemberAssignment[] {
  const members = [...memberInfos].sort(compareMembers);
  if (members.length === 0) return [];
  const each = Math.floor(partitions / members.length);
  const extra = partitions % members.length;
  const out: MemberAssignment[] = [];
  let next = 0;
  members.forEach(({ memberId }, i) => {
    const count = each + (i < extra ? 1 : 0);
    out.push({ memberId, partitions: Array.from({ length: count }, (_, k) => next + k) });
    next += count;
  });
  return out;
}

/** As Kafka's AbstractPartitionAssignor.MemberInfo.compareTo. */
function compareMembers(a: GroupMemberInfo, b: GroupMemberInfo): number {
  if (a.groupInstanceId !== null && b.groupInstanceId !== null) return compareStrings(a.groupInstanceId, b.groupInstanceId);
  if (a.groupInstanceId !== null) return -1;
  if (b.groupInstanceId !== null) return 1;
  return compareStrings(a.memberId, b.memberId);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
