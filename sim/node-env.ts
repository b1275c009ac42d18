// The Env one incarnation of a process sees. A new one is built at every boot, so a model can keep
// no handle (timer, random position) across a restart: what survives is only the disk.
import type { Disk, Env, Message, Micros, NodeId, Random, TimerId, TraceFields } from './env.js';
import { SimAssertionError } from './errors.js';
import { EV_TIMER, SimEvent } from './event.js';
import type { Network } from './network.js';
import type { SimNode } from './node.js';
import type { Scheduler } from './scheduler.js';
import type { TraceSink } from './trace.js';

/** What nodes share: the kernel's services. The network exists once every node is added. */
export interface NodeContext {
  readonly sched: Scheduler;
  readonly trace: TraceSink;
  /** The root stream; nodes fork theirs by name. */
  readonly random: Random;
  network(): Network;
  /** Node name → index. */
  readonly index: ReadonlyMap<NodeId, number>;
}

/** Message size on the wire when the sender does not say. */
export const DEFAULT_MESSAGE_BYTES = 100;

/**
 * Pending timers live in reusable slots (no Map insert and delete per timer on the hot path). A
 * TimerId encodes the slot and the slot's generation, so cancelling a timer that already fired never
 * cancels the slot's next occupant: id = generation * SLOT_SPAN + slot + 1. The event's `id` field
 * holds only the slot (a small integer); the TimerId, which outgrows small integers, rides in `ref`
 * while the timer is pending and is 0 once it fired.
 *
 * A slot keeps its event object after the timer fires and reuses it for the slot's next timer (a
 * timer set while its predecessor runs reschedules the running event, which the scheduler allows).
 * Reused events soon live in V8's old generation, so neither storing them here nor moving them
 * around the event heap costs a write barrier's slow path, and a timer allocates nothing. A
 * cancelled timer's event stays in the queue until it comes due, so the slot lets go of it.
 */
const SLOT_SPAN = 1 << 16;

export class NodeEnv implements Env {
  readonly node: NodeId;
  readonly disk: Disk;
  private readonly net: Network;
  private readonly index: ReadonlyMap<NodeId, number>;
  private readonly slotEvent: (SimEvent | null)[] = [];
  private readonly slotGeneration: number[] = [];
  private readonly freeSlots: number[] = [];

  constructor(
    private readonly host: SimNode,
    private readonly ctx: NodeContext,
    private readonly life: number,
    readonly random: Random,
  ) {
    this.node = host.id;
    this.disk = host.disk;
    // Envs are built at boot, after the network: resolve it once, not per send.
    this.net = ctx.network();
    this.index = ctx.index;
  }

  now(): Micros {
    return this.ctx.sched.now + this.host.clockOffsetUs;
  }

  setTimer(delay: Micros, fn: () => void): TimerId {
    this.checkAlive('setTimer');
    let slot = this.freeSlots.pop();
    if (slot === undefined) {
      slot = this.slotEvent.length;
      if (slot >= SLOT_SPAN) this.fail(`more than ${SLOT_SPAN} pending timers`);
      this.slotEvent.push(null);
      this.slotGeneration.push(0);
    }
    const id = (this.slotGeneration[slot] as number) * SLOT_SPAN + slot + 1;
    let ev = this.slotEvent[slot] as SimEvent | null;
    if (ev === null) {
      ev = new SimEvent(EV_TIMER, this.host.index, this.life);
      ev.id = slot;
      this.slotEvent[slot] = ev;
    }
    ev.ref = id;
    ev.fn = fn;
    this.ctx.sched.after(delay, ev);
    return id;
  }

  cancelTimer(id: TimerId): void {
    const slot = (id - 1) % SLOT_SPAN;
    const ev = this.slotEvent[slot];
    if (ev === undefined || ev === null || ev.ref !== id) return;
    this.slotEvent[slot] = null;
    this.release(slot);
    this.ctx.sched.cancel(ev);
  }

  /**
   * Called by the node as a timer fires, before its callback runs: a late cancelTimer is then a
   * no-op, and the callback may set a timer in the same slot (reusing this very event).
   */
  timerFired(ev: SimEvent): void {
    ev.ref = 0;
    ev.fn = null;
    this.release(ev.id);
  }

  private release(slot: number): void {
    this.slotGeneration[slot] = (this.slotGeneration[slot] as number) + 1;
    this.freeSlots.push(slot);
  }

  send(to: NodeId, msg: Message, bytes: number = DEFAULT_MESSAGE_BYTES): void {
    this.checkAlive('send');
    const dst = this.index.get(to);
    if (dst === undefined) this.fail(`send to unknown node '${to}'`);
    if (!(bytes >= 0)) this.fail(`send with invalid size ${bytes}`);
    this.net.send(this.host.index, dst, msg, bytes);
  }

  closeConnection(to: NodeId): void {
    this.checkAlive('closeConnection');
    const dst = this.index.get(to);
    if (dst === undefined) this.fail(`closeConnection to unknown node '${to}'`);
    this.net.closeConnection(this.host.index, dst);
  }

  trace(kind: string, fields?: TraceFields): void {
    const tr = this.ctx.trace;
    const t = this.ctx.sched.now;
    const id = tr.beginNamed(t, kind, this.host.index);
    if (fields !== undefined) tr.fields(fields, t);
    if (tr.recording) tr.push({ t, kind, node: this.node, ...fields });
    if (tr.watched(id, kind)) tr.notify(t, this.node, kind, fields);
  }

  assert(condition: boolean, message: string): asserts condition {
    if (!condition) this.fail(message);
  }

  private checkAlive(what: string): void {
    // Only a dead incarnation's code, run by mistake, could call in with a stale Env.
    if (this.life !== this.host.life) this.fail(`${what} from a dead incarnation`);
  }

  private fail(message: string): never {
    throw new SimAssertionError(message, this.node, this.ctx.sched.now);
  }
}
