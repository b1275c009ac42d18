// Is the system quiescent? The settle phase asks this every step (scenario/settle.ts) by reading the
// actors' public observation methods — counters and small snapshots, never a log — and names what
// is not: a partition without a leader or with a replica outside its ISR, a group that is not
// Stable with every partition owned by a live member, a member behind its partition's high
// watermark or busy processing or committing, a producer with sends outstanding. docs/settle.md
// lists every condition and the words each problem uses.
import type { NodeId } from '../sim/env.js';
import { Broker } from '../models/broker/broker.js';
import type { GroupSnapshot } from '../models/groups/group-coordinator.js';
import { Consumer, type ConsumerProgress } from '../models/clients/consumer.js';
import { activeController } from './active-controller.js';
import type { PartitionState } from '../models/history/history.js';
import { Producer } from '../models/clients/producer.js';
import { TxnProducer } from '../models/transactions/txn-producer.js';
import { Pipeline } from '../models/transactions/pipeline.js';
import type { BuiltRun, ConsumerGroupNodes } from './build.js';

/** One thing that is not quiescent. `key` identifies it across steps (how long it has been stuck). */
export interface Problem {
  readonly key: string;
  readonly text: string;
}

/** Kafka's names for the group states. */
const PHASE_NAMES: Readonly<Record<GroupSnapshot['phase'], string>> = {
  empty: 'Empty', preparing: 'PreparingRebalance', completing: 'CompletingRebalance', stable: 'Stable',
};

/** Everything that is not quiescent now, in a fixed order (partitions, groups, producers); empty when quiescent. */
export function quiescenceProblems(built: BuiltRun): Problem[] {
  const { world, layout } = built;
  const controller = activeController(world, layout);
  if (controller === null) {
    const text = layout.controllers === undefined ? `${layout.controller}: the controller is down` : 'no active controller (the metadata quorum has no leader)';
    return [{ key: layout.controller, text }];
  }
  const problems: Problem[] = [];
  for (const broker of layout.brokers) {
    if (controller.isBrokerUnfenced(broker)) continue;
    problems.push({ key: `${broker}:fenced`, text: `${broker}: not registered with the controller (${world.nodeState(broker)})` });
  }
  /** The leader's high watermark of each partition that is properly led. */
  const highWatermarks = new Map<number, number>();
  const states = controller.partitionStates();
  for (const state of states) partitionProblems(built, state, highWatermarks, problems);
  const offsets = layout.offsetsPartition === null ? undefined : states[layout.offsetsPartition];
  for (const group of built.groups) groupProblems(built, group, offsets, highWatermarks, problems);
  for (const id of built.producers) {
    const producer = world.actor(id);
    const pending = producer instanceof Producer || producer instanceof TxnProducer || producer instanceof Pipeline ? producer.pendingSends() : 0;
    if (pending > 0) problems.push({ key: `${id}:pending`, text: `${id}: ${pending} send${pending === 1 ? '' : 's'} outstanding` });
  }
  return problems;
}

function partitionName(built: BuiltRun, partition: number): string {
  return partition === built.layout.offsetsPartition ? '__consumer_offsets' : `p${partition}`;
}

/**
 * Led by an up broker that knows it leads this epoch; every replica in the ISR, following in this
 * epoch at the leader's log end; the HW at the log end.
 */
function partitionProblems(built: BuiltRun, state: PartitionState, highWatermarks: Map<number, number>, problems: Problem[]): void {
  const { world } = built;
  const name = partitionName(built, state.partition);
  const add = (what: string, text: string): void => {
    problems.push({ key: `${name}:${what}`, text: `${name}: ${text}` });
  };
  if (state.leader === null) return add('leader', `no leader (ISR [${state.isr.join(',')}])`);
  const leader = world.actor(state.leader);
  if (!(leader instanceof Broker)) return add('leader', `leader ${state.leader} is down`);
  const own = leader.replicaProgress(state.partition);
  if (own === null || own.role !== 'leader' || own.leaderEpoch !== state.leaderEpoch) {
    const as = own === null ? 'no replica' : `${own.role} in epoch ${own.leaderEpoch}`;
    return add('leader', `${state.leader} does not lead epoch ${state.leaderEpoch} yet (it is ${as})`);
  }
  for (const replica of state.replicas) {
    if (replica === state.leader) continue;
    const host = world.actor(replica);
    const progress = host instanceof Broker ? host.replicaProgress(state.partition) : null;
    const where = progress === null ? 'its log unknown' : `${replica} at offset ${progress.logEndOffset}`;
    if (!state.isr.includes(replica)) {
      add(`isr:${replica}`, `ISR [${state.isr.join(',')}] lacks ${replica} (${world.nodeState(replica)}): ${where}, leader at ${own.logEndOffset}`);
    } else if (progress === null || progress.role !== 'follower' || progress.leaderEpoch !== state.leaderEpoch || progress.logEndOffset !== own.logEndOffset) {
      const as = progress === null ? world.nodeState(replica) : `${progress.role} in epoch ${progress.leaderEpoch}`;
      add(`follower:${replica}`, `follower ${replica} not caught up in epoch ${state.leaderEpoch} (${as}): ${where}, leader at ${own.logEndOffset}`);
    }
  }
  if (own.highWatermark < own.logEndOffset) add('hw', `HW ${own.highWatermark} below the log end ${own.logEndOffset} on ${state.leader}: waiting for replication`);
  highWatermarks.set(state.partition, own.highWatermark);
}

