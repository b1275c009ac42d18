// A simulated machine hosting one process. The process (an Actor) is built by a factory, so a
// restart builds a fresh one that can recover only from the disk. `life` changes whenever the
// process dies or starts: every timer, delivery and disk completion carries the life it was
// scheduled in, and a mismatch at dispatch means it died with its process. A paused process keeps
// its events in `held`, in the order they came due, and gets them back on resume.
import type { Actor, ActorFactory, Env, Message, NodeId, Random } from './env.js';
import { EV_CALL, EV_CANCELLED, type SimEvent } from './event.js';
import { kernelKindId } from './kinds.js';
import { NodeDisk, type DiskConfig } from './disk.js';
import { DISCONNECT, type NetNode } from './network.js';
import { ST_CRASHED, ST_PAUSED, ST_POWERED_OFF, ST_UP, isDown } from './node-state.js';
import { NodeEnv, type NodeContext } from './node-env.js';

const K_NODE = kernelKindId('node');
const K_TIMER = kernelKindId('timer');

/** States as written in `node` trace records; index 4 is the resume transition. */
const NODE_RECORD_STATES = ['up', 'crashed', 'powered-off', 'paused', 'resumed'] as const;
const REC_RESUMED = 4;

export class SimNode implements NetNode {
  state = ST_CRASHED;
  /** Boots so far: 1 for the first incarnation. */
  incarnation = 0;
  life = 0;
  slowDiskFactor = 1;
  slowNetFactor = 1;
  clockOffsetUs = 0;
  actor: Actor | undefined = undefined;
  readonly disk: NodeDisk;
  private env: NodeEnv | undefined = undefined;
  private held: SimEvent[] = [];

  constructor(
    readonly index: number,
    readonly id: NodeId,
    private readonly factory: ActorFactory,
    private readonly ctx: NodeContext,
    diskConfig: DiskConfig,
  ) {
    this.disk = new NodeDisk(this, ctx.sched, ctx.trace, diskConfig, ctx.random.fork(`disk/${id}`));
  }

  /** Starts a fresh process: new Env, new random stream, new actor, then actor.start(). */
  boot(): void {
    this.incarnation++;
    this.life++;
    this.state = ST_UP;
    this.ctx.network().nodeUp(this.index);
    const random: Random = this.ctx.random.fork(`node/${this.id}/${this.incarnation}`);
    const env = new NodeEnv(this, this.ctx, this.life, random);
    this.env = env;
    this.traceNode(ST_UP);
    const actor = this.factory(env as Env);
    this.actor = actor;
    actor.start();
  }

  restart(): void {
    if (isDown(this.state)) this.boot();
  }

  /** The process dies; with power loss the machine dies too and non-durable disk data is lost. */
  crash(powerLoss: boolean): void {
    if (isDown(this.state)) {
      // Already dead: a power loss still costs the page cache.
      if (powerLoss && this.state === ST_CRASHED) this.powerOff();
      return;
    }
    this.life++;
    this.state = ST_CRASHED;
    this.actor = undefined;
    this.env = undefined;
    this.held = [];
    this.disk.crash();
    this.ctx.network().nodeDown(this.index, !powerLoss);
    if (powerLoss) this.powerOff();
    else this.traceNode(ST_CRASHED);
  }

  private powerOff(): void {
    this.state = ST_POWERED_OFF;
    this.traceNode(ST_POWERED_OFF);
    this.disk.powerLoss();
  }

  pause(): void {
    if (this.state !== ST_UP) return;
    this.state = ST_PAUSED;
    this.traceNode(ST_PAUSED);
  }

  /** Gives back what came due while paused, in its original order, at the current time. */
  resume(): void {
    if (this.state !== ST_PAUSED) return;
    this.state = ST_UP;
    this.traceNode(REC_RESUMED);
    const held = this.held;
    this.held = [];
    const sched = this.ctx.sched;
    for (const ev of held) if (ev.kind !== EV_CANCELLED) sched.at(sched.now, ev);
  }

  hold(ev: SimEvent): void {
    this.held.push(ev);
  }

  receive(from: NodeId, msg: Message): void {
    const actor = this.actor as Actor;
    if (msg === DISCONNECT) actor.disconnected?.(from);
    else actor.receive(from, msg);
  }

  fireTimer(ev: SimEvent): void {
    if (ev.life !== this.life) return;
    if (this.state === ST_PAUSED) return this.hold(ev);
    const tr = this.ctx.trace;
    tr.begin(ev.time, K_TIMER, this.index);
    tr.mix(ev.id); // the slot: with node and time it identifies the timer, and it stays small
    if (tr.recording) tr.push({ t: ev.time, kind: 'timer', node: this.id, id: ev.ref as number });
    const fn = ev.fn as () => void;
    // From here the event may be reused by a timer the callback sets.
    (this.env as NodeEnv).timerFired(ev);
    fn();
  }

  /**
   * The OS completes the operation even while the process is paused; only its callback waits (the
   * event is then held, and not reused). Otherwise the event goes back to the disk before the
   * callback runs, which may issue the next operation with it.
   */
  diskDone(ev: SimEvent): void {
    if (ev.life !== this.life) return this.disk.spare(ev);
    this.disk.complete(ev);
    const fn = ev.fn;
    if (fn === null) return this.disk.spare(ev);
    if (this.state === ST_PAUSED) {
      ev.kind = EV_CALL;
      return this.hold(ev);
    }
    this.disk.spare(ev);
    fn();
  }

  /** A held callback given back on resume. */
  runCall(ev: SimEvent): void {
    if (ev.life !== this.life) return;
    if (this.state === ST_PAUSED) return this.hold(ev);
    (ev.fn as () => void)();
  }

  private traceNode(state: number): void {
    const tr = this.ctx.trace;
    const t = this.ctx.sched.now;
    tr.begin(t, K_NODE, this.index);
    tr.mix(state);
    tr.mix(this.incarnation);
    if (tr.recording) {
      const name = NODE_RECORD_STATES[state] as string;
      tr.push({ t, kind: 'node', node: this.id, state: name, incarnation: this.incarnation });
    }
  }
}
