import { describe, expect, it } from 'vitest';
import { OffsetTable } from '../../properties/_internals/offset-table.js';
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
