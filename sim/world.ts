// The simulated world: the one class the scenario layer drives. It wires the scheduler, the trace,
// the network and the nodes, dispatches every event, and applies fault steps.
import type { Actor, ActorFactory, Micros, NodeId, Random } from './env.js';
import { SimAssertionError, UserError } from './errors.js';
import { EV_CALL, EV_DELIVER, EV_DISK, EV_FAULT, EV_TIMER, EV_WRITEBACK, NO_NODE, SimEvent } from './event.js';
import type { FaultStep } from './fault.js';
import { faultTraceFields, validateStep } from './fault-check.js';
import { kernelKindId } from './kinds.js';
import { validateWorldConfig, type WorldConfig } from './config.js';
import { Network } from './network.js';
import { SimNode } from './node.js';
import type { NodeContext } from './node-env.js';
import { NODE_STATE_NAMES, ST_PAUSED, isDown, type NodeState } from './node-state.js';
import { createRandom } from './random.js';
import { Scheduler, type RunStatus } from './scheduler.js';
import { TraceSink, type TraceObserver } from './trace.js';
import type { TraceRecord } from './trace-record.js';

export type { DiskConfig, NetworkConfig, WorldConfig } from './config.js';
export type { NodeState } from './node-state.js';
export type { RunStatus } from './scheduler.js';

/** The run's trace as the world exposes it: the hash is always on, records only when asked for. */
export interface WorldTrace {
  hash(): string;
  readonly events: number;
  readonly records: readonly TraceRecord[] | null;
}

const K_FAULT = kernelKindId('fault');
const K_SETTLE = kernelKindId('settle');
/** Node field of kernel events that belong to no node. */
const NO_NODE_TRACE = 0xffff;
const MAX_NODES = 0xffff;

export class World {
  readonly random: Random;
  readonly trace: WorldTrace;
  private readonly sink: TraceSink;
  private readonly sched: Scheduler;
  private readonly nodes: SimNode[] = [];
  private readonly index = new Map<NodeId, number>();
  private readonly ctx: NodeContext;
  private net: Network | null = null;
  private readonly pendingFaults = new Set<SimEvent>();
  /** settle() ran: faults have stopped. */
  private settled = false;
  private readonly faultListeners: ((step: FaultStep, timeUs: Micros) => void)[] = [];

  constructor(private readonly config: WorldConfig) {
    validateWorldConfig(config);
    this.random = createRandom(config.seed);
    this.sink = new TraceSink(config.recordTrace, config.traceInto);
    this.trace = this.sink;
    this.sched = new Scheduler((ev) => this.dispatch(ev), config.maxEvents);
    this.ctx = {
      sched: this.sched,
      trace: this.sink,
      random: this.random,
      network: () => this.network(),
      index: this.index,
    };
  }

  /** Registers a node; before start(). Nodes are indexed in the order they are added. */
  addNode(id: NodeId, factory: ActorFactory): void {
    if (this.net !== null) this.fail(`addNode('${id}') after start()`);
    if (this.index.has(id)) throw new UserError(`duplicate node name '${id}'`);
    // Trace hashing packs node indices into 16 bits (0xffff means no node).
    if (this.nodes.length >= MAX_NODES) throw new UserError(`at most ${MAX_NODES} nodes`);
    const node = new SimNode(this.nodes.length, id, factory, this.ctx, this.config.disk);
    this.index.set(id, node.index);
    this.nodes.push(node);
  }

  /** Boots every node at the current time (0), in the order they were added. */
  start(): void {
    if (this.net !== null) this.fail('start() called twice');
    this.net = new Network(this.nodes, this.sched, this.sink, this.config.network, this.random.fork('net'));
    for (const node of this.nodes) node.boot();
  }

  now(): Micros {
    return this.sched.now;
  }

  get eventsRun(): number {
    return this.sched.eventsRun;
  }

  /** Events waiting in the queue (cancelled ones included); for benchmarks and diagnostics. */
  get pendingEvents(): number {
    return this.sched.pending;
  }

