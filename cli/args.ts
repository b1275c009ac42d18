// Parsers for option values. Each failure is a UserError naming the option and the value, so a
// typo gives one line and exit code 2, like every other bad input.
import { UserError } from '../sim/errors.js';

const INTEGER = /^\d+$/;

function integer(option: string, text: string, min: number): number {
  const value = Number(text);
  if (!INTEGER.test(text.trim()) || !Number.isSafeInteger(value)) {
    throw new UserError(`${option} ${text}: expected a whole number`);
  }
  if (value < min) throw new UserError(`${option} ${text}: must be at least ${min}`);
  return value;
}

/** A seed: a non-negative safe integer. */
export function parseSeed(text: string): number {
  return integer('--seed', text, 0);
}

export function parseFrom(text: string): number {
  return integer('--from', text, 0);
}

/** A point of simulated time in milliseconds (decimals allowed), as microseconds. */
function timeMs(option: string, text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value < 0) {
    throw new UserError(`${option} ${text}: expected a non-negative number of milliseconds`);
  }
  return Math.round(value * 1000);
}

export function parseFromMs(text: string): number {
  return timeMs('--from-ms', text);
}

export function parseToMs(text: string): number {
  return timeMs('--to-ms', text);
}

export function parseSeedCount(text: string): number {
  return integer('--seeds', text, 1);
}

export function parseShrinkRuns(text: string): number {
  return integer('--shrink-runs', text, 1);
}

/** Most workers: each holds a run's history and logs (about 100 MB or more). */
export const MAX_WORKERS = 64;

export function parseWorkers(text: string): number {
  const workers = integer('--workers', text, 1);
  if (workers > MAX_WORKERS) throw new UserError(`--workers ${text}: at most ${MAX_WORKERS} (each worker holds a whole run in memory)`);
  return workers;
}

/** Seeds S…S+N−1 must all be safe integers (past 2^53 − 1 two seeds would be one number). */
export function checkSeedRange(from: number, count: number): void {
  // Not `from + count - 1 > MAX`: past 2^53 that sum rounds, and 2^53 − 1 with 2 seeds passed.
  if (count > 0 && from > Number.MAX_SAFE_INTEGER - (count - 1)) {
    throw new UserError(`--from ${from} --seeds ${count}: the last seed would pass ${Number.MAX_SAFE_INTEGER} (2^53 − 1), the largest seed`);
  }
}

export interface Shard {
  /** 1-based, as a CI matrix or JOB_COMPLETION_INDEX + 1 gives it. */
  readonly index: number;
  readonly count: number;
}

/** `I/N` with 1 ≤ I ≤ N. */
export function parseShard(text: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (match === null) throw new UserError(`--shard ${text}: expected I/N, e.g. 2/4 (the second of four shards)`);
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1) throw new UserError(`--shard ${text}: the number of shards must be at least 1`);
  if (index < 1 || index > count) throw new UserError(`--shard ${text}: the shard number must be between 1 and ${count}`);
  return { index, count };
}

/** Repeatable options collect into an array (commander calls this once per occurrence). */
export function collect(value: string, previous: readonly string[]): string[] {
  return [...previous, value];
}
