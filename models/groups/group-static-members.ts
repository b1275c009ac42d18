// KIP-345 static membership, the coordinator's bookkeeping (Kafka's GroupMetadata.replaceStaticMember
// and GroupCoordinator.validateCurrentMember): a group maps each group.instance.id to the member id
// that instance holds now. An instance that joins again with no member id (it restarted) takes over
// its old member's place under a new member id, keeping its assignment; a request that names the
// old member id with that instance id is fenced (FENCED_INSTANCE_ID).
import type { NodeId } from '../../sim/env.js';
import type { GroupMemberInfo } from './group-messages.js';
import type { Group, Member } from './group-state.js';
import type { ErrorCode } from '../messages.js';

/**
 * Kafka's validateCurrentMember: the instance id (if any) must map to this member id, and the member
 * must exist; the member, or the error.
 */
export function currentMember(group: Group, memberId: string, groupInstanceId: string | null): Member | ErrorCode {
  if (groupInstanceId !== null) {
    const current = group.staticMembers.get(groupInstanceId);
    if (current === undefined) return 'UNKNOWN_MEMBER_ID';
    if (current !== memberId) return 'FENCED_INSTANCE_ID';
  }
  return group.members.get(memberId) ?? 'UNKNOWN_MEMBER_ID';
}

/**
 * Moves a static member to a new member id (and the client that joined with it); the leader moves
 * with it. The caller answers the old id's parked requests first: they are fenced.
 */
export function renameMember(group: Group, member: Member, newMemberId: string, client: NodeId): void {
  const oldMemberId = member.memberId;
  group.members.delete(oldMemberId);
  member.memberId = newMemberId;
  member.client = client;
  group.members.set(newMemberId, member);
  if (group.leader === oldMemberId) group.leader = newMemberId;
  if (member.groupInstanceId !== null) group.staticMembers.set(member.groupInstanceId, newMemberId);
}

/** Forgets a removed member's instance id, if it still maps to that member. */
export function forgetInstance(group: Group, member: Member): void {
  const instance = member.groupInstanceId;
  if (instance !== null && group.staticMembers.get(instance) === member.memberId) group.staticMembers.delete(instance);
}

/** The members as the leader's assignor sees them. */
export function memberInfos(group: Group): GroupMemberInfo[] {
  return [...group.members.values()].map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }));
}
