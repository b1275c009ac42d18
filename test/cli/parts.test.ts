// The CLI's pure parts, in-process: shard arithmetic, option parsers, pooled latency quantiles,
// the aligned table.
import { describe, expect, test } from 'vitest';
import { checkSeedRange, parseShard } from '../../cli/args.js';
import { shardSeeds, shardSize } from '../../cli/check/seeds.js';
import { mergeInto, quantileMs } from '../../cli/explore/latency.js';
import { formatTable } from '../../cli/table.js';
import { UserError } from '../../sim/errors.js';

describe('shards', () => {
  test('the shards of a range partition it, and shardSize counts each', () => {
    for (const count of [1, 2, 7, 10, 31]) {
      for (const shards of [1, 2, 3, 8]) {
        const all: number[] = [];
        for (let index = 1; index <= shards; index++) {
          const seeds = [...shardSeeds({ from: 100, count, shard: { index, count: shards } })];
          expect(seeds.length).toBe(shardSize({ from: 100, count, shard: { index, count: shards } }));
          expect(seeds.every((seed) => (seed - 100) % shards === index - 1)).toBe(true);
          all.push(...seeds);
        }
        expect(all.sort((a, b) => a - b)).toEqual(Array.from({ length: count }, (_, i) => 100 + i));
      }
    }
  });

  test('parseShard takes I/N with 1 ≤ I ≤ N and rejects the rest as UserError', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/4', '5/4', '1/0', '-1/3', 'a/b', '2', '']) expect(() => parseShard(bad)).toThrow(UserError);
  });
});

describe('seed ranges', () => {
  test('end at 2^53 − 1 exactly, even where from + count − 1 rounds in floating point', () => {
    const max = Number.MAX_SAFE_INTEGER;
    expect(() => checkSeedRange(max, 1)).not.toThrow();
    expect(() => checkSeedRange(max - 1, 2)).not.toThrow();
    expect(() => checkSeedRange(0, max + 1)).not.toThrow();
    expect(() => checkSeedRange(max, 2)).toThrow(UserError);
    expect(() => checkSeedRange(max - 1, 3)).toThrow(/largest seed/);
    expect(() => checkSeedRange(1, max + 1)).toThrow(/largest seed/);
  });
});

describe('pooled latency quantiles', () => {
  test('quantiles of merged histograms are within the 1% bucket width', () => {
    const total = new Map<number, number>();
    // 1000 latencies of 1…1000 ms, as two runs' histograms built by hand.
    const bucket = (us: number) => Math.ceil(Math.log(us) / Math.log(1.01));
    const histogram = (from: number, to: number) => {
      const counts = new Map<number, number>();
      for (let ms = from; ms <= to; ms++) counts.set(bucket(ms * 1000), (counts.get(bucket(ms * 1000)) ?? 0) + 1);
      return [...counts.entries()].sort((a, b) => a[0] - b[0]);
    };
    mergeInto(total, histogram(1, 500));
    mergeInto(total, histogram(501, 1000));
    expect(quantileMs(total, 0.5)).toBeGreaterThanOrEqual(500);
    expect(quantileMs(total, 0.5)).toBeLessThanOrEqual(501 * 1.01);
    expect(quantileMs(total, 0.99)).toBeGreaterThanOrEqual(990);
    expect(quantileMs(total, 0.99)).toBeLessThanOrEqual(991 * 1.01);
    expect(quantileMs(new Map(), 0.5)).toBeNull();
  });
});

describe('tables', () => {
  test('columns are aligned: text left, numbers right', () => {
    const table = formatTable([{ header: 'acks', align: 'left' }, { header: 'runs', align: 'right' }], [['1', '5'], ['all', '25']]);
    expect(table.split('\n')).toEqual(['acks  runs', '----  ----', '1        5', 'all     25']);
  });
});
