// The package's library API (`import { … } from 'ksim'`): everything the `ksim` command does, as
// plain functions. It only re-exports; the code lives in its layer (scenario/, properties/,
// traces/), so the command and the library cannot drift apart.
//
//   const scenario = loadScenario('safe');          // a preset name or a JSON file: validated
//   const run = runScenario(scenario, 42);          // one run: result (the `ksim run --json` object),
//                                                   // history, final state, fault plan
//   const found = searchSeeds(scenario, { from: 1, count: 100, stopAtFirst: true });
//   const shrunk = shrinkFailure(scenario, seed, plan, 'lost-write');
//   const file = writeFailureFile('.', failureRecord({ … }));  // then replayCommand(file)
//   renderHtml(readTrace('run.jsonl'), { title: 'run' });
//
// `ksim/vitest` (lib/vitest.ts) states a property over seeds in one line for a test.

// Errors: a user's mistake (the CLI's exit code 2) and a broken invariant inside ksim (exit code 3).
export { SimAssertionError, UserError } from '../sim/errors.js';

// Scenarios: reading, validating, presets, and the `--vary` settings of `ksim explore`.
export { listPresets, loadScenario, presetsDir, readScenario } from '../scenario/load.js';
export type { PresetInfo, RawScenario } from '../scenario/load.js';
export { ANOMALY_NAMES, LIVENESS_NAMES, parseScenario, scenarioNodes, scenarioSchema } from '../scenario/schema.js';
export type {
  Acks, AnomalyName, BrokerConfig, CommitStrategy, ConsumerConfig, FaultMode, LivenessName, ProducerConfig, Scenario,
  ScenarioNodes, Truncation,
} from '../scenario/schema.js';
export { applyVary, crossProduct, EACH, parseVary } from '../scenario/vary.js';
export type { PathStep, Vary, VaryCombo, VaryValue } from '../scenario/vary.js';
export { derivedSettleCapMs, settleCapMs } from '../scenario/settle-cap.js';
export { ALL_FAULT_KINDS } from '../sim/fault.js';
export type { FaultKind, FaultStep } from '../sim/fault.js';

// Running: one seeded run, judged (runScenario), or the simulation alone (simulate).
export { runScenario, simulate } from '../scenario/run.js';
export type { LivenessReport, RunOptions, RunOutput, RunResult, RunStats, SettleState, SimulatedRun } from '../scenario/run.js';
export type { BuildOptions } from '../scenario/build.js';
export type { FinalState, HistoryKind, HistoryOp, PartitionState, PolledRecord, ReplicaState, Value } from '../models/history/history.js';
export { valueLabel } from '../models/history/history.js';

// Checking: the property checkers, one per anomaly, and the verdict over a run (checkRun).
export * from '../properties/index.js';

// Searching seeds, shrinking a failing fault script, failure files and their replay.
export { isFailure, searchSeeds } from '../properties/search.js';
export type { SearchOptions, SearchProgress, SearchResult } from '../properties/search.js';
export { DEFAULT_SHRINK_MAX_RUNS, PlanDoesNotFail, shrinkAssertion, shrinkFailure, shrinkSteps } from '../properties/shrink.js';
export type { ShrinkOptions, ShrinkResult, ShrunkAssertion, ShrunkSteps } from '../properties/shrink.js';
export {
  FAILURE_FILE_VERSION, failureChecksum, failureFileName, failureRecord, readFailureFile, replayCommand, replayFailure,
  scriptScenario, writeFailureFile,
} from '../properties/failure-file.js';
export type { FailureFile, FailureInput, FailureRecord, ReplayOptions, ReplayOutcome } from '../properties/failure-file.js';

// Traces: reading and writing trace files, and their views (text, HTML space-time diagram, Perfetto).
export * from '../traces/index.js';
export type { TraceRecord } from '../sim/trace-record.js';
export type { WriteOptions } from '../traces/files.js';
