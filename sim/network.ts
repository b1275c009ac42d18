// The simulated network: a NIC per node and a TCP-like connection per direction. A message waits
// for its sender's NIC, transmits for bytes*8/nicMbps µs, then travels a latency drawn per message;
// its arrival is clamped to the link's previous arrival so jitter never reorders a connection.
// Losses are decided lazily at arrival from the connection epoch stamped at send (a cut, a crash or
// a restart of either end breaks the connection), so no fault ever has to search the event queue.
//
// partitionMode 'retransmit' (opt-in) models a partition made by a firewall that drops packets
// (iptables DROP), as Jepsen makes them: a cut breaks no connection. What meets the cut is held and
// delivered after the heal, at the sender's next TCP retransmission (Linux: RTO from 200 ms,
// doubling, capped at 120 s, given up after tcp_retries2 = 15 retransmissions; a connection opened
// across the cut retries its SYN at 1 s doubling, tcp_syn_retries = 6). An actor may close its
// connection to a node (Env.closeConnection, Kafka's NetworkClient on a request timeout): later
// messages go on a new connection with a FIFO clamp of its own, while the old connection's data,
// once it was established, is still retransmitted by the sender's kernel and arrives after the heal;
// what the peer sends back on the old connection meets the closed socket and is lost.
import type { Message, NodeId, Random } from './env.js';
import { EV_DELIVER, SimEvent } from './event.js';
import { kernelKindId } from './kinds.js';
import { BROKE_BY_CUT, Links } from './links.js';
import { ST_CRASHED, ST_PAUSED, isDown } from './node-state.js';
import type { Scheduler } from './scheduler.js';
import type { TraceSink } from './trace.js';

export interface NetworkConfig {
  /** One-way link latency, drawn uniformly per message in [min, max], microseconds. */
  latencyMinUs: number;
  latencyMaxUs: number;
  /** Each node's outgoing NIC bandwidth, megabits per second (= bits per microsecond). */
  nicMbps: number;
  /** Chaos knobs of a misbehaving middlebox; all 0 for a well-behaved TCP network. */
  dropProbability: number;
  duplicateProbability: number;
  /** A reordered message gets an extra random delay and escapes the FIFO clamp. */
  reorderProbability: number;
  /**
   * What a cut does to connections: 'drop' (DESIGN.md: they break and what was in flight is lost,
   * the default) or 'retransmit' (they survive; what meets the cut arrives after the heal).
   */
  partitionMode?: PartitionMode;
}

export type PartitionMode = 'drop' | 'retransmit';

/** Linux's TCP_RTO_MIN: the first retransmission timeout of an established LAN connection. */
export const RTO_MIN_US = 200_000;
/** Linux's TCP_RTO_MAX: the retransmission timeout doubles up to it. */
export const RTO_MAX_US = 120_000_000;
/** Linux's net.ipv4.tcp_retries2 default: retransmissions before an established connection gives up (~924.6 s). */
export const TCP_RETRIES2 = 15;
/** Linux's TCP_TIMEOUT_INIT: the first SYN retransmission timeout. */
export const SYN_RTO_US = 1_000_000;
/** Linux's net.ipv4.tcp_syn_retries default. */
export const TCP_SYN_RETRIES = 6;

/**
 * When a connection whose first unacknowledged data was lost at `lostAtUs` next retransmits at or
 * after `nowUs`, or -1 when TCP has given up by then. Exponential backoff from the first timeout.
 */
export function nextRetransmitUs(lostAtUs: number, established: boolean, nowUs: number): number {
  let rto = established ? RTO_MIN_US : SYN_RTO_US;
  const tries = established ? TCP_RETRIES2 : TCP_SYN_RETRIES;
  let t = lostAtUs;
  for (let i = 0; i < tries; i++) {
    t += rto;
    if (t >= nowUs) return t;
    rto = Math.min(2 * rto, RTO_MAX_US);
  }
  return -1;
}

