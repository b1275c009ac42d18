// Kafka's RangeAssignor for one topic, run by the group leader: members sorted by member id, each
// gets a contiguous range of partitions, and the first (partitions mod members) get one extra.
// Deterministic: the same members and partition count always give the same assignment.
import type { MemberAssignment } from './group-messages.js';

export function rangeAssign(memberIds: readonly string[], partitions: number): MemberAssignment[] {
  const members = [...memberIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (members.length === 0) return [];
  const each = Math.floor(partitions / members.length);
  const extra = partitions % members.length;
  const out: MemberAssignment[] = [];
  let next = 0;
  members.forEach((memberId, i) => {
    const count = each + (i < extra ? 1 : 0);
    out.push({ memberId, partitions: Array.from({ length: count }, (_, k) => next + k) });
    next += count;
  });
  return out;
}
