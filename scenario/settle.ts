// The settle phase and the final drain (docs/settle.md). After the load phase the world heals
// (world.settle(): faults stop, links heal, nodes resume and restart); the run then goes on in short
// steps until the system is quiescent (scenario/quiescence.ts) or the cap is reached, whichever is
// first. Then the drain reader (models/clients/drain-reader.ts) reads every data partition from its start to
// its high watermark through the ordinary fetch path, within its own bound. The run stops as soon as
// the drain is done: no fixed tail.
import { SimAssertionError } from '../sim/errors.js';
import type { World } from '../sim/world.js';
import { Broker } from '../models/broker/broker.js';
import { activeController } from './active-controller.js';
import { DrainReader } from '../models/clients/drain-reader.js';
import type { BuiltRun } from './build.js';
import type { Problem } from './quiescence.js';
import { quiescenceProblems } from './quiescence.js';

/** Simulated time between two checks: the granularity of the settle and drain times. */
export const SETTLE_STEP_US = 100_000;

export interface SettleOutcome {
  /** When the settle phase began (the end of the load phase). */
  readonly startUs: number;
  readonly capUs: number;
  /** When the check first found the system quiescent; null when it did not within the cap. */
  readonly quiescentAtUs: number | null;
  /** When the drain had read up to every partition's high watermark; null when not within its bound. */
  readonly drainDoneAtUs: number | null;
  readonly drainRecords: number;
  /** What was stuck at the cap, then what the drain could not read; empty when both finished. */
  readonly problems: readonly string[];
}

/** Runs the settle phase and the drain on a world whose load phase just ended. */
export function settleAndDrain(
  built: BuiltRun, describe: (message: string) => string, onProgress?: (simulatedUs: number) => void,
): SettleOutcome {
  const { world } = built;
  const startUs = world.now();
  world.settle();
  const advance: Advance = (untilUs) => {
    step(world, untilUs, describe);
    onProgress?.(world.now());
  };
  const settled = untilQuiescent(built, startUs + built.settleCapUs, advance);
  const drained = finalDrain(built, world.now() + built.drainCapUs, describe, advance);
  return {
    startUs, capUs: built.settleCapUs, quiescentAtUs: settled.atUs, drainDoneAtUs: drained.atUs,
    drainRecords: drained.records, problems: [...settled.problems, ...drained.problems],
  };
}

/** Runs the world to a time, then reports progress. */
type Advance = (untilUs: number) => void;

interface Phase {
  readonly atUs: number | null;
  readonly problems: readonly string[];
}

/** Checks, then steps, until nothing is stuck or the deadline passed; names what is stuck and since when. */
function untilQuiescent(built: BuiltRun, deadlineUs: number, advance: Advance): Phase {
  const { world } = built;
  let since = new Map<string, number>();
  for (;;) {
    const now = world.now();
    const problems = quiescenceProblems(built);
    if (problems.length === 0) return { atUs: now, problems: [] };
    since = stuckSince(problems, since, now);
    if (now >= deadlineUs) return { atUs: null, problems: problems.map((p) => `${p.text} (since ${seconds(since.get(p.key)!)} s)`) };
    advance(Math.min(deadlineUs, now + SETTLE_STEP_US));
  }
}

/** For each problem, when it was first seen in the run of checks that still sees it. */
function stuckSince(problems: readonly Problem[], previous: ReadonlyMap<string, number>, now: number): Map<string, number> {
  const since = new Map<string, number>();
  for (const p of problems) since.set(p.key, previous.get(p.key) ?? now);
  return since;
}

/** Starts the drain reader and steps until it reached every high watermark or its deadline. */
function finalDrain(built: BuiltRun, deadlineUs: number, describe: (message: string) => string, advance: Advance): Phase & { records: number } {
  const { world } = built;
  const drain = world.actor(built.drain);
  if (!(drain instanceof DrainReader)) throw new SimAssertionError(describe(`the drain node '${built.drain}' is not a drain reader`), null, world.now());
  drain.begin();
  for (;;) {
    const now = world.now();
    const lagging = drainLag(built, drain);
    if (lagging.length === 0) return { atUs: now, problems: [], records: drain.recordsRead() };
    if (now >= deadlineUs) {
      const bound = seconds(built.drainCapUs);
      return { atUs: null, problems: lagging.map((l) => `drain: ${l} after its bound of ${bound} s`), records: drain.recordsRead() };
    }
    advance(Math.min(deadlineUs, now + SETTLE_STEP_US));
  }
}

/** The data partitions the drain has not read to the current leader's high watermark. */
function drainLag(built: BuiltRun, drain: DrainReader): string[] {
  const { world, layout } = built;
  const controller = activeController(world, layout);
  if (controller === null) return ['the controller is down'];
  const fetching = new Map(drain.states().map((f) => [f.partition, f]));
  const lagging: string[] = [];
  for (const state of controller.partitionStates()) {
    if (state.partition >= layout.dataPartitions) continue;
    const leader = state.leader === null ? undefined : world.actor(state.leader);
    const progress = leader instanceof Broker ? leader.replicaProgress(state.partition) : null;
    const fetch = fetching.get(state.partition);
    const position = fetch?.position ?? 0;
    if (progress === null || progress.role !== 'leader') lagging.push(`p${state.partition}: no leader to read from (read to offset ${position})`);
    else if (fetch !== undefined && fetch.state !== 'fetching') lagging.push(`p${state.partition}: ${fetch.state} at offset ${position} (HW ${progress.highWatermark})`);
    else if (position < progress.highWatermark) lagging.push(`p${state.partition}: read to offset ${position} of HW ${progress.highWatermark}`);
  }
  return lagging;
}

function step(world: World, untilUs: number, describe: (message: string) => string): void {
  if (world.runUntil(untilUs) !== 'ok') {
    throw new SimAssertionError(describe(`event budget exhausted after ${world.eventsRun} events`), null, world.now());
  }
}

function seconds(us: number): string {
  return (us / 1_000_000).toFixed(1);
}
