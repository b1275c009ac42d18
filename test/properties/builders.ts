// Small builders for histories and final states, so each test states only what it is about.
import type { FinalState, HistoryOp, PartitionState, PolledRecord, ReplicaState, ResetReason, Value } from '../../models/history/history.js';
import { VALUE_STRIDE } from '../../models/history/history.js';
import type { AnomalyType, CheckOptions } from '../../properties/index.js';
import { CHECKERS, makeCheckInput } from '../../properties/index.js';

/** Value number n of producer p (producer index as in VALUE_STRIDE). */
export function v(n: number, producer = 0): Value {
  return producer * VALUE_STRIDE + n;
}

/** Appends ops with increasing times (10 µs apart) unless a time is given. */
export class HistoryBuilder {
  readonly ops: HistoryOp[] = [];
  private now = 0;

  private tick(t?: number): number {
    this.now = t ?? this.now + 10;
    return this.now;
  }

  invoke(process: string, value: Value, partition = 0, t?: number): this {
    this.ops.push({ kind: 'send-invoke', t: this.tick(t), process, value, partition });
    return this;
  }

  ok(process: string, value: Value, offset: number, partition = 0, t?: number): this {
    this.ops.push({ kind: 'send-ok', t: this.tick(t), process, value, partition, offset });
    return this;
  }

  fail(process: string, value: Value, partition = 0, error = 'NOT_ENOUGH_REPLICAS'): this {
    this.ops.push({ kind: 'send-fail', t: this.tick(), process, value, partition, error });
    return this;
  }

  info(process: string, value: Value, partition = 0, error = 'REQUEST_TIMED_OUT'): this {
    this.ops.push({ kind: 'send-info', t: this.tick(), process, value, partition, error });
    return this;
  }

  /** send-invoke then send-ok. */
  send(process: string, value: Value, offset: number, partition = 0): this {
    return this.invoke(process, value, partition).ok(process, value, offset, partition);
  }

  /** Records as [offset, value] of one partition. */
  poll(process: string, records: readonly (readonly [number, Value])[], partition = 0): this {
    return this.pollMany(process, records.map(([offset, value]) => ({ partition, offset, value })));
  }

  pollMany(process: string, records: readonly PolledRecord[]): this {
    this.ops.push({ kind: 'poll', t: this.tick(), process, records });
    return this;
  }

  assign(process: string, partitions: readonly number[] = [0], group = 'g1', generation = 1): this {
    this.ops.push({ kind: 'assign', t: this.tick(), process, group, generation, partitions });
    return this;
  }

  commit(process: string, offset: number, partition = 0, group = 'g1', t?: number): this {
    this.ops.push({ kind: 'commit-ok', t: this.tick(t), process, group, generation: 1, offsets: [{ partition, offset }] });
    return this;
  }

  commitFail(process: string, offset: number, partition = 0, group = 'g1'): this {
    this.ops.push({ kind: 'commit-fail', t: this.tick(), process, group, generation: 1, offsets: [{ partition, offset }] });
    return this;
  }

  process(process: string, offset: number, value: Value, partition = 0): this {
    this.ops.push({ kind: 'process', t: this.tick(), process, partition, offset, value });
    return this;
  }

  hw(leader: string, records: readonly (readonly [number, Value])[], partition = 0, leaderEpoch = 1): this {
    this.ops.push({ kind: 'hw-advance', t: this.tick(), process: leader, partition, leaderEpoch, records: records.map(([offset, value]) => ({ offset, value })) });
    return this;
  }

  /** The consumer moved its position on `partition` by itself, from `from` to `to`. */
  reset(process: string, partition: number, from: number | null, to: number, reason: ResetReason = 'truncation', t?: number): this {
    this.ops.push({ kind: 'reset', t: this.tick(t), process, partition, from, to, reason });
    return this;
  }

  crash(process: string, power = false): this {
    this.ops.push({ kind: 'crash', t: this.tick(), process, power });
    return this;
  }

  build(): HistoryOp[] {
    return this.ops.slice();
  }
}

export function history(): HistoryBuilder {
  return new HistoryBuilder();
}

export interface ReplicaOptions {
  readonly partition?: number;
  /** Defaults to the log end (everything committed). */
  readonly highWatermark?: number;
  readonly isLeader?: boolean;
  readonly up?: boolean;
  readonly leaderEpoch?: number;
  readonly logStartOffset?: number;
}