/** A message that met a cut in partitionMode retransmit: its delivery event, not yet scheduled. */
interface HeldMessage {
  readonly ev: SimEvent;
  /** When it was sent into the cut, or arrived at it: the retransmission timer's start. */
  readonly lostAtUs: number;
  /** Its connection had completed its handshake (else it waits on SYN retransmissions). */
  readonly established: boolean;
}

/** What the network needs to know about a node. */
export interface NetNode {
  readonly id: NodeId;
  readonly state: number;
  readonly slowNetFactor: number;
  /** Keeps an event of a paused node until it resumes. */
  hold(ev: SimEvent): void;
  /** Hands a message to the node's actor. */
  receive(from: NodeId, msg: Message): void;
}

const K_SEND = kernelKindId('send');
/** A connection reset: delivered to peers of a process that died with its OS up (Actor.disconnected). */
export const DISCONNECT: Message = Object.freeze({ type: 'disconnect' });

const K_DELIVER = kernelKindId('deliver');
const K_DROP = kernelKindId('drop');
const K_DUPLICATE = kernelKindId('duplicate');

const DROP_REASONS = ['cut', 'crashed', 'chaos', 'down', 'closed', 'timed-out'] as const;
const R_CUT = 0;
const R_CRASHED = 1;
const R_CHAOS = 2;
const R_DOWN = 3;
/** partitionMode retransmit: sent on a connection its sender closed before the handshake, or meeting the receiver's closed socket. */
const R_CLOSED = 4;
/** partitionMode retransmit: the sender's TCP gave up retransmitting before the heal. */
const R_TIMED_OUT = 5;

export class Network {
  readonly links: Links;
  private readonly n: number;
  /** When each node's NIC is next free (fractional µs: transmissions of small messages add up). */
  private readonly nicFreeUs: Float64Array;
  /** Latest arrival time scheduled on each directed link: the FIFO clamp. */
  private readonly lastArrivalUs: Float64Array;
  private readonly latencyMinUs: number;
  private readonly latencyMaxUs: number;
  /** NIC transmission time of one byte: 8 bits at nicMbps bits per microsecond. */
  private readonly usPerByte: number;
  private nextMessageId = 1;
  /** partitionMode retransmit: cuts hold messages instead of dropping them. */
  private readonly retransmit: boolean;
  /** Connection generation of each directed link: Env.closeConnection starts a new one (both directions). */
  private readonly conn: Uint32Array;
  /** Messages on a link with a generation below this meet a socket their receiver closed. */
  private readonly closedBelow: Uint32Array;
  /** Messages held by a cut, per directed link, in the order they met it (partitionMode retransmit). */
  private readonly held = new Map<number, HeldMessage[]>();
  /** partitionMode retransmit: when a connection released across a heal completes its handshake (its SYN's retransmission). */
  private readonly synDoneUs = new Map<number, number>();
  /** Connections (`link:generation`) closed before their handshake: their data never left the sender. */
  private readonly abandoned = new Set<string>();
  /**
   * Delivery events done with, for reuse: reused events soon live in V8's old generation, where
   * moving them around the event heap costs no write-barrier slow path, and a message allocates no
   * event. An event returns here only once its message was delivered or dropped, never while it is
   * queued or held by a paused node.
   */
  private readonly spareEvents: SimEvent[] = [];

  constructor(
    private readonly nodes: readonly NetNode[],
    private readonly sched: Scheduler,
    private readonly trace: TraceSink,
    private readonly config: NetworkConfig,
    private readonly random: Random,
  ) {
    this.n = nodes.length;
    this.retransmit = config.partitionMode === 'retransmit';
    this.links = new Links(this.n, this.retransmit);
    this.conn = new Uint32Array(this.n * this.n);
    this.closedBelow = new Uint32Array(this.n * this.n);
    this.nicFreeUs = new Float64Array(this.n);
    this.lastArrivalUs = new Float64Array(this.n * this.n);
    this.latencyMinUs = Math.round(config.latencyMinUs);
    this.latencyMaxUs = Math.round(config.latencyMaxUs);
    this.usPerByte = 8 / config.nicMbps;
  }

