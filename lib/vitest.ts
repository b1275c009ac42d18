// `ksim/vitest`: state a property over seeds in one line of a test.
//
//   test('safe settings: nothing acknowledged is lost', () => {
//     propertyOverSeeds('safe', { seeds: 20 });
//   }, 60_000);
//
// It does not import vitest: it throws a plain Error (SeedPropertyError) whose message holds the
// failing seed and the `ksim replay` command, so it runs under any test runner and any vitest copy.
export { propertyOverSeeds, SeedPropertyError } from './property-over-seeds.js';
export type { SeedPropertyOptions, SeedPropertySummary } from './property-over-seeds.js';
export type { RecordedFailure } from '../cli/check/failure.js';