  /** A harness event, owned by no node: it runs even when every node is down. */
  at(timeUs: Micros, fn: () => void): void {
    const ev = new SimEvent(EV_CALL, NO_NODE, 0);
    ev.fn = fn;
    this.sched.at(Math.round(timeUs), ev);
  }

  runUntil(timeUs: Micros): RunStatus {
    if (this.net === null) this.fail('runUntil() before start()');
    return this.sched.runUntil(timeUs);
  }

  private dispatch(ev: SimEvent): void {
    switch (ev.kind) {
      case EV_DELIVER: return (this.net as Network).deliver(ev);
      case EV_TIMER: return this.node(ev.node).fireTimer(ev);
      case EV_DISK: return this.node(ev.node).diskDone(ev);
      case EV_WRITEBACK: return this.node(ev.node).disk.writeback(ev);
      case EV_CALL:
        if (ev.node === NO_NODE) return (ev.fn as () => void)();
        return this.node(ev.node).runCall(ev);
      case EV_FAULT:
        this.pendingFaults.delete(ev);
        // A fault call (scheduleFaultCall) decides its steps when it fires.
        if (ev.fn !== null) return (ev.fn as () => void)();
        return this.applyFault(ev.ref as FaultStep);
      default: this.fail(`unknown event kind ${ev.kind}`);
    }
  }

  /** Applies a fault step now (its atMs is ignored), traces it, then tells the listeners. */
  applyFault(step: FaultStep): void {
    if (this.net === null) this.fail('applyFault() before start()');
    validateStep(step, (id) => this.index.has(id));
    this.traceFault(step);
    this.execute(step, this.net);
    for (const listener of this.faultListeners) listener(step, this.sched.now);
  }

  private execute(step: FaultStep, net: Network): void {
    switch (step.fault) {
      case 'partition':
        if ('isolate' in step) net.links.isolate(this.indices(step.isolate));
        else if ('groups' in step) net.links.groups(step.groups.map((g) => this.indices(g)));
        else net.links.cutOneWay(this.indexOf(step.from), this.indexOf(step.to));
        return;
      case 'heal':
        net.resetHealed(step.nodes === undefined ? net.links.healAll() : net.links.healNodes(this.indices(step.nodes)));
        return;
      case 'crash': return this.byName(step.node).crash(false);
      case 'power-loss': return this.byName(step.node).crash(true);
      case 'restart': return this.byName(step.node).restart();
      case 'pause': return this.byName(step.node).pause();
      case 'resume': return this.byName(step.node).resume();
      case 'slow-disk':
        this.byName(step.node).slowDiskFactor = step.factor;
        return;
      case 'slow-net':
        this.byName(step.node).slowNetFactor = step.factor;
        return;
      case 'clock-skew':
        this.byName(step.node).clockOffsetUs = Math.round(step.offsetMs * 1000);
        return;
    }
  }

  /** Schedules each step at atMs * 1000 µs (rounded). Steps are checked now, not when they fire. */
  scheduleFaults(steps: readonly FaultStep[]): void {
    for (const step of steps) {
      validateStep(step, (id) => this.index.has(id));
      const timeUs = Math.round(step.atMs * 1000);
      if (timeUs < this.sched.now) {
        throw new UserError(`fault step at ${step.atMs} ms is in the past (now ${this.sched.now / 1000} ms)`);
      }
      const ev = new SimEvent(EV_FAULT, NO_NODE, 0);
      ev.ref = step;
      this.pendingFaults.add(this.sched.at(timeUs, ev));
    }
  }

  /**
   * Schedules `fn` as a fault event at atMs * 1000 µs (rounded): it runs in the place a fault step
   * scheduled now would take (so a step it applies there replays identically from a script), and
   * settle() cancels it like any fault not yet applied. The nemesis uses it for targeted faults,
   * whose nodes are known only when they fire.
   */
  scheduleFaultCall(atMs: number, fn: () => void): number {
    const timeUs = Math.round(atMs * 1000);
    if (!(timeUs >= this.sched.now)) throw new UserError(`fault call at ${atMs} ms is in the past (now ${this.sched.now / 1000} ms)`);
    const ev = new SimEvent(EV_FAULT, NO_NODE, 0);
    ev.fn = fn;
    this.pendingFaults.add(this.sched.at(timeUs, ev));
    return ev.seq;
  }