  send(from: number, to: number, msg: Message, bytes: number): void {
    const now = this.sched.now;
    const id = this.nextMessageId++;
    const src = this.nodes[from] as NetNode;
    const dst = this.nodes[to] as NetNode;
    const type = msg.type;
    this.traceSend(now, src, from, to, type, id, bytes);
    const link = from * this.n + to;
    if (this.links.cut[link] === 1) {
      if (this.retransmit) return this.holdSent(now, from, to, link, msg, id);
      return this.traceDrop(now, dst, to, from, src, type, id, R_CUT);
    }
    if (this.retransmit) this.links.established[link] = 1;
    const cfg = this.config;
    const rnd = this.random;
    if (cfg.dropProbability > 0 && rnd.chance(cfg.dropProbability)) {
      return this.traceDrop(now, dst, to, from, src, type, id, R_CHAOS);
    }
    const arrival = this.arrivalTime(now, from, link, bytes, src.slowNetFactor, dst.slowNetFactor);
    this.schedule(arrival, from, to, link, msg, id);
    if (cfg.duplicateProbability > 0 && rnd.chance(cfg.duplicateProbability)) {
      this.schedule(arrival + rnd.int(0, this.latencyMaxUs), from, to, link, msg, id);
      this.traceDuplicate(now, src, from, to, type, id);
    }
  }

  private arrivalTime(now: number, from: number, link: number, bytes: number, slowFrom: number, slowTo: number): number {
    const nicStart = Math.max(now, this.nicFreeUs[from] as number);
    const nicDone = nicStart + bytes * this.usPerByte * slowFrom;
    this.nicFreeUs[from] = nicDone;
    const min = this.latencyMinUs;
    const max = this.latencyMaxUs;
    // random.int's formula without its argument checks (min and max were validated once).
    const draw = min === max ? min : min + Math.floor(this.random.next() * (max - min + 1));
    const latency = draw * (slowFrom > slowTo ? slowFrom : slowTo);
    let arrival = Math.round(nicDone + latency);
    const p = this.config.reorderProbability;
    if (p > 0 && this.random.chance(p)) {
      // Out of order on purpose: a late extra delay, and the FIFO clamp does not apply.
      return arrival + this.random.int(1, 4 * Math.max(max, 1));
    }
    const last = this.lastArrivalUs[link] as number;
    if (arrival < last) arrival = last;
    this.lastArrivalUs[link] = arrival;
    return arrival;
  }

  private schedule(arrival: number, from: number, to: number, link: number, msg: Message, id: number): void {
    // Integer (rounded, or now plus an integer draw) and never before now: no checks needed.
    this.sched.atKnown(arrival, this.deliveryEvent(from, to, link, msg, id));
  }

  /** A delivery event for a message on a link, reused from the spares when one is free. */
  private deliveryEvent(from: number, to: number, link: number, msg: Message, id: number): SimEvent {
    let ev = this.spareEvents.pop();
    if (ev === undefined) ev = new SimEvent(EV_DELIVER, to, 0);
    else ev.node = to;
    ev.from = from;
    ev.epoch = this.links.epoch[link] as number;
    ev.id = id;
    ev.ref = msg;
    // A delivery event's `life` carries its connection generation (0 unless partitionMode retransmit).
    ev.life = this.conn[link] as number;
    return ev;
  }

