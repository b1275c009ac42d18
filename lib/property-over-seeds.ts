// A property over seeds for a test runner: `ksim check` in one call. Seeds from, from+1, … run in
// order in this thread; the first that fails (an anomaly the scenario does not allow, or a liveness
// failure) is recorded exactly as `ksim check` records it (the same code, cli/check/failure.ts: an
// anomaly is shrunk and written to a failure file; a liveness failure keeps its `ksim run` command),
// and the call throws an Error whose message carries the commands that reproduce it: `ksim replay
// <file>` and `ksim run <scenario> --seed N`. Nothing here imports a test runner, so it works under
// vitest, node:test, jest or mocha alike, whichever copy of vitest a project has.
import { mkdirSync } from 'node:fs';
import { recordFailure, type RecordedFailure } from '../cli/check/failure.js';
import { DEFAULT_SEEDS } from '../cli/check/seeds.js';
import { RunBugError, withRunContext } from '../cli/run-error.js';
import { command } from '../cli/shell.js';
import { formatSteps } from '../cli/steps-format.js';
import { ANOMALY_TYPES, type AnomalyReport, type AnomalyType } from '../properties/anomaly.js';
import { readFailureFile } from '../properties/failure-file.js';
import { loadScenario } from '../scenario/load.js';
import { runScenario, type RunOutput } from '../scenario/run.js';
import type { AnomalyName, LivenessName, Scenario } from '../scenario/schema.js';
import type { FaultStep } from '../sim/fault.js';

export interface SeedPropertyOptions {
  /** How many seeds, from `from` on, as `ksim check --seeds` (default 100, its default). */
  readonly seeds?: number;
  /** The first seed, as `ksim check --from` (default 1). */
  readonly from?: number;
  /** Anomalies or liveness failures this test allows besides the scenario's own `allowedAnomalies`. */
  readonly allow?: readonly (AnomalyName | LivenessName)[];
  /** Shrink the failing seed's fault script before writing the failure file (default true). */
  readonly shrink?: boolean;
  /** Most runs shrinking may spend (default 300, as `ksim check --shrink-runs`). */
  readonly maxShrinkRuns?: number;
  /** The folder the failure file goes to (default: the current folder, as `ksim check`). */
  readonly outDir?: string;
}

/** What the seeds showed when the property held. */
export interface SeedPropertySummary {
  readonly scenario: string;
  readonly runs: number;
  /** Runs showing each (allowed) anomaly, keyed in anomaly-type order. */
  readonly anomalyCounts: Readonly<Partial<Record<AnomalyType, number>>>;
}

