// Failure files: what `ksim check` leaves behind when it finds an anomaly. One JSON file holds the
// scenario with its (shrunk) fault script in place of the random faults, the seed, the anomaly, and
// the trace hash the run produced, so `ksim replay FILE` re-runs it and confirms it is the very
// same run. The file is the reproduction (fast-check's "a failure message is its reproduction").
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../sim/errors.js';
import type { FaultStep } from '../sim/fault.js';
import type { RunOutput } from '../scenario/run.js';
import { runScenario } from '../scenario/run.js';
import type { Scenario } from '../scenario/schema.js';
import { parseScenario } from '../scenario/schema.js';
import type { AnomalyType } from './anomaly.js';
import { isAnomalyType } from './anomaly.js';

export const FAILURE_FILE_VERSION = 1;

export interface FailureFile {
  readonly version: 1;
  /** The scenario, every key spelt out, with faults `{ mode: "script", steps }`: the shrunk script. */
  readonly scenario: Scenario;
  readonly seed: number;
  /** The trace hash of the run of `scenario` with `seed`: a replay must reproduce it exactly. */
  readonly traceHash: string;
  /** The anomaly the search was after (the one shrinking kept). */
  readonly anomaly: AnomalyType;
  /** Every anomaly of that run, with its case count. */
  readonly anomalies: readonly { readonly type: AnomalyType; readonly count: number }[];
  /** Fault steps of the failing run before shrinking, and after. */
  readonly originalSteps: number;
  readonly shrunkSteps: number;
  /** The command that replays it: `ksim replay <path>`. */
  readonly replay: string;
}

/** A failure file before it has a path (and so a replay command). */
export type FailureRecord = Omit<FailureFile, 'replay'>;

export interface FailureInput {
  /** The scenario the failure was found in (its own faults are replaced by `steps`). */
  readonly scenario: Scenario;
  readonly seed: number;
  readonly anomaly: AnomalyType;
  /** Length of the fault plan the failing run had before shrinking. */
  readonly originalSteps: number;
  /** The script to keep: the shrunk one (or the whole plan, unshrunk). */
  readonly steps: readonly FaultStep[];
  /** The run of `scenario` with `seed` and `steps` as its plan. */
  readonly output: RunOutput;
}

/** The scenario as a script: the same settings, with `steps` for faults. */
export function scriptScenario(scenario: Scenario, steps: readonly FaultStep[]): Scenario {
  return { ...scenario, faults: { ...scenario.faults, mode: 'script', steps: steps.map((step) => ({ ...step })) } };
}

/** Everything a failure file holds but its path. */
export function failureRecord(input: FailureInput): FailureRecord {
  const { result } = input.output;
  if (!result.anomalies.some((a) => a.type === input.anomaly)) {
    throw new Error(`failureRecord: the run does not show ${input.anomaly}`);
  }
  return {
    version: 1,
    scenario: scriptScenario(input.scenario, input.steps),
    seed: input.seed,
    traceHash: result.traceHash,
    anomaly: input.anomaly,
    anomalies: result.anomalies.map((a) => ({ type: a.type, count: a.count })),
    originalSteps: input.originalSteps,
    shrunkSteps: input.steps.length,
  };
}

/** `ksim-failure-<scenario>-<seed>.json`, the scenario name cut down to characters safe in a file name. */
export function failureFileName(scenarioName: string, seed: number): string {
  const safe = scenarioName.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'scenario';
  return `ksim-failure-${safe}-${seed}.json`;
}

