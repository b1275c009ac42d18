// Failure files: what `ksim check` leaves behind when it finds an anomaly. One JSON file holds the
// scenario with its (shrunk) fault script in place of the random faults, the seed, the anomaly, and
// the trace hash the run produced, so `ksim replay FILE` re-runs it and confirms it is the very
// same run. The file is the reproduction (fast-check's "a failure message is its reproduction").
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../sim/errors.js';
import { writeFileSafely } from '../traces/files.js';
import type { FaultStep } from '../sim/fault.js';
import type { TraceRecord } from '../sim/trace-record.js';
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
  /**
   * A hash of every field above but `replay`, as written: a file whose checksum no longer matches
   * was changed after ksim wrote it, so a replay that differs is the edit's doing, not a ksim bug.
   * Absent in files written before it existed.
   */
  readonly checksum?: string;
}

/** A failure file before it has a path (and so a replay command). */
export type FailureRecord = Omit<FailureFile, 'replay' | 'checksum'>;

/** FNV-1a over the string's UTF-16 units in two 32-bit lanes: a change detector, not a secret. */
function fnv64(text: string): string {
  let a = 0x811c9dc5, b = 0x01000193 ^ 0x9e3779b9;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c ^ (a >>> 15), 0x85ebca6b);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** The checksum of a failure file's content: every field but `replay` and `checksum`, in order. */
export function failureChecksum(json: Readonly<Record<string, unknown>>): string {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) if (key !== 'replay' && key !== 'checksum') fields[key] = value;
  return fnv64(JSON.stringify(fields));
}

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

/** Most `-2`, `-3`, … suffixes tried before giving up on a free name. */
const MAX_NAME_SUFFIX = 1000;

/** The same failure: an earlier check of the same seed wrote this very file (its replay aside). */
function holdsSameFailure(path: string, checksum: string): boolean {
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    return json['checksum'] === checksum;
  } catch {
    return false;
  }
}

/**
 * Writes the failure file into `dir`; returns its path. The name is failureFileName's; an existing
 * file of that name that holds another failure is never replaced: the new one gets a `-2`, `-3`, …
 * suffix. The write goes through a temporary file, so it is whole or absent.
 */
export function writeFailureFile(dir: string, failure: FailureRecord): string {
  const base = failureFileName(failure.scenario.name, failure.seed).replace(/\.json$/, '');
  const checksum = failureChecksum(failure as unknown as Record<string, unknown>);
  for (let n = 1; n <= MAX_NAME_SUFFIX; n++) {
    const path = join(dir, n === 1 ? `${base}.json` : `${base}-${n}.json`);
    if (existsSync(path)) {
      if (holdsSameFailure(path, checksum)) return path;
      continue;
    }
    const file: FailureFile = { ...failure, replay: replayCommand(path), checksum };
    writeFileSafely(path, [`${JSON.stringify(file, null, 2)}\n`], { what: 'failure file' });
    return path;
  }
  throw new UserError(`${join(dir, `${base}.json`)}: ${MAX_NAME_SUFFIX} failure files of this name exist; remove some or use --out-dir`);
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
  const seed = json['seed'];
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0) return `seed: expected a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, got ${JSON.stringify(seed ?? null)}`;
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
  // Valid, but not what ksim wrote: a replay that differs would be the edit's doing, not a ksim bug.
  const checksum = json['checksum'];
  if (checksum !== undefined && checksum !== failureChecksum(json)) {
    throw new UserError(`${path}: this file was changed after ksim wrote it (its checksum no longer matches); run \`ksim check\` again for a fresh one`);
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
    ...(typeof checksum === 'string' ? { checksum } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Replaying

export interface ReplayOptions {
  /** Keep the trace records (for `ksim replay --trace`); the hash is the same either way. */
  readonly recordTrace?: boolean;
  /** Keep them in this array as the run goes, so a replay that fails still leaves them. */
  readonly traceInto?: TraceRecord[];
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
  const traceOptions = opts.traceInto !== undefined ? { recordTrace: true, traceInto: opts.traceInto } : { recordTrace: opts.recordTrace === true };
  const output = runScenario(file.scenario, file.seed, traceOptions);
  return {
    output,
    hashMatches: output.result.traceHash === file.traceHash,
    anomalyPresent: output.result.anomalies.some((a) => a.type === file.anomaly),
  };
}