/** A replica whose log holds `values` at consecutive offsets from logStartOffset (epoch 1). */
export function replica(node: string, values: readonly Value[], options: ReplicaOptions = {}): ReplicaState {
  const logStartOffset = options.logStartOffset ?? 0;
  const logEndOffset = logStartOffset + values.length;
  return {
    node,
    partition: options.partition ?? 0,
    up: options.up ?? true,
    isLeader: options.isLeader ?? false,
    leaderEpoch: options.leaderEpoch ?? 1,
    logStartOffset,
    logEndOffset,
    highWatermark: options.highWatermark ?? logEndOffset,
    records: values.map((value, i) => ({ offset: logStartOffset + i, epoch: 1, value })),
  };
}

/**
 * A settled partition: b1 leads, and every replica (b1, b2, b3 by default) holds `values`, all
 * committed.
 */
export function settledPartition(values: readonly Value[], partition = 0, nodes = ['b1', 'b2', 'b3']): { state: PartitionState; replicas: ReplicaState[] } {
  const leader = nodes[0] ?? 'b1';
  return {
    state: { partition, leader, leaderEpoch: 1, isr: nodes, replicas: nodes },
    replicas: nodes.map((node) => replica(node, values, { partition, isLeader: node === leader })),
  };
}

export function finalState(parts: readonly { state: PartitionState; replicas: readonly ReplicaState[] }[]): FinalState {
  return { partitions: parts.map((p) => p.state), replicas: parts.flatMap((p) => p.replicas) };
}

/** One settled partition 0 holding `values`. */
export function settled(values: readonly Value[]): FinalState {
  return finalState([settledPartition(values)]);
}

/** Runs one checker by anomaly type; consumers on, 5 examples, unless overridden. */
export function runChecker(type: AnomalyType, ops: readonly HistoryOp[], final: FinalState, options: Partial<CheckOptions> = {}) {
  const entry = CHECKERS.find((c) => c.type === type);
  if (entry === undefined) throw new Error(`no checker for ${type}`);
  return entry.check(makeCheckInput(ops, final, { consumers: true, ...options }));
}

export interface CleanRunSpec {
  /** Partition count. */
  readonly partitions: number;
  /** One entry per send, in invoke order: which producer sends it to which partition. */
  readonly sends: readonly { readonly producer: number; readonly partition: number }[];
  /** Order in which the sends are acknowledged (a permutation of send indexes); invoke order if absent. */
  readonly ackOrder?: readonly number[];
  /** Records per poll (at least 1). */
  readonly pollBatch: number;
}

export interface Run {
  readonly history: HistoryOp[];
  readonly final: FinalState;
  /** The acknowledged values with their partition and offset, in invoke order. */
  readonly acked: readonly { readonly value: Value; readonly partition: number; readonly offset: number }[];
}

/**
 * A fault-free run: each send lands at the next offset of its partition, is committed by b1 and
 * acknowledged; consumer k1 (group g1) polls every partition in order, processes each record and
 * commits after processing. Every replica ends with the same fully committed log.
 */
export function cleanRun(spec: CleanRunSpec): Run {
  const b = history();
  const logs: Value[][] = Array.from({ length: spec.partitions }, () => []);
  const counters = new Map<number, number>();
  const acked = spec.sends.map(({ producer, partition }) => {
    const n = counters.get(producer) ?? 0;
    counters.set(producer, n + 1);
    const value = v(n, producer);
    const log = logs[partition] as Value[];
    log.push(value);
    b.invoke(`p${producer}`, value, partition);
    return { value, partition, offset: log.length - 1, producer: `p${producer}` };
  });
  for (const i of spec.ackOrder ?? acked.map((_, i) => i)) {
    const a = acked[i];
    if (a === undefined) continue;
    b.hw('b1', [[a.offset, a.value]], a.partition).ok(a.producer, a.value, a.offset, a.partition);
  }
  const partitionIds = logs.map((_, p) => p);
  b.assign('k1', partitionIds);
  logs.forEach((log, partition) => consumeInOrder(b, log, partition, spec.pollBatch));
  const final = finalState(logs.map((log, partition) => settledPartition(log, partition)));
  return { history: b.build(), final, acked: acked.map(({ value, partition, offset }) => ({ value, partition, offset })) };
}

function consumeInOrder(b: HistoryBuilder, log: readonly Value[], partition: number, batch: number): void {
  for (let start = 0; start < log.length; start += Math.max(1, batch)) {
    const records = log.slice(start, start + Math.max(1, batch)).map((value, i) => [start + i, value] as const);
    b.poll('k1', records, partition);
    for (const [offset, value] of records) b.process('k1', offset, value, partition);
    b.commit('k1', start + records.length, partition);
  }
}

/** The final state with `value` removed from every replica of `partition` (its offset becomes a gap). */
export function withoutValue(final: FinalState, partition: number, value: Value): FinalState {
  return {
    ...final,
    replicas: final.replicas.map((r) => (r.partition !== partition ? r : { ...r, records: r.records.filter((x) => x.value !== value) })),
  };
}