/** A path as a shell word: bare when it is plainly safe, else single-quoted. */
function shellWord(path: string): string {
  return /^[A-Za-z0-9._/:@+-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

export function replayCommand(path: string): string {
  return `ksim replay ${shellWord(path)}`;
}

/** Writes the failure file into `dir`; returns its path (dir joined with failureFileName). */
export function writeFailureFile(dir: string, failure: FailureRecord): string {
  const path = join(dir, failureFileName(failure.scenario.name, failure.seed));
  const file: FailureFile = { ...failure, replay: replayCommand(path) };
  try {
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UserError(`${path}: cannot write the failure file (${code})`);
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// Reading

function readText(path: string): string {
  try {
    if (statSync(path).isDirectory()) throw new UserError(`${path}: is a folder, not a failure file`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${path}: no such file`);
    throw new UserError(`${path}: cannot read (${code ?? String(error)})`);
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (error) {
    const message = (error as Error).message.replace(/, ".*" is not valid JSON$/s, '').replace(/\s+/g, ' ');
    throw new UserError(`${path}: invalid JSON (${message})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The first problem with the file's own fields (not the scenario), or null. */
function envelopeProblem(json: Record<string, unknown>): string | null {
  if (typeof json['seed'] !== 'number' || !Number.isSafeInteger(json['seed'])) return 'seed: expected an integer';
  if (typeof json['traceHash'] !== 'string' || json['traceHash'] === '') return 'traceHash: expected a non-empty string';
  const anomaly = json['anomaly'];
  if (typeof anomaly !== 'string' || !isAnomalyType(anomaly)) return `anomaly: ${JSON.stringify(anomaly ?? null)} is not an anomaly name`;
  const anomalies = json['anomalies'];
  if (!Array.isArray(anomalies)) return 'anomalies: expected an array';
  const badAnomaly = anomalies.findIndex((a) => !isObject(a) || typeof a['type'] !== 'string' || !isAnomalyType(a['type']) || !isCount(a['count']));
  if (badAnomaly >= 0) return `anomalies.${badAnomaly}: expected { "type": <anomaly name>, "count": <integer> }`;
  if (!isCount(json['originalSteps'])) return 'originalSteps: expected a non-negative integer';
  if (!isCount(json['shrunkSteps'])) return 'shrunkSteps: expected a non-negative integer';
  if (typeof json['replay'] !== 'string') return 'replay: expected a string';
  return null;
}

/** Reads and validates a failure file. Every problem is a UserError of one line naming the file. */
export function readFailureFile(path: string): FailureFile {
  const json = parseJson(path, readText(path));
  if (!isObject(json) || json['version'] !== FAILURE_FILE_VERSION) {
    const found = isObject(json) && 'version' in json ? ` (version ${JSON.stringify(json['version'])})` : '';
    throw new UserError(`${path}: not a ksim failure file: expected "version": ${FAILURE_FILE_VERSION}${found}`);
  }
  const problem = envelopeProblem(json);
  if (problem !== null) throw new UserError(`${path}: ${problem}`);
  const scenario = parseScenario(json['scenario'], `${path}: scenario`);
  if (scenario.faults.mode !== 'script') {
    throw new UserError(`${path}: scenario: faults.mode: a failure file replays a script ("mode": "script"), got "${scenario.faults.mode}"`);
  }
  if (json['shrunkSteps'] !== scenario.faults.steps.length) {
    throw new UserError(`${path}: shrunkSteps: ${String(json['shrunkSteps'])} does not match the ${scenario.faults.steps.length} steps of scenario.faults.steps`);
  }
  return {
    version: 1,
    scenario,
    seed: json['seed'] as number,
    traceHash: json['traceHash'] as string,
    anomaly: json['anomaly'] as AnomalyType,
    anomalies: (json['anomalies'] as { type: AnomalyType; count: number }[]).map((a) => ({ type: a.type, count: a.count })),
    originalSteps: json['originalSteps'] as number,
    shrunkSteps: json['shrunkSteps'] as number,
    replay: json['replay'] as string,
  };
}

// ---------------------------------------------------------------------------------------------
// Replaying

export interface ReplayOptions {
  /** Keep the trace records (for `ksim replay --trace`); the hash is the same either way. */
  readonly recordTrace?: boolean;
}

export interface ReplayOutcome {
  readonly output: RunOutput;
  /** The replay produced the file's trace hash: it is the same run. */
  readonly hashMatches: boolean;
  /** The replay shows the file's anomaly. */
  readonly anomalyPresent: boolean;
}

/** Runs the file's scenario (its script) with its seed and compares the trace hash. */
export function replayFailure(file: FailureFile, opts: ReplayOptions = {}): ReplayOutcome {
  const output = runScenario(file.scenario, file.seed, opts.recordTrace === true ? { recordTrace: true } : {});
  return {
    output,
    hashMatches: output.result.traceHash === file.traceHash,
    anomalyPresent: output.result.anomalies.some((a) => a.type === file.anomaly),
  };
}
