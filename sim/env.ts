// The one interface through which an actor (a broker, the controller, a client) sees the world.
// models/ imports this file with `import type` only: no kernel class ever reaches protocol code,
// so a model cannot read the global clock, a global random, or another node's memory.

/** A node's name: brokers b1…bN, the controller c1, producers p1…, consumers k1…. */
export type NodeId = string;

/** Integer microseconds. Simulated time starts at 0. */
export type Micros = number;

/** Anything an actor sends. `type` names the message kind in traces. */
export interface Message {
  readonly type: string;
}

/** Handle of a pending timer; pass it to `Env.cancelTimer`. */
export type TimerId = number;

/** A deterministic random stream. Each stream is forked by name from the run's root seed. */
export interface Random {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** Exponentially distributed integer with the given mean (e.g. microseconds), at least 0. */
  exponential(mean: number): number;
  /** Uniform float in [min, max). */
  uniform(min: number, max: number): number;
  /** An independent stream derived from this one's seed and `name`; draws on one never shift the other. */
  fork(name: string): Random;
}

/**
 * One node's disk. Files hold entries (opaque values the actor chooses, e.g. record batches), each
 * with a size in bytes. What the actor sees (`read`) is the page cache. Writes reach the page cache
 * after the disk's write latency; they become durable on fsync or on background write-back after
 * dirtyExpireMs. A crash keeps the page cache; a power loss keeps only durable entries (with torn
 * writes, a random prefix of the dirty tail). Operations on one disk complete in issue order.
 * Callbacks never run after the node crashed: a pending operation dies with its process.
 */
export interface Disk {
  /** Appends entries to a file (created if absent); `done` runs once they are in the page cache. */
  append(file: string, entries: readonly unknown[], bytes: number, done?: () => void): void;
  /** Cuts a file to its first `length` entries (in the page cache; durable on the next sync). */
  truncate(file: string, length: number, done?: () => void): void;
  /** Makes everything written to the file so far durable; `done` runs when it is. */
  fsync(file: string, done?: () => void): void;
  /** Atomic replace (write temp, fsync, rename): after `done`, the file durably holds exactly `entries`. */
  replace(file: string, entries: readonly unknown[], bytes: number, done?: () => void): void;
  /** The file's entries as the process sees them now (page cache). Empty for a missing file. */
  read(file: string): readonly unknown[];
  /** Names of the files that exist, in creation order. */
  files(): readonly string[];
}

/** Values allowed in trace event fields: kept small so hashing every event stays cheap. */
export type TraceValue = number | string | boolean | null | readonly (number | string)[];
export type TraceFields = Readonly<Record<string, TraceValue>>;

export interface Env {
  /** This node's name. */
  readonly node: NodeId;
  /** This node's local clock (simulated time plus its clock skew), integer microseconds. */
  now(): Micros;
  /** Runs `fn` after `delay` microseconds (rounded to an integer, at least 0). Never fires after a crash. */
  setTimer(delay: Micros, fn: () => void): TimerId;
  cancelTimer(id: TimerId): void;
  /** Sends a message over the simulated network; `bytes` is its size on the wire (for the NIC). */
  send<M extends Message>(to: NodeId, msg: M, bytes?: number): void;
  /**
   * Closes this node's connection to `to`, as Kafka's NetworkClient does when a request to it times
   * out: later messages travel on a new connection. With network.partitionMode 'retransmit' what was
   * sent on the old one still arrives (its data is retransmitted after a partition heals) and what
   * `to` sends back on it is lost; with 'drop' (the default) ksim keeps one connection per pair of
   * nodes and this does nothing.
   */
  closeConnection(to: NodeId): void;
  /** This node's disk. */
  readonly disk: Disk;
  /** This node's random stream (forked from the root by node name, fresh per incarnation). */
  readonly random: Random;
  /** Records a model event in the trace (hashed always; written to the trace file when recording). */
  trace(kind: string, fields?: TraceFields): void;
  /**
   * Asserts an invariant of the model. A failure ends the run as a ksim bug (exit code 3).
   * Split compound conditions into several calls so the message says which part failed.
   */
  assert(condition: boolean, message: string): void;
}

/** A running process on a node. Built by a factory, so a restart builds a fresh one from its disk. */
export interface Actor {
  /** Called once when the process starts (first boot or restart), after construction. */
  start(): void;
  /** Called for every message delivered to this node. */
  receive(from: NodeId, msg: Message): void;
  /**
   * A peer's process died while its machine stayed up: its OS reset the connection, and this node
   * learns it one link latency later (unless the link is cut). A power loss resets nothing: peers
   * find out only by timing out, as with a real TCP connection to a dead host.
   */
  disconnected?(peer: NodeId): void;
}

export type ActorFactory = (env: Env) => Actor;
