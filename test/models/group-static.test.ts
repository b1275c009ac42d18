// KIP-345 static membership at the coordinator (GroupMembership driven directly, on a probe node's
// Env): a restarted instance that joins with no member id takes its old member's place in a Stable
// group without a rebalance (same generation, same partitions, the leader role with it); the old
// member id is fenced from then on (FENCED_INSTANCE_ID); a dynamic member in the same situation
// starts a rebalance; a failed write of the replacement undoes it; a replacement while the leader
// is assigning redoes the generation. Each test fails if the coordinator rebalanced, or kept the
// old id, where Kafka's GroupCoordinator does not. Then the same in whole runs: a restarted static
// consumer is back in its generation at once, a dynamic one costs a rebalance; a static member past
// max.poll.interval.ms sends no LeaveGroup.
import { describe, expect, test } from 'vitest';
import type { GroupResponse, JoinGroupRequest, JoinGroupResponse, SyncGroupResponse } from '../../models/groups/group-messages.js';
import { GroupMembership } from '../../models/groups/group-membership.js';
import type { Group } from '../../models/groups/group-state.js';
import { emptyGroup } from '../../models/groups/group-state.js';
import type { ErrorCode } from '../../models/messages.js';
import type { World } from '../../sim/world.js';
import { probe, probeWorld } from '../sim/helpers.js';
import { ops, run, scripted, traced } from './clients-harness.js';

const SECOND = 1_000_000;

interface Reply { readonly to: string; readonly msg: GroupResponse }

function coordinator(storeError: () => ErrorCode | null = () => null) {
  const world: World = probeWorld(['b1']);
  const env = probe(world, 'b1').env;
  const replies: Reply[] = [];
  let ids = 0;
  const membership = new GroupMembership({
    env,
    reply: (to, msg) => replies.push({ to: to.to, msg }),
    // The offsets partition's write, committed a millisecond later.
    storeGroup: (_group, done) => void env.setTimer(1000, () => done(storeError())),
    newMemberId: (_group, prefix) => `${prefix}-${++ids}`,
  });
  const group: Group = emptyGroup('g1');
  let requestId = 0;
  const join = (client: string, memberId: string, groupInstanceId: string | null): number => {
    const id = ++requestId;
    const req: JoinGroupRequest = { type: 'join-group', id, group: 'g1', memberId, groupInstanceId, sessionTimeoutUs: 10 * SECOND, rebalanceTimeoutUs: 10 * SECOND };
    membership.join(group, client, req);
    return id;
  };
  const sync = (client: string, memberId: string, groupInstanceId: string | null, assignments: { memberId: string; partitions: number[] }[] = []): number => {
    const id = ++requestId;
    membership.sync(group, client, { type: 'sync-group', id, group: 'g1', generation: group.generation, memberId, groupInstanceId, assignments });
    return id;
  };
  const answer = <T extends GroupResponse>(id: number): T => {
    const found = replies.find((r) => (r.msg as { id: number }).id === id);
    expect(found, `no answer to request ${id}`).toBeDefined();
    return found!.msg as T;
  };
  const heartbeat = (memberId: string, groupInstanceId: string | null) =>
    membership.heartbeat(group, { type: 'group-heartbeat', id: ++requestId, group: 'g1', generation: group.generation, memberId, groupInstanceId });
  return { world, group, join, sync, answer, heartbeat, replies };
}

/** Two members (instance ids app-1, app-2 or dynamic) in a Stable generation 1, app-1's member leading with partition 0. */
function stableGroup(staticIds: boolean, storeError?: () => ErrorCode | null) {
  const c = coordinator(storeError);
  const instance = (i: number) => (staticIds ? `app-${i}` : null);
  // Dynamic members first learn their id (KIP-394), then join with it; static ones join at once.
  const joins = [1, 2].map((i) => {
    const id = c.join(`k${i}`, '', instance(i));
    return staticIds ? id : c.join(`k${i}`, c.answer<JoinGroupResponse>(id).memberId, null);
  });
  c.world.runUntil(4 * SECOND);
  const first = c.answer<JoinGroupResponse>(joins[0]!);
  const second = c.answer<JoinGroupResponse>(joins[1]!);
  expect(first.error).toBeNull();
  expect(first.generation).toBe(1);
  const leads = first.leader === first.memberId ? 1 : 2;
  const [leader, follower] = leads === 1 ? [first, second] : [second, first];
  c.sync(`k${leads}`, leader.memberId, instance(leads), [
    { memberId: first.memberId, partitions: [0] }, { memberId: second.memberId, partitions: [1] },
  ]);
  c.sync(`k${3 - leads}`, follower.memberId, instance(3 - leads));
  c.world.runUntil(5 * SECOND);
  expect(c.group.phase).toBe('stable');
  return { ...c, k1: first, k2: second };
}

