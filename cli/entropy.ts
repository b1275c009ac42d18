// The one place ksim reads entropy (STYLE.md "Entropy at the edge"): only when the user gave no
// seed, and the seed picked is always printed so the run can be repeated.
import { randomInt } from 'node:crypto';

/** Seeds picked at random stay below 2^31 so they are short to type. */
const MAX_PICKED_SEED = 2 ** 31 - 1;

export function pickSeed(): number {
  return randomInt(1, MAX_PICKED_SEED);
}