  /**
   * A fault call decided while the world runs (a strike at a moment only the run reveals) that takes
   * the queue place right after an earlier fault call (`slot`, what scheduleFaultCall returned): among
   * events of its microsecond it runs where a fault step scheduled with the plan would, so the script
   * it resolves to replays identically. After settle() it is not scheduled (faults have stopped).
   */
  scheduleFaultCallInSlot(atMs: number, slot: number, fn: () => void): void {
    if (this.settled) return;
    const timeUs = Math.round(atMs * 1000);
    const ev = new SimEvent(EV_FAULT, NO_NODE, 0);
    ev.fn = fn;
    this.pendingFaults.add(this.sched.atSeq(timeUs, ev, slot + 0.5));
  }

  /**
   * Calls `observer` for every model trace event of `kind` (its time, node and fields): how the
   * harness learns what the actors announced, without reading their memory. Observing leaves the
   * trace hash as it is.
   */
  observeTrace(kind: string, observer: TraceObserver): void {
    this.sink.watch(kind, observer);
  }

  /**
   * Heal-and-settle: scheduled faults not yet applied are cancelled (faults stop), every link
   * heals, slow factors and clock skews reset, paused nodes resume and dead ones restart.
   */
  settle(): void {
    if (this.net === null) this.fail('settle() before start()');
    this.sink.begin(this.sched.now, K_SETTLE, NO_NODE_TRACE);
    if (this.sink.recording) this.sink.push({ t: this.sched.now, kind: 'settle' });
    this.settled = true;
    for (const ev of this.pendingFaults) this.sched.cancel(ev);
    this.pendingFaults.clear();
    this.net.resetHealed(this.net.links.healAll());
    for (const node of this.nodes) {
      node.slowDiskFactor = 1;
      node.slowNetFactor = 1;
      node.clockOffsetUs = 0;
    }
    for (const node of this.nodes) if (node.state === ST_PAUSED) node.resume();
    for (const node of this.nodes) if (isDown(node.state)) node.restart();
  }

  nodeState(id: NodeId): NodeState {
    return NODE_STATE_NAMES[this.byName(id).state] as NodeState;
  }

  /** The current incarnation's actor; undefined while the node is down. */
  actor(id: NodeId): Actor | undefined {
    return this.byName(id).actor;
  }

  /** The page-cache view of a file, for inspecting final states. */
  diskEntries(id: NodeId, file: string): readonly unknown[] {
    return this.byName(id).disk.read(file);
  }

  /** fsyncs completed on every node's disk so far (a cost measure: explore's fsyncs per acknowledged record). */
  diskFsyncs(): number {
    let n = 0;
    for (const node of this.nodes) n += node.disk.fsyncs;
    return n;
  }

  diskFiles(id: NodeId): readonly string[] {
    return this.byName(id).disk.files();
  }

  onFault(listener: (step: FaultStep, timeUs: Micros) => void): void {
    this.faultListeners.push(listener);
  }

  private traceFault(step: FaultStep): void {
    const tr = this.sink;
    const t = this.sched.now;
    const fields = faultTraceFields(step);
    tr.begin(t, K_FAULT, NO_NODE_TRACE);
    for (const key of Object.keys(fields)) {
      tr.sym(key);
      tr.value(fields[key] ?? null);
    }
    if (tr.recording) tr.push({ t, kind: 'fault', ...fields });
  }

  private network(): Network {
    if (this.net === null) this.fail('the network exists only after start()');
    return this.net;
  }

  private node(index: number): SimNode {
    return this.nodes[index] as SimNode;
  }

  private indexOf(id: NodeId): number {
    const i = this.index.get(id);
    if (i === undefined) throw new UserError(`unknown node '${id}'`);
    return i;
  }

  private indices(ids: readonly NodeId[]): number[] {
    return ids.map((id) => this.indexOf(id));
  }

  private byName(id: NodeId): SimNode {
    return this.node(this.indexOf(id));
  }

  private fail(message: string): never {
    throw new SimAssertionError(message, null, this.sched.now);
  }
}
