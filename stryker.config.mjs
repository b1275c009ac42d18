// Mutation testing (npm run mutation; not part of npm test): StrykerJS mutates the checkers and the
// protocol core of the model, and runs the tests of vitest.mutation.config.ts against each mutant.
// KSIM_MUTATION_SCOPE=properties or =models runs one half (docs/mutation.md has the scores and
// the mutants that survive, with the reason for each).
const CHECKERS = ['properties/checkers/*.ts', 'properties/_internals/*.ts', 'properties/check.ts', 'properties/final-log.ts', 'properties/anomaly.ts'];
const MODELS = ['models/replication/leader.ts', 'models/replication/follower.ts', 'models/controller/controller.ts', 'models/replication/producer-state.ts', 'models/replication/idempotence.ts'];

const scope = process.env.KSIM_MUTATION_SCOPE;
/** Each half keeps its own reports and incremental results: a run of one does not discard the other's. */
const out = `reports/mutation/${scope ?? 'all'}`;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: scope === 'properties' ? CHECKERS : scope === 'models' ? MODELS : [...CHECKERS, ...MODELS],
  // Two cores are shared: one test process at a time.
  concurrency: 1,
  timeoutMS: 15_000,
  reporters: ['clear-text', 'html', 'json', 'progress-append-only'],
  htmlReporter: { fileName: `${out}/mutation.html` },
  jsonReporter: { fileName: `${out}/mutation.json` },
  // Results of earlier runs are reused for mutants whose code and tests have not changed.
  incremental: true,
  incrementalFile: `${out}/stryker-incremental.json`,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 90, low: 80, break: null },
};