describe('static membership at the coordinator', () => {
  test('a restarted static member replaces its old member id: same generation, same partitions, no rebalance', () => {
    const c = stableGroup(true);
    expect(c.group.leader).toBe(c.k1.memberId);
    const rejoin = c.join('k1', '', 'app-1');
    // The replacement is written to the offsets partition before the member hears of it.
    expect(c.replies.some((r) => (r.msg as { id: number }).id === rejoin)).toBe(false);
    c.world.runUntil(6 * SECOND);
    const joined = c.answer<JoinGroupResponse>(rejoin);
    expect(joined.error).toBeNull();
    expect(joined.generation).toBe(1);
    expect(joined.memberId).not.toBe(c.k1.memberId);
    // It was the leader and leads again, but must not assign (JoinGroup v9 skipAssignment).
    expect(joined.leader).toBe(joined.memberId);
    expect(joined.skipAssignment).toBe(true);
    expect(c.group.phase).toBe('stable');
    expect(c.group.generation).toBe(1);
    const synced = c.answer<SyncGroupResponse>(c.sync('k1', joined.memberId, 'app-1'));
    expect(synced).toMatchObject({ error: null, partitions: [0] });
    // The other member noticed nothing; the old member id is fenced.
    expect(c.heartbeat(c.k2.memberId, 'app-2')).toBeNull();
    expect(c.heartbeat(joined.memberId, 'app-1')).toBeNull();
    expect(c.heartbeat(c.k1.memberId, 'app-1')).toBe('FENCED_INSTANCE_ID');
  });

  test('a restarted dynamic member is a new member: the group rebalances into a new generation', () => {
    const c = stableGroup(false);
    const first = c.join('k1', '', null);
    expect(c.answer<JoinGroupResponse>(first).error).toBe('MEMBER_ID_REQUIRED');
    c.join('k1', c.answer<JoinGroupResponse>(first).memberId, null);
    expect(c.group.phase).toBe('preparing');
    expect(c.group.members.size).toBe(3);
    expect(c.heartbeat(c.k2.memberId, null)).toBe('REBALANCE_IN_PROGRESS');
  });

  test('the old instance\'s parked join is fenced at once', () => {
    const c = stableGroup(true);
    // app-2's member starts a rebalance and parks its join; then a new app-2 process joins.
    const parked = c.join('k2', c.k2.memberId, 'app-2');
    expect(c.group.phase).toBe('preparing');
    const rejoin = c.join('k2', '', 'app-2');
    expect(c.answer<JoinGroupResponse>(parked).error).toBe('FENCED_INSTANCE_ID');
    // In PreparingRebalance the new member id simply takes part in the join.
    c.join('k1', c.k1.memberId, 'app-1');
    c.world.runUntil(6 * SECOND);
    const joined = c.answer<JoinGroupResponse>(rejoin);
    expect(joined.error).toBeNull();
    expect(joined.generation).toBe(2);
  });

  test('a replacement whose write fails is undone, and the join refused with the write\'s error', () => {
    let fail = false;
    const c = stableGroup(true, () => (fail ? 'NOT_COORDINATOR' : null));
    fail = true;
    const rejoin = c.join('k2', '', 'app-2');
    c.world.runUntil(6 * SECOND);
    expect(c.answer<JoinGroupResponse>(rejoin)).toMatchObject({ error: 'NOT_COORDINATOR', memberId: '' });
    expect(c.group.staticMembers.get('app-2')).toBe(c.k2.memberId);
    expect(c.heartbeat(c.k2.memberId, 'app-2')).toBeNull();
    expect(c.group.generation).toBe(1);
  });

  test('a replacement while the leader assigns redoes the generation (the assignment names the old id)', () => {
    const c = coordinator();
    const j1 = c.join('k1', '', 'app-1');
    c.world.runUntil(4 * SECOND);
    expect(c.group.phase).toBe('completing');
    const rejoin = c.join('k1', '', 'app-1');
    expect(c.answer<JoinGroupResponse>(j1).generation).toBe(1);
    // Its only member rejoined at once, so the new join phase completed at once: generation 2.
    expect(c.group.generation).toBe(2);
    expect(c.answer<JoinGroupResponse>(rejoin)).toMatchObject({ error: null, generation: 2 });
  });

  test('a static member removed by its session timeout frees its instance id', () => {
    const c = stableGroup(true);
    c.world.runUntil(5 * SECOND + 11 * SECOND);
    expect(c.group.members.size).toBe(0);
    expect(c.group.staticMembers.size).toBe(0);
  });
});