  /** A message arrives: it is delivered unless its connection broke meanwhile. */
  deliver(ev: SimEvent): void {
    const to = ev.node;
    const from = ev.from;
    const dst = this.nodes[to] as NetNode;
    const link = from * this.n + to;
    if (isDown(dst.state) || ev.epoch !== this.links.epoch[link]) {
      // The receiver being down explains the loss best; otherwise the link's last break does.
      const reason = isDown(dst.state) ? R_DOWN : this.links.broken[link] === BROKE_BY_CUT ? R_CUT : R_CRASHED;
      const src = this.nodes[from] as NetNode;
      this.traceDrop(this.sched.now, dst, to, from, src, (ev.ref as Message).type, ev.id, reason);
      // A crashed process on a live machine: its OS refuses the connection, and the sender hears so.
      if (dst.state === ST_CRASHED && ev.ref !== DISCONNECT) this.refuse(to, from);
      return this.spare(ev);
    }
    // Only in partitionMode retransmit can a message meet a cut its connection outlived.
    if (this.links.cut[link] === 1) return this.holdArrived(ev, link);
    if (ev.life !== this.conn[link] && this.closedOld(ev, link)) {
      this.traceDrop(this.sched.now, dst, to, from, this.nodes[from] as NetNode, (ev.ref as Message).type, ev.id, R_CLOSED);
      return this.spare(ev);
    }
    if (dst.state === ST_PAUSED) return dst.hold(ev);
    const src = this.nodes[from] as NetNode;
    const msg = ev.ref as Message;
    this.traceDeliver(this.sched.now, dst, to, from, src, msg.type, ev.id);
    // Spared before the actor runs: the reply it sends may reuse the event (the scheduler lets an
    // event's first successor take its place at the root), and a throwing actor ends the run anyway.
    this.spare(ev);
    dst.receive(src.id, msg);
  }

  private spare(ev: SimEvent): void {
    ev.ref = null;
    this.spareEvents.push(ev);
  }

  /**
   * The node's process died: its connections break and whatever waited in its NIC queue is gone.
   * With `reset` (the OS is still up) every peer it has an open link to gets a DISCONNECT after one
   * latency, as a TCP reset would arrive; a power loss (no OS left) tells nobody.
   */
  nodeDown(index: number, reset: boolean): void {
    this.links.breakNode(index);
    const now = this.sched.now;
    this.nicFreeUs[index] = now;
    if (!reset) return;
    const src = this.nodes[index] as NetNode;
    for (let to = 0; to < this.n; to++) {
      const dst = this.nodes[to] as NetNode;
      const link = index * this.n + to;
      if (to === index || isDown(dst.state) || this.links.cut[link] === 1) continue;
      const id = this.nextMessageId++;
      this.traceSend(now, src, index, to, DISCONNECT.type, id, 0);
      this.schedule(now + this.random.int(this.latencyMinUs, this.latencyMaxUs), index, to, link, DISCONNECT, id);
    }
  }

  /**
   * partitionMode retransmit: a message sent into a cut waits in its sender's TCP send queue. Its
   * NIC time is not counted (a held backlog goes out at once after the heal).
   */
  private holdSent(now: number, from: number, to: number, link: number, msg: Message, id: number): void {
    this.hold(this.deliveryEvent(from, to, link, msg, id), link, now, this.links.established[link] === 1);
  }

  /** partitionMode retransmit: a message in flight met a cut (its connection was established). */
  private holdArrived(ev: SimEvent, link: number): void {
    // A reset is not retransmitted: it is lost like any segment, and the connection stays as it was.
    if (ev.ref === DISCONNECT) {
      this.traceDrop(this.sched.now, this.nodes[ev.node] as NetNode, ev.node, ev.from, this.nodes[ev.from] as NetNode, DISCONNECT.type, ev.id, R_CUT);
      return this.spare(ev);
    }
    this.hold(ev, link, this.sched.now, true);
  }