/** The group's coordinator's view of it, or the reason there is none. */
function coordinatorView(built: BuiltRun, group: string, offsets: PartitionState | undefined): GroupSnapshot | string {
  const coordinator = offsets?.leader ?? null;
  if (coordinator === null) return 'no coordinator (__consumer_offsets has no leader)';
  const broker = built.world.actor(coordinator);
  const groups = broker instanceof Broker ? broker.coordinatedGroups() : null;
  if (groups === null) return `coordinator ${coordinator} has not loaded the groups yet`;
  return groups.find((g) => g.group === group) ?? `unknown to coordinator ${coordinator} (no member joined yet)`;
}

/**
 * Stable, every member a live consumer of this generation and every live consumer a member, every
 * data partition owned, every member polling at its partitions' high watermarks.
 */
function groupProblems(
  built: BuiltRun, nodes: ConsumerGroupNodes, offsets: PartitionState | undefined, highWatermarks: ReadonlyMap<number, number>, problems: Problem[],
): void {
  const { group } = nodes;
  const add = (what: string, text: string): void => {
    problems.push({ key: `${group}:${what}`, text: `${group}${text}` });
  };
  const view = coordinatorView(built, group, offsets);
  if (typeof view === 'string') return add('coordinator', `: ${view}`);
  const live = new Map<NodeId, ConsumerProgress>();
  for (const id of nodes.consumers) {
    const consumer = built.world.actor(id);
    if (consumer instanceof Consumer || consumer instanceof Pipeline) live.set(id, consumer.groupProgress());
    else add(`${id}:down`, `: ${id} is down`);
  }
  const liveIds = new Set([...live.values()].map((k) => k.memberId));
  if (view.phase !== 'stable') add('phase', `: ${PHASE_NAMES[view.phase]} in generation ${view.generation}`);
  for (const member of view.members) {
    if (liveIds.has(member.memberId)) continue;
    add(`stale:${member.memberId}`, `: ${member.client}'s old member ${member.memberId} still in the group: waiting for its session timeout`);
  }
  const memberIds = new Set(view.members.map((m) => m.memberId));
  const inGroup: [NodeId, ConsumerProgress][] = [];
  for (const [id, k] of live) {
    if (k.stable && k.generation === view.generation && memberIds.has(k.memberId)) {
      inGroup.push([id, k]);
      continue;
    }
    const member = k.memberId === '' ? 'no member id yet' : `member ${k.memberId}, generation ${k.generation}`;
    add(`${id}:member`, `: ${id} not in the group (${k.stable ? 'stable' : 'joining'}, ${member}; the group is ${PHASE_NAMES[view.phase]} in generation ${view.generation})`);
  }
  if (view.phase === 'stable') ownershipProblems(built, view, nodes.partitions, add);
  // A member outside the generation holds a stale assignment: its progress says nothing yet.
  for (const [id, k] of inGroup) progressProblems(id, k, highWatermarks, add);
}

function ownershipProblems(built: BuiltRun, view: GroupSnapshot, topic: readonly number[] | undefined, add: (what: string, text: string) => void): void {
  const owned = new Set(view.members.flatMap((m) => m.partitions));
  for (const p of topic ?? Array.from({ length: built.layout.dataPartitions }, (_, i) => i)) {
    if (!owned.has(p)) add(`p${p}:owner`, ` p${p}: assigned to no member in generation ${view.generation}`);
  }
}

/** Caught up: polling, at the high watermark of every partition it was assigned. */
function progressProblems(id: NodeId, k: ConsumerProgress, highWatermarks: ReadonlyMap<number, number>, add: (what: string, text: string) => void): void {
  if (k.app !== 'polling') add(`${id}:app`, `: ${id} is ${k.app}`);
  for (const p of k.assigned) {
    const hw = highWatermarks.get(p);
    if (hw === undefined) continue; // the partition's own problem says why
    const fetch = k.fetching.find((f) => f.partition === p);
    const position = fetch?.state === 'fetching' ? fetch.position : null;
    if (position === null) add(`p${p}:${id}`, ` p${p}: ${id} ${fetch === undefined ? 'has no position yet (fetching the committed offset)' : `is ${fetch.state}${fetch.position === null ? '' : ` at offset ${fetch.position}`}`}`);
    else if (position < hw) add(`p${p}:${id}`, ` p${p}: ${id} at offset ${position} < HW ${hw}`);
    else if (position > hw) add(`p${p}:${id}`, ` p${p}: ${id} at offset ${position}, past HW ${hw}`);
  }
}
