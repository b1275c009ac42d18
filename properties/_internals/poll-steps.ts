// Walks each consumer's polls partition by partition and hands every step from a known position to
// the next polled record to a visitor. Shared by nonmonotonic-poll and poll-skip, which judge the
// same steps. The rules (docs/anomalies.md, "Positions"):
//
// - A consumer's position on a partition is where its last polled record says it reads next.
// - A `reset` of (consumer, partition) re-bases it at the reset's `to`: the consumer moved by itself
//   (auto.offset.reset, or KIP-320 truncation detection), so the jump is explained, not a skip or a
//   step back.
// - An `assign` keeps the positions of the partitions the new assignment still holds, as Jepsen's
//   checker does for :assign, but only when the consumer was in the group's previous generation too
//   (generation g, then g + 1): then nobody else can have consumed the partition in between. Any
//   other assign forgets every position (a consumer that missed a generation may have lost the
//   partition meanwhile).
// - A kept position is marked as crossing a rebalance: the first step after it carries the group's
//   last acknowledged commit for the partition. Under the EAGER protocol (ksim's) Kafka's
//   ConsumerCoordinator.onJoinPrepare revokes every partition and empties the assignment, so the new
//   generation's positions come from the committed offsets, which may lie below the position
//   (at-least-once); under COOPERATIVE, SubscriptionState.assignFromSubscribed keeps the state of a
//   retained partition, so the consumer goes on from its position. Both are accepted.
// - A `crash` of the consumer forgets everything: the restarted consumer starts from the committed
//   offsets.
import type { Micros, NodeId } from '../../sim/env.js';
import type { HistoryOp, ResetReason, Value } from '../../models/history/history.js';
import { valueLabel } from '../../models/history/history.js';
import { labelled } from './values.js';
import type { History } from '../../models/history/history-log.js';

/** Where a consumer stood before a step: after a polled record, or re-based by a reset. */
export type Position =
  | { readonly kind: 'poll'; readonly offset: number; readonly value: Value; readonly t: Micros; readonly next: number }
  | { readonly kind: 'reset'; readonly from: number | null; readonly reason: ResetReason; readonly t: Micros; readonly next: number };

export interface PolledAt {
  readonly offset: number;
  readonly value: Value;
  readonly t: Micros;
}

/** The step's position was kept across an assign (a rebalance within consecutive generations). */
export interface AcrossRebalance {
  readonly group: string;
  readonly generation: number;
  readonly assignedAtUs: Micros;
  /** The group's last acknowledged commit for the partition before the assign; null if none. */
  readonly committed: number | null;
}

export interface PollStep {
  readonly process: NodeId;
  readonly partition: number;
  /** Where the consumer stood; `previous.next` is the offset it should read next. */
  readonly previous: Position;
  readonly current: PolledAt;
  /** Non-null when the position was kept across a rebalance since `previous`. */
  readonly rebalance: AcrossRebalance | null;
}

interface Held {
  position: Position;
  rebalance: AcrossRebalance | null;
}

interface Consumer {
  readonly positions: Map<number, Held>;
  /** The group and generation of its latest assign; null before any. */
  membership: { readonly group: string; readonly generation: number } | null;
}

type AssignOp = Extract<HistoryOp, { kind: 'assign' }>;
type CommitOp = Extract<HistoryOp, { kind: 'commit-ok' | 'commit-fail' }>;
type ResetOp = Extract<HistoryOp, { kind: 'reset' }>;

/** Calls `visit` for every polled record of a partition whose consumer had a known position there. */
export function forEachPollStep(history: History, visit: (step: PollStep) => void): void {
  const consumers = new Map<NodeId, Consumer>();
  const committed = new Map<string, Map<number, number>>(); // group → partition → last commit-ok
  const consumerOf = (process: NodeId): Consumer => {
    let c = consumers.get(process);
    if (c === undefined) {
      c = { positions: new Map(), membership: null };
      consumers.set(process, c);
    }
    return c;
  };
  for (const i of history.objectRows()) {
    switch (history.kind(i)) {
      case 'poll': pollSteps(history, i, consumerOf(history.process(i)), visit); break;
      case 'reset': rebase(consumerOf(history.process(i)), history.at(i) as ResetOp); break;
      case 'assign': reassign(consumerOf(history.process(i)), history.at(i) as AssignOp, committed); break;
      case 'commit-ok': noteCommit(committed, history.at(i) as CommitOp); break;
      case 'crash': consumers.get(history.process(i))?.positions.clear(); break;
      default:
    }
  }
}

function pollSteps(history: History, i: number, consumer: Consumer, visit: (step: PollStep) => void): void {
  const process = history.process(i);
  const t = history.time(i);
  for (let k = history.recordsStart(i), end = history.recordsEnd(i); k < end; k++) {
    const partition = history.recordPartition(k);
    const offset = history.recordOffset(k);
    const value = history.recordValue(k);
    const held = consumer.positions.get(partition);
    if (held !== undefined) visit({ process, partition, previous: held.position, current: { offset, value, t }, rebalance: held.rebalance });
    consumer.positions.set(partition, { position: { kind: 'poll', offset, value, t, next: offset + 1 }, rebalance: null });
  }
}

function rebase(consumer: Consumer, op: ResetOp): void {
  consumer.positions.set(op.partition, { position: { kind: 'reset', from: op.from, reason: op.reason, t: op.t, next: op.to }, rebalance: null });
}

function reassign(consumer: Consumer, op: AssignOp, committed: ReadonlyMap<string, ReadonlyMap<number, number>>): void {
  const was = consumer.membership;
  consumer.membership = { group: op.group, generation: op.generation };
  if (was === null || was.group !== op.group || op.generation !== was.generation + 1) {
    consumer.positions.clear();
    return;
  }
  const kept = new Set(op.partitions);
  for (const [partition, held] of consumer.positions) {
    if (!kept.has(partition)) {
      consumer.positions.delete(partition);
      continue;
    }
    held.rebalance = {
      group: op.group, generation: op.generation, assignedAtUs: op.t,
      committed: committed.get(op.group)?.get(partition) ?? null,
    };
  }
}

function noteCommit(committed: Map<string, Map<number, number>>, op: CommitOp): void {
  let offsets = committed.get(op.group);
  if (offsets === undefined) {
    offsets = new Map();
    committed.set(op.group, offsets);
  }
  for (const { partition, offset } of op.offsets) offsets.set(partition, offset);
}

/** "offset 7 (p0:3) at 120µs" or "a truncation reset to offset 5 at 120µs", for case summaries. */
export function describePosition(position: Position): string {
  if (position.kind === 'poll') return `offset ${position.offset} (${valueLabel(position.value)}) at ${position.t}µs`;
  return `a ${position.reason} reset to offset ${position.next} at ${position.t}µs`;
}

/** A position as case fields. */
export function positionFields(position: Position): Record<string, number | string | null> {
  if (position.kind === 'poll') return { offset: position.offset, ...labelled(position.value), atUs: position.t };
  return { resetTo: position.next, resetFrom: position.from, reason: position.reason, atUs: position.t };
}

/** A kept-across-rebalance marker as case fields (null when the step crossed none). */
export function rebalanceFields(rebalance: AcrossRebalance | null): Record<string, number | string | null> | null {
  if (rebalance === null) return null;
  return { group: rebalance.group, generation: rebalance.generation, assignedAtUs: rebalance.assignedAtUs, committedOffset: rebalance.committed };
}
