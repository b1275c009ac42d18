// The tests the mutation run (npm run mutation, stryker.config.mjs) runs against each mutant: the
// fast ones that exercise the mutated files, not the whole suite. KSIM_MUTATION_SCOPE=properties
// or =models narrows both the mutated files and these tests to one half; the scenario-driven model
// tests run the checkers too, so keeping them out of the checker half keeps it quick.
import { defineConfig } from 'vitest/config';

/** Checker unit tests: hand-built histories, no simulation. */
const CHECKER_TESTS = [
  'aborted-read', 'committed-record-lost', 'duplicate-delivery', 'duplicate', 'inconsistent-offsets', 'log-divergence',
  'lost-delivery', 'lost-write', 'nonmonotonic-poll', 'nonmonotonic-send', 'poll-skip', 'unseen', 'offset-table',
  'final-log', 'check', 'unclean-election', 'property', 'mutation-checkers', 'mutation-final-log', 'mutation-raft', 'mutation-transactions', 'raft-invariants', 'transactions',
].map((name) => `test/properties/${name}.test.ts`);

/** Protocol unit tests, then the few short scenario runs that drive leader, follower and controller. */
const MODEL_TESTS = [
  'producer-state', 'mutation-producer-state', 'leader-isr', 'mutation-leader-hw', 'elr', 'replication', 'producer-retries',
  'producer-idempotence', 'mutation-idempotence',
].map((name) => `test/models/${name}.test.ts`);

const scope = process.env['KSIM_MUTATION_SCOPE'];

export default defineConfig({
  test: {
    include: scope === 'properties' ? CHECKER_TESTS : scope === 'models' ? MODEL_TESTS : [...CHECKER_TESTS, ...MODEL_TESTS],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
