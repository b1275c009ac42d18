import { describe, expect, it } from 'vitest';
import { OffsetTable } from '../../properties/_internals/offset-table.js';
import { ValueSet } from '../../properties/_internals/value-set.js';
import { ValueTable } from '../../properties/_internals/value-table.js';
import { v } from './builders.js';

describe('OffsetTable', () => {
  it('keeps values across growth, below and beyond its dense limit, and says NaN for the unknown', () => {
    const table = new OffsetTable(10_000);
    table.set(0, 7);
    table.set(3000, 8); // grows the array past its initial 1,024
    table.set(9999, 9);
    table.set(10_000, 10); // beyond the limit: the map
    table.set(-1, 11);
    table.set(2.5, 12);
    expect([table.get(0), table.get(3000), table.get(9999), table.get(10_000), table.get(-1), table.get(2.5)]).toEqual([7, 8, 9, 10, 11, 12]);
    expect(table.get(1)).toBeNaN();
    expect(table.get(5000)).toBeNaN();
    expect(table.get(20_000)).toBeNaN();
  });
});

describe('ValueTable', () => {
  it('keeps a number per value, producer by producer, for any value shape', () => {
    const table = new ValueTable(1000);
    const values = [v(0), v(1), v(999), v(0, 1), v(5, 2), v(9_999_999, 99), -3, -10_000_003, -10_000_000, 2.5];
    values.forEach((value, i) => table.set(value, i));
    expect(values.map((value) => table.get(value))).toEqual(values.map((_, i) => i));
    expect(table.get(v(2))).toBeNaN();
    expect(table.get(v(0, 3))).toBeNaN();
  });
});

describe('ValueSet', () => {
  it('holds values producer by producer in bits, grows, and keeps any other value shape apart', () => {
    const set = new ValueSet(100_000);
    const values = [v(0), v(31), v(32), v(99_999), v(5, 2), v(70_000, 1), -3, 2.5, v(100_000), 2 ** 60];
    for (const value of values) set.add(value);
    expect(values.map((value) => set.has(value))).toEqual(values.map(() => true));
    // Neighbours in the same words, other producers, values past what was added: absent.
    expect([v(1), v(30), v(33), v(99_998), v(5, 1), v(5, 3), -2, 3.5, v(100_001), v(200_000, 4)].some((value) => set.has(value))).toBe(false);
  });

  it('takes about a bit per counter: a million values of one producer in about 128 KB of bits', () => {
    const set = new ValueSet(2_000_000);
    for (let counter = 0; counter < 1_000_000; counter += 2) set.add(v(counter, 3));
    expect(set.has(v(999_998, 3)) && !set.has(v(999_999, 3))).toBe(true);
    expect(set.denseBytes).toBeLessThanOrEqual(256 * 1024); // a Set of these 500,000 values takes about 20 MB
  });
});