  private hold(ev: SimEvent, link: number, now: number, established: boolean): void {
    let list = this.held.get(link);
    if (list === undefined) {
      list = [];
      this.held.set(link, list);
    }
    list.push({ ev, lostAtUs: now, established });
    const tr = this.trace;
    const type = (ev.ref as Message).type;
    tr.beginNamed(now, 'hold', ev.node);
    tr.pairSym(ev.from, type);
    tr.mix(ev.id);
    if (tr.recording) {
      tr.push({ t: now, kind: 'hold', node: (this.nodes[ev.node] as NetNode).id, from: (this.nodes[ev.from] as NetNode).id, msg: type, id: ev.id, conn: ev.life });
    }
  }

  /**
   * partitionMode retransmit: the links are open again. Each connection's held messages leave at
   * its next retransmission and arrive, in order, one latency later; new messages on the same
   * connection queue behind them (the FIFO clamp). A connection TCP gave up on loses them.
   */
  private releaseHeld(healed: readonly number[]): void {
    const now = this.sched.now;
    for (const link of healed) {
      const list = this.held.get(link);
      if (list === undefined || this.links.cut[link] === 1) continue;
      this.held.delete(link);
      // Per connection generation, in the order their first message met the cut.
      const byConn = new Map<number, HeldMessage[]>();
      for (const h of list) {
        const group = byConn.get(h.ev.life);
        if (group === undefined) byConn.set(h.ev.life, [h]);
        else group.push(h);
      }
      for (const [conn, group] of byConn) {
        const first = group[0] as HeldMessage;
        const current = conn === this.conn[link];
        const at = nextRetransmitUs(first.lostAtUs, first.established, now);
        if (at < 0) {
          for (const h of group) this.dropHeld(h.ev, R_TIMED_OUT);
          // The connection is dead: the next message opens a new one.
          if (current) {
            this.newConnection(link);
            this.synDoneUs.delete(link);
          }
          continue;
        }
        const arrival = at + this.random.int(this.latencyMinUs, this.latencyMaxUs);
        if (current) {
          if (!first.established) this.synDoneUs.set(link, at);
          this.links.established[link] = 1;
          if (arrival > (this.lastArrivalUs[link] as number)) this.lastArrivalUs[link] = arrival;
        }
        for (const h of group) this.sched.atKnown(arrival, h.ev);
      }
    }
  }

  /** A message of an old connection: lost if its receiver closed it, or its sender closed it before the handshake. */
  private closedOld(ev: SimEvent, link: number): boolean {
    return ev.life < (this.closedBelow[link] as number) || this.abandoned.has(`${link}:${ev.life}`);
  }

  private dropHeld(ev: SimEvent, reason: number): void {
    const to = ev.node;
    const from = ev.from;
    this.traceDrop(this.sched.now, this.nodes[to] as NetNode, to, from, this.nodes[from] as NetNode, (ev.ref as Message).type, ev.id, reason);
    this.spare(ev);
  }

  private newConnection(link: number): void {
    this.conn[link] = ((this.conn[link] as number) + 1) >>> 0;
    this.links.established[link] = 0;
    this.lastArrivalUs[link] = 0;
  }

  /**
   * `from` closes its connection to `to` (Env.closeConnection). partitionMode drop keeps one
   * connection per pair of nodes (DESIGN.md), and this does nothing. In retransmit mode both
   * directions start a new connection with a FIFO clamp of its own; what `from` had sent on the old
   * one still arrives once it was established (its kernel keeps retransmitting a closed socket's
   * data), and is dropped if the handshake never completed; what `to` sent back on it is lost.
   */
  closeConnection(from: number, to: number): void {
    if (!this.retransmit || from === to) return;
    const link = from * this.n + to;
    const back = to * this.n + from;
    const old = this.conn[link] as number;
    const synDone = this.synDoneUs.get(link);
    const wasEstablished = this.links.established[link] === 1 && (synDone === undefined || synDone <= this.sched.now);
    this.synDoneUs.delete(link);
    this.newConnection(link);
    this.newConnection(back);
    this.closedBelow[back] = this.conn[back] as number;
    if (wasEstablished) return;
    // Closed while still connecting: what it was to carry never left (nor will arrive).
    this.abandoned.add(`${link}:${old}`);
    const list = this.held.get(link);
    if (list === undefined) return;
    const keep = list.filter((h) => h.ev.life !== old);
    for (const h of list) if (h.ev.life === old) this.dropHeld(h.ev, R_CLOSED);
    if (keep.length === 0) this.held.delete(link);
    else this.held.set(link, keep);
  }