describe('static membership in a run: a restarted consumer keeps its place', () => {
  /** Two consumers, a partition each; k1 crashes at 8 s and is back at 10 s, inside its 10 s session. */
  const restartK1 = (groupInstanceId: string | null) => run(scripted({
    durationMs: 20000, settleMs: 10000, topic: { partitions: 2 },
    consumers: [{ count: 2, 'group.instance.id': groupInstanceId, commit: 'after-process', 'auto.offset.reset': 'earliest', 'session.timeout.ms': 10000 }],
  }, [{ atMs: 8000, fault: 'crash', node: 'k1' }, { atMs: 10000, fault: 'restart', node: 'k1' }]));

  test('with group.instance.id: the same generation and partitions, no rebalance; it resumes from its commits', () => {
    const out = restartK1('app');
    const [before, after, ...more] = ops(out, 'assign', 'k1');
    expect(more).toEqual([]);
    expect(after!.t).toBeGreaterThan(10_000_000);
    // Back within about a round trip of its restart, not after a rebalance.
    expect(after!.t).toBeLessThan(10_100_000);
    expect(after!.generation).toBe(before!.generation);
    expect(after!.partitions).toEqual(before!.partitions);
    expect(ops(out, 'assign', 'k2')).toHaveLength(1);
    expect(traced(out, 'group-rebalance').filter((r) => r.t > 8_000_000)).toEqual([]);
    expect(traced(out, 'group-member-replaced')).toHaveLength(1);
    // Only the group's start was a reset: the restarted instance had committed offsets.
    expect(ops(out, 'reset', 'k1').every((r) => r.t < 8_000_000)).toBe(true);
  });

  test('without it: the restarted consumer is a new member, and the group rebalances into a new generation', () => {
    const out = restartK1(null);
    const assigns = ops(out, 'assign', 'k1');
    const after = assigns.find((a) => a.t > 10_000_000);
    expect(after!.generation).toBe(assigns[0]!.generation + 1);
    expect(ops(out, 'assign', 'k2').map((a) => a.generation)).toEqual([1, 2]);
    expect(traced(out, 'group-rebalance').filter((r) => r.t > 8_000_000).length).toBeGreaterThan(0);
  });
});

describe('a static member stuck past max.poll.interval.ms', () => {
  const stuck = (groupInstanceId: string | null) => run({
    durationMs: 12000, settleMs: 0, faults: { mode: 'none' },
    consumers: [{ 'group.instance.id': groupInstanceId, commit: 'after-process', 'auto.offset.reset': 'earliest', processingMs: 100, 'session.timeout.ms': 6000, 'max.poll.interval.ms': 2000 }],
  });

  test('sends no LeaveGroup (Kafka ≥ 2.3): the coordinator drops it only when its session times out', () => {
    const out = stuck('slow');
    const [leave] = traced(out, 'leave-group', 'k1');
    expect(leave).toMatchObject({ reason: 'max.poll.interval.ms', sent: false });
    expect(traced(out, 'send', 'k1').filter((r) => r['msg'] === 'leave-group')).toEqual([]);
    const [removed] = traced(out, 'group-member-removed');
    expect(removed).toMatchObject({ reason: 'session-timeout' });
    expect(removed!.t - leave!.t).toBeGreaterThan(4_000_000);
  });

  test('a dynamic one leaves at once', () => {
    const out = stuck(null);
    const [leave] = traced(out, 'leave-group', 'k1');
    expect(leave).toMatchObject({ sent: true });
    const [removed] = traced(out, 'group-member-removed');
    expect(removed).toMatchObject({ reason: 'leave' });
    expect(removed!.t - leave!.t).toBeLessThan(10_000);
  });
});
