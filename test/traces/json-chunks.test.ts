import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../traces/json-chunks.js';

describe('jsonChunks', () => {
  test.prop([fc.jsonValue()])('joins to JSON.stringify of any JSON value', (value) => {
    expect([...jsonChunks(value)].join('')).toBe(JSON.stringify(value));
  });

  it('writes a large array in slices that join to the same text, and skips undefined fields', () => {
    const value = { a: Array.from({ length: 25_001 }, (_, i) => (i % 3 === 0 ? { i } : i)), b: undefined, c: 'x' };
    const pieces = [...jsonChunks(value)];
    expect(pieces.length).toBeGreaterThan(5);
    expect(pieces.join('')).toBe(JSON.stringify(value));
  });
});