  /**
   * Links a cut broke are open again: the connection across them is dead (DESIGN: a cut breaks it),
   * and both ends find out as soon as they can reach each other — a reset each way. Without it a
   * request dropped by the cut would wait out its whole timeout, where real TCP would have
   * retransmitted it after the heal.
   */
  resetHealed(healed: readonly number[]): void {
    if (this.retransmit) return this.releaseHeld(healed);
    const done = new Set<number>();
    for (const k of healed) {
      const a = Math.floor(k / this.n);
      const b = k % this.n;
      const pair = Math.min(a, b) * this.n + Math.max(a, b);
      if (done.has(pair)) continue;
      done.add(pair);
      if (this.links.cut[a * this.n + b] === 1 || this.links.cut[b * this.n + a] === 1) continue;
      this.refuse(a, b);
      this.refuse(b, a);
    }
  }

  /** Sends a reset from `from` (whose OS answered for its dead process) back to `to`. */
  private refuse(from: number, to: number): void {
    const link = from * this.n + to;
    if (isDown((this.nodes[to] as NetNode).state) || this.links.cut[link] === 1) return;
    if (isDown((this.nodes[from] as NetNode).state) && (this.nodes[from] as NetNode).state !== ST_CRASHED) return;
    const now = this.sched.now;
    const id = this.nextMessageId++;
    this.traceSend(now, this.nodes[from] as NetNode, from, to, DISCONNECT.type, id, 0);
    this.schedule(now + this.random.int(this.latencyMinUs, this.latencyMaxUs), from, to, link, DISCONNECT, id);
  }

  /** The node's process (re)started: connections made to its previous process are gone too. */
  nodeUp(index: number): void {
    this.links.breakNode(index);
  }

  private traceSend(t: number, src: NetNode, from: number, to: number, type: string, id: number, bytes: number): void {
    const tr = this.trace;
    tr.begin(t, K_SEND, from);
    tr.pairSym(to, type);
    tr.mix(id);
    tr.num(bytes);
    if (tr.recording) {
      tr.push({ t, kind: 'send', node: src.id, to: (this.nodes[to] as NetNode).id, msg: type, id, bytes });
    }
  }

  private traceDeliver(t: number, dst: NetNode, to: number, from: number, src: NetNode, type: string, id: number): void {
    const tr = this.trace;
    // The id names the send, whose record hashed sender, type and size: the id is enough here.
    tr.begin(t, K_DELIVER, to);
    tr.mix(id);
    if (tr.recording) tr.push({ t, kind: 'deliver', node: dst.id, from: src.id, msg: type, id });
  }

  private traceDrop(
    t: number, dst: NetNode, to: number, from: number, src: NetNode, type: string, id: number, reason: number,
  ): void {
    const tr = this.trace;
    tr.begin(t, K_DROP, to);
    tr.pairSym(from, type);
    tr.mix(id);
    tr.mix(reason);
    if (tr.recording) {
      tr.push({ t, kind: 'drop', node: dst.id, from: src.id, msg: type, id, reason: DROP_REASONS[reason] as string });
    }
  }

  private traceDuplicate(t: number, src: NetNode, from: number, to: number, type: string, id: number): void {
    const tr = this.trace;
    tr.begin(t, K_DUPLICATE, from);
    tr.pairSym(to, type);
    tr.mix(id);
    if (tr.recording) {
      tr.push({ t, kind: 'duplicate', node: src.id, to: (this.nodes[to] as NetNode).id, msg: type, id });
    }
  }
}