/** The property failed: a seed showed an anomaly or liveness failure the scenario does not allow. */
export class SeedPropertyError extends Error {
  override readonly name = 'SeedPropertyError';
  constructor(
    message: string,
    readonly seed: number,
    /** The failure as `ksim check` records it (file, replay command, shrunk steps); null for a ksim bug. */
    readonly failure: RecordedFailure | null,
    /** The command that reproduces the seed: `ksim replay <file>`, else `ksim run <scenario> --seed N`. */
    readonly reproduce: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

interface Target {
  readonly scenario: Scenario;
  /** `ksim run <ref> --seed N`, or where the scenario was given as an object, how to run it in code. */
  readonly runCommand: (seed: number) => string;
}

function targetOf(ref: string | Scenario, allow: readonly (AnomalyName | LivenessName)[]): Target {
  const base = typeof ref === 'string' ? loadScenario(ref) : ref;
  const allowed = [...base.allowedAnomalies, ...allow.filter((name) => !base.allowedAnomalies.includes(name))];
  const runCommand = typeof ref === 'string'
    ? (seed: number) => command('run', ref, '--seed', String(seed))
    : (seed: number) => `runScenario(scenario, ${seed}) (scenario "${base.name}", given as an object)`;
  return { scenario: { ...base, allowedAnomalies: allowed }, runCommand };
}

function checkRange(from: number, seeds: number): void {
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`propertyOverSeeds: from must be a whole number, got ${from}`);
  if (!Number.isSafeInteger(seeds) || seeds < 1) throw new RangeError(`propertyOverSeeds: seeds must be a positive whole number, got ${seeds}`);
  if (!Number.isSafeInteger(from + seeds - 1)) throw new RangeError(`propertyOverSeeds: seeds ${from}…${from + seeds - 1} pass 2^53 − 1`);
}

/**
 * Runs seeds `from` … `from + seeds − 1` of a scenario (a preset name, a JSON file path, or a
 * loaded Scenario) and returns a summary when every run passes. At the first failing seed it
 * shrinks the fault script, writes the failure file and throws a SeedPropertyError whose message
 * names the seed, the anomaly with example cases, and the `ksim replay` command.
 */
export function propertyOverSeeds(ref: string | Scenario, options: SeedPropertyOptions = {}): SeedPropertySummary {
  const from = options.from ?? 1;
  const seeds = options.seeds ?? DEFAULT_SEEDS;
  checkRange(from, seeds);
  const target = targetOf(ref, options.allow ?? []);
  const { scenario } = target;
  const seen = new Map<AnomalyType, number>();
  for (let seed = from; seed < from + seeds; seed++) {
    const output = runSeed(target, seed);
    for (const report of output.result.anomalies) seen.set(report.type, (seen.get(report.type) ?? 0) + 1);
    if (!output.result.ok) throw failed(target, seed, seed - from + 1, output, options);
  }
  const anomalyCounts: Partial<Record<AnomalyType, number>> = {};
  for (const type of ANOMALY_TYPES) {
    const count = seen.get(type);
    if (count !== undefined) anomalyCounts[type] = count;
  }
  return { scenario: scenario.name, runs: seeds, anomalyCounts };
}

/** Runs `fn` for one seed; a ksim bug in it (exit code 3 on the command line) fails the property with its seed. */
function forSeed<T>(target: Target, seed: number, fn: () => T): T {
  try {
    return withRunContext({ scenario: target.scenario.name, seed }, fn);
  } catch (error) {
    if (!(error instanceof RunBugError)) throw error;
    const reproduce = target.runCommand(seed);
    throw new SeedPropertyError(`ksim bug: ${error.message}\nreproduce: ${reproduce}`, seed, null, reproduce, { cause: error });
  }
}

function runSeed(target: Target, seed: number): RunOutput {
  return forSeed(target, seed, () => runScenario(target.scenario, seed));
}

/** Cases shown per unexpected anomaly. */
const CASES_SHOWN = 3;

function caseLines(report: AnomalyReport): string[] {
  const shown = report.examples.slice(0, CASES_SHOWN);
  const lines = [`  ${report.type}: ${report.count} case${report.count === 1 ? '' : 's'}`, ...shown.map((example) => `    - ${example.summary}`)];
  if (report.count > shown.length) lines.push(`    … and ${report.count - shown.length} more`);
  return lines;
}

function stepLines(steps: readonly FaultStep[]): string[] {
  return formatSteps(steps).map((line) => `  ${line}`);
}

/** What the failure file (or, when it could not be written, the failure itself) says. */
function failureLines(failure: RecordedFailure, unshrunk: string): string[] {
  const steps = (n: number) => `${n} step${n === 1 ? '' : 's'}`;
  const script = failure.shrinkRuns > 0
    ? `fault script shrunk from ${failure.originalSteps} to ${steps(failure.shrunkSteps)}:`
    : `fault script (${steps(failure.originalSteps)}, not shrunk):`;
  if (failure.file !== null) {
    // The script is in the file; recordFailure returns it inline only when it could not write one.
    const written = readFailureFile(failure.file).scenario.faults.steps;
    return [script, ...stepLines(written), `failure file: ${failure.file}`, `replay: ${failure.replay}`, `unshrunk: ${unshrunk}`];
  }
  if (failure.writeError === undefined) return [`reproduce: ${failure.replay}`];
  return [script, ...stepLines(failure.steps ?? []), `failure file not written: ${failure.writeError}`, `reproduce (unshrunk): ${failure.replay}`];
}

function failed(target: Target, seed: number, runs: number, output: RunOutput, options: SeedPropertyOptions): SeedPropertyError {
  const { scenario } = target;
  const outDir = options.outDir ?? '.';
  mkdirSync(outDir, { recursive: true });
  const failure = forSeed(target, seed, () => recordFailure(scenario, seed, outDir, {
    shrink: options.shrink ?? true,
    runCommand: target.runCommand,
    ...(options.maxShrinkRuns === undefined ? {} : { maxShrinkRuns: options.maxShrinkRuns }),
  }));
  const unexpected = new Set(output.result.unexpected);
  const lines = [`${scenario.name}: seed ${seed} fails with ${failure.anomaly}, after ${runs} run${runs === 1 ? '' : 's'}`];
  for (const report of output.result.anomalies) if (unexpected.has(report.type)) lines.push(...caseLines(report));
  for (const problem of failure.problems) lines.push(`  - ${problem}`);
  lines.push(...failureLines(failure, target.runCommand(seed)));
  return new SeedPropertyError(lines.join('\n'), seed, failure, failure.replay);
}
