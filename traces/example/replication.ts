// The example's data plane. Phase one sends what the brokers would: each produce is appended by
// the leader it reaches and pulled by the followers (a follower's fetch waits at the leader until
// there is data, then the follower fetches again). Phase two derives the ISR changes (b3 drops
// out while paused and rejoins after; b1 rejoins b2's ISR after the heal). Phase three acks each
// record once every ISR member has fetched past it: the high watermark advances and the producer
// gets its answer. Records a cut strands are never acked.
import type { NodeId } from '../../sim/env.js';
import { VALUE_STRIDE } from '../../models/history/history.js';
import type { ControlTimes } from './control.js';
import { CUT, MS, PAUSE, type World } from './world.js';

const LAG_MAX = 800 * MS;
const RECORD_BYTES = 240;

export interface Append { readonly leader: NodeId; readonly offset: number; readonly value: number; readonly at: number; readonly sentAt: number }
export interface FetchArrival { readonly follower: NodeId; readonly leader: NodeId; readonly at: number; readonly fetchOffset: number }
export interface IsrChange { readonly leader: NodeId; readonly at: number; readonly isr: readonly NodeId[] }

export class Replication {
  readonly appends: Append[] = [];
  readonly fetches: FetchArrival[] = [];
  readonly isrChanges: IsrChange[] = [];
  /** Every FetchResponse delivered: followers learn the leader's high watermark from them. */
  readonly responses: { readonly follower: NodeId; readonly leader: NodeId; readonly sentAt: number; readonly at: number }[] = [];
  /** Produces that never got an answer (dropped, or stranded on the isolated leader). */
  readonly stranded: { readonly value: number; readonly sentAt: number }[] = [];
  private readonly logs = new Map<NodeId, number[]>([['b1', []], ['b2', []], ['b3', []]]);
  private readonly waiting = new Map<NodeId, NodeId>([['b2', 'b1'], ['b3', 'b1']]);

  constructor(private readonly w: World, times: ControlTimes) {
    this.isrChanges.push({ leader: 'b1', at: 0, isr: ['b1', 'b2', 'b3'] }, { leader: 'b2', at: times.b2LeaderAt, isr: ['b2', 'b3'] });
  }

  log(node: NodeId): number[] {
    return this.logs.get(node) ?? [];
  }

  /** A follower starts pulling from `leader`: its fetch waits there until data comes. */
  follow(follower: NodeId, leader: NodeId, t: number): void {
    const at = this.w.send(follower, leader, 'Fetch', t, 64);
    if (at === undefined) return;
    this.fetches.push({ follower, leader, at, fetchOffset: this.log(follower).length });
    this.waiting.set(follower, leader);
  }

  /** The leader answers a waiting fetch with what the follower lacks. */
  private replicate(leader: NodeId, follower: NodeId, t: number): void {
    this.waiting.delete(follower);
    const source = this.log(leader);
    const missing = source.length - this.log(follower).length;
    const at = this.w.send(leader, follower, 'FetchResponse', t, 80 + missing * RECORD_BYTES);
    if (at === undefined) return;
    this.responses.push({ follower, leader, sentAt: t, at });
    this.logs.set(follower, [...source]);
    this.w.add(at + this.w.jitter(20, 50), 'disk-write', follower, { file: 'p0.log', entries: missing, bytes: missing * RECORD_BYTES });
    this.follow(follower, leader, at + this.w.jitter(40, 90));
  }

  produce(t: number, n: number, leader: NodeId): void {
    const value = VALUE_STRIDE + n;
    this.w.add(t, 'send', 'p1', { value, partition: 0 });
    const arrived = this.w.send('p1', leader, 'Produce', t, RECORD_BYTES);
    if (arrived === undefined) {
      this.stranded.push({ value, sentAt: t });
      return;
    }
    const at = arrived + this.w.jitter(30, 80);
    const log = this.log(leader);
    this.appends.push({ leader, offset: log.length, value, at, sentAt: t });
    log.push(value);
    this.w.add(at, 'disk-write', leader, { file: 'p0.log', entries: 1, bytes: RECORD_BYTES });
    for (const [follower, waitsOn] of [...this.waiting]) {
      if (waitsOn === leader) this.replicate(leader, follower, at + this.w.jitter(20, 60));
    }
  }

  /** b1, back after the heal, cuts its log where it diverges from b2's and follows b2. */
  truncateB1(t: number): void {
    const mine = this.log('b1');
    const theirs = this.log('b2');
    let common = 0;
    while (common < mine.length && mine[common] === theirs[common]) common++;
    this.w.add(t, 'truncate', 'b1', { partition: 0, from: mine.length, to: common });
    this.w.add(t + 40, 'disk-truncate', 'b1', { file: 'p0.log', length: common });
    this.logs.set('b1', mine.slice(0, common));
    this.follow('b1', 'b2', t + 100);
  }

  /** The leader's log length at time t. */
  leoAt(leader: NodeId, t: number): number {
    return this.appends.reduce((leo, a) => (a.leader === leader && a.at <= t ? Math.max(leo, a.offset + 1) : leo), 0);
  }
}

/** AlterPartition to the controller; the leader's ISR changes once the controller answers. */
function alterIsr(w: World, r: Replication, leader: NodeId, t: number, isr: readonly NodeId[], partitionEpoch: number): void {
  const at = w.roundTrip(leader, 'c1', 'AlterPartition', 'AlterPartitionResponse', t);
  if (at === undefined) return;
  r.isrChanges.push({ leader, at, isr });
  w.add(at, 'isr', leader, { partition: 0, isr: [...isr], partitionEpoch });
}

/** When `follower` first fetched from `leader` with nothing missing, after `after`. */
function caughtUp(r: Replication, follower: NodeId, leader: NodeId, after: number): number | undefined {
  return r.fetches.find((f) => f.follower === follower && f.leader === leader && f.at > after && f.fetchOffset >= r.leoAt(leader, f.at))?.at;
}

export function deriveIsr(w: World, r: Replication, times: ControlTimes): void {
  const lastB3 = r.fetches.filter((f) => f.follower === 'b3' && f.at < PAUSE.from).at(-1)?.at ?? 0;
  alterIsr(w, r, 'b1', lastB3 + LAG_MAX, ['b1', 'b2'], 2);
  const b3Back = caughtUp(r, 'b3', 'b1', PAUSE.to);
  if (b3Back !== undefined) alterIsr(w, r, 'b1', b3Back + 50, ['b1', 'b2', 'b3'], 3);
  // Isolated, b1 tries to drop its silent followers; the controller never hears it.
  const lastFollower = r.fetches.filter((f) => f.leader === 'b1' && f.at < CUT.from).at(-1)?.at ?? CUT.from;
  w.roundTrip('b1', 'c1', 'AlterPartition', 'AlterPartitionResponse', lastFollower + LAG_MAX);
  const b1Back = caughtUp(r, 'b1', 'b2', times.b1FollowsAt);
  if (b1Back !== undefined) alterIsr(w, r, 'b2', b1Back + 50, ['b2', 'b3', 'b1'], 5);
  r.isrChanges.sort((a, b) => a.at - b.at);
}
