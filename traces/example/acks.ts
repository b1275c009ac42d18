// The example's acknowledgements: a record is acked once every member of the leader's ISR (as
// the leader sees it then) has fetched past it. The leader's high watermark moves, the producer
// gets its answer, and followers learn the new high watermark from their next fetch response.
import type { NodeId } from '../../sim/env.js';
import type { Append, Replication } from './replication.js';
import type { World } from './world.js';

export interface Acked { readonly offset: number; readonly value: number; readonly at: number }
/** Per leader, its high watermark over time. */
export type HighWatermarks = Map<NodeId, { readonly at: number; readonly hw: number }[]>;

function isrOf(r: Replication, leader: NodeId, t: number): readonly NodeId[] | undefined {
  return r.isrChanges.filter((c) => c.leader === leader && c.at <= t).at(-1)?.isr;
}

function ackTime(r: Replication, append: Append): number | undefined {
  const candidates = [...r.fetches.filter((f) => f.leader === append.leader).map((f) => f.at),
    ...r.isrChanges.filter((c) => c.leader === append.leader).map((c) => c.at)]
    .filter((t) => t >= append.at).sort((a, b) => a - b);
  return candidates.find((t) => {
    const isr = isrOf(r, append.leader, t);
    return isr !== undefined && isr.every((f) => f === append.leader ||
      r.fetches.some((x) => x.follower === f && x.leader === append.leader && x.at <= t && x.fetchOffset > append.offset));
  });
}

/** Emits the leaders' high-watermark moves and the producer's acks; returns what was acked. */
export function acknowledge(w: World, r: Replication): { acked: Acked[]; hws: HighWatermarks } {
  const acked: Acked[] = [];
  const hws: HighWatermarks = new Map();
  const byTime = new Map<string, { leader: NodeId; at: number; appends: Append[] }>();
  for (const append of r.appends) {
    const at = ackTime(r, append);
    if (at === undefined) continue;
    const key = `${append.leader}@${at}`;
    const group = byTime.get(key) ?? { leader: append.leader, at, appends: [] };
    group.appends.push(append);
    byTime.set(key, group);
  }
  for (const { leader, at, appends } of [...byTime.values()].sort((a, b) => a.at - b.at)) {
    const hw = Math.max(...appends.map((a) => a.offset + 1));
    w.add(at + 15, 'hw', leader, { partition: 0, hw });
    hws.set(leader, [...(hws.get(leader) ?? []), { at: at + 15, hw }]);
    for (const append of appends) {
      const back = w.send(leader, 'p1', 'ProduceResponse', at + 25, 48);
      if (back === undefined) continue;
      w.add(back, 'send-ok', 'p1', { value: append.value, partition: 0, offset: append.offset });
      acked.push({ offset: append.offset, value: append.value, at: back });
    }
  }
  return { acked, hws };
}

export function hwAt(hws: HighWatermarks, leader: NodeId, t: number): number {
  return (hws.get(leader) ?? []).filter((h) => h.at <= t).at(-1)?.hw ?? 0;
}

/** Followers record the high watermark each fetch response carries, when it moved. */
export function followerHighWatermarks(w: World, r: Replication, hws: HighWatermarks): void {
  const last = new Map<NodeId, number>();
  for (const response of [...r.responses].sort((a, b) => a.at - b.at)) {
    const hw = hwAt(hws, response.leader, response.sentAt);
    if (hw <= (last.get(response.follower) ?? 0)) continue;
    last.set(response.follower, hw);
    w.add(response.at + 5, 'hw', response.follower, { partition: 0, hw });
  }
}
