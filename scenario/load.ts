// Reading scenarios: a reference is a preset name (a JSON file shipped in scenario/presets/) or a
// path to a JSON file. Every failure (missing file, bad JSON, invalid scenario) is a UserError with
// one line naming the file and the problem, so the CLI can exit 2 without a stack trace.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../sim/errors.js';
import { parseScenario, type Scenario } from './schema.js';

/** A scenario file read and parsed as JSON, not yet validated (explore edits it with --vary first). */
export interface RawScenario {
  /** Names the file in messages: the path as given, or `preset NAME`. */
  readonly source: string;
  /** The parsed JSON, with `name` filled in from the file or preset name when absent. */
  readonly raw: unknown;
}

export interface PresetInfo {
  readonly name: string;
  readonly description: string;
}

// Presets are plain JSON beside this module's source. The build does not copy JSON into dist/, so
// from dist/scenario/load.js the folder is found back in the package root's scenario/presets/.
const PRESET_DIR_CANDIDATES = ['./presets/', '../../scenario/presets/'];

/** The folder holding the preset JSON files. */
export function presetsDir(): string {
  for (const candidate of PRESET_DIR_CANDIDATES) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(dir) && statSync(dir).isDirectory()) return dir;
  }
  // Not the user's doing: the installation is incomplete. Plain Error, so it is not exit code 2.
  throw new Error(`ksim installation: presets folder not found beside ${fileURLToPath(import.meta.url)}`);
}

function presetNames(): string[] {
  return readdirSync(presetsDir())
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.slice(0, -'.json'.length))
    .sort();
}

/** The presets that ship with ksim, sorted by name, each with its one-line description. */
export function listPresets(): PresetInfo[] {
  return presetNames().map((name) => {
    const json = readJson(join(presetsDir(), `${name}.json`), `preset ${name}`);
    const description = isPlainObject(json) && typeof json['description'] === 'string' ? json['description'] : '';
    return { name, description };
  });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Converts "… in JSON at position 42" into a line and column, which is what an editor shows. */
function describeJsonError(text: string, message: string): string {
  // V8 quotes the offending source after a comma ("Unexpected token '}', "{…" is not valid JSON");
  // it may span lines, so drop it to keep the message one line.
  const withoutSnippet = message.replace(/, ".*" is not valid JSON$/s, '');
  const match = /^(.*) in JSON at position (\d+)/s.exec(withoutSnippet);
  if (!match) return withoutSnippet.replace(/\s+/g, ' ');
  const position = Number(match[2]);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${match[1]} at line ${line}, column ${column}`;
}

function readText(path: string, source: string): string {
  try {
    if (statSync(path).isDirectory()) throw new UserError(`${source}: is a folder, not a scenario file`);
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`${source}: no such file`);
    if (code === 'EACCES') throw new UserError(`${source}: cannot read (permission denied)`);
    throw new UserError(`${source}: cannot read (${code ?? String(error)})`);
  }
}

function readJson(path: string, source: string): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const text = readText(path, source).replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`${source}: invalid JSON: ${describeJsonError(text, (error as Error).message)}`);
  }
}

// A bare word that names a preset is the preset; anything else is a path. Presets win over a file
// of the same bare name in the current folder because a preset name must mean the same everywhere.
function resolveRef(ref: string): { path: string; source: string; name: string } {
  const looksLikePath = ref.includes('/') || ref.includes('\\') || ref.endsWith('.json');
  if (!looksLikePath && presetNames().includes(ref)) {
    return { path: join(presetsDir(), `${ref}.json`), source: `preset ${ref}`, name: ref };
  }
  if (!looksLikePath && !existsSync(ref)) {
    throw new UserError(`${ref}: no such file or preset (presets: ${presetNames().join(', ')})`);
  }
  return { path: ref, source: ref, name: basename(ref).replace(/\.json$/, '') };
}

/** Reads a scenario file or preset as JSON without validating it. */
export function readScenario(ref: string): RawScenario {
  const { path, source, name } = resolveRef(ref);
  const json = readJson(path, source);
  // Outputs need a label; the file's own name is the natural one when the scenario has none.
  const raw = isPlainObject(json) && !('name' in json) ? { name, ...json } : json;
  return { source, raw };
}

/** Loads and validates a scenario: a preset name or a JSON file path. Throws UserError. */
export function loadScenario(ref: string): Scenario {
  const { source, raw } = readScenario(ref);
  return parseScenario(raw, source);
}
