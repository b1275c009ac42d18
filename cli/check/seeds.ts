// Which seeds a check runs: S…S+N−1, or with --shard I/N every seed whose index ≡ I−1 (mod N), so
// N machines split one search without talking to each other and their results can be merged.
import type { Shard } from '../args.js';

export interface SeedRange {
  readonly from: number;
  readonly count: number;
  readonly shard: Shard;
}

export const WHOLE: Shard = { index: 1, count: 1 };

/** The seeds of this shard, ascending. */
export function* shardSeeds(range: SeedRange): Generator<number> {
  for (let i = range.shard.index - 1; i < range.count; i += range.shard.count) yield range.from + i;
}

/** How many seeds shardSeeds yields. */
export function shardSize(range: SeedRange): number {
  const first = range.shard.index - 1;
  return first >= range.count ? 0 : Math.ceil((range.count - first) / range.shard.count);
}

/** Seeds a check searches when --seeds is not given. */
export const DEFAULT_SEEDS = 100;
