// Named, seeded random streams (DESIGN.md "Determinism rules"). Every stream is an Alea generator
// seeded by a string; a fork's seed is the parent's seed string plus the fork's name, never the
// parent's current state, so adding a draw on one stream never shifts another.
import seedrandom from 'seedrandom';
import type { Random } from './env.js';
import { SimAssertionError } from './errors.js';

class AleaRandom implements Random {
  private readonly draw: () => number;

  constructor(readonly seed: string) {
    this.draw = seedrandom.alea(seed);
  }

  next(): number {
    return this.draw();
  }

  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max)) fail(`random.int needs integers, got [${min}, ${max}]`);
    if (max < min) fail(`random.int: empty range [${min}, ${max}]`);
    return min + Math.floor(this.draw() * (max - min + 1));
  }

  chance(p: number): boolean {
    // Always draw, so the stream's position never depends on the value of p.
    return this.draw() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) fail('random.pick from an empty array');
    return items[Math.floor(this.draw() * items.length)] as T;
  }

  exponential(mean: number): number {
    if (!(mean >= 0)) fail(`random.exponential needs a mean >= 0, got ${mean}`);
    // draw() is in [0, 1), so 1 - draw() is in (0, 1] and the log is finite.
    return Math.floor(-Math.log(1 - this.draw()) * mean);
  }

  uniform(min: number, max: number): number {
    return min + this.draw() * (max - min);
  }

  fork(name: string): Random {
    return new AleaRandom(`${this.seed}/${name}`);
  }
}

function fail(message: string): never {
  throw new SimAssertionError(message, null, -1);
}

/** The root stream of a run. Fork it by name for each component. */
export function createRandom(seed: number | string): Random {
  return new AleaRandom(String(seed));
}
