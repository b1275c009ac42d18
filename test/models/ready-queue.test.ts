// The producer's ready queue must behave exactly as the array it replaced (push, shift, insert at
// any position, at, some), including across its internal compaction, and shift in O(1).
import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import { ReadyQueue } from '../../models/clients/ready-queue.js';

type Op = { op: 'push'; n: number } | { op: 'shift'; n: number } | { op: 'insert'; at: number };

describe('ReadyQueue', () => {
  test.prop([fc.array(fc.oneof(
    fc.record({ op: fc.constant('push' as const), n: fc.integer({ min: 1, max: 3000 }) }),
    fc.record({ op: fc.constant('shift' as const), n: fc.integer({ min: 1, max: 3000 }) }),
    fc.record({ op: fc.constant('insert' as const), at: fc.oneof(fc.constant(0), fc.nat()) }), // the front often: a retry goes there
  ), { maxLength: 40 })])('does what an array does, whatever the mix of pushes, shifts and inserts', (ops: Op[]) => {
    const queue = new ReadyQueue<number>();
    const model: number[] = [];
    let next = 0;
    for (const step of ops) {
      if (step.op === 'push') {
        for (let i = 0; i < step.n; i++) { queue.push(next); model.push(next++); }
      } else if (step.op === 'shift') {
        for (let i = 0; i < step.n; i++) expect(queue.shift()).toBe(model.shift());
      } else {
        const at = step.at % (model.length + 1);
        queue.insert(at, next);
        model.splice(at, 0, next++);
      }
      expect(queue.length).toBe(model.length);
      expect(queue.at(0)).toBe(model[0]);
      expect(queue.at(model.length - 1)).toBe(model[model.length - 1]);
      expect(queue.at(model.length)).toBeUndefined();
      expect(queue.at(-1)).toBeUndefined();
    }
    const rest: number[] = [];
    for (let i = 0; i < queue.length; i++) rest.push(queue.at(i)!);
    expect(rest).toEqual(model);
  });

  it('drains a backlog far past the size where Array.prototype.shift copies the rest each time', () => {
    // 400,000 items: as an array, shifting them all moves about 8·10^10 slots (about 10 s on the CI machine,
    // quadratic); here, milliseconds.
    const queue = new ReadyQueue<number>();
    for (let i = 0; i < 400_000; i++) queue.push(i);
    let sum = 0;
    const start = performance.now();
    for (let x = queue.shift(); x !== undefined; x = queue.shift()) sum += x;
    expect(sum).toBe(399_999 * 400_000 / 2);
    expect(queue.length).toBe(0);
    expect(performance.now() - start).toBeLessThan(2_000);
  });
});
