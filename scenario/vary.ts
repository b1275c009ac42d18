// `ksim explore --vary KEY=V1,V2`: settings varied over a raw scenario before it is validated.
// Kafka's names contain dots (`broker.unclean.leader.election.enable`), so a key cannot be split
// on dots blindly; it is resolved against the scenario schema's own structure, longest known key
// first. Arrays of objects (producers[], consumers[]) take the setting in every entry, or in one
// entry with an index (`producers[0].acks` or `producers.0.acks`). A Kafka setting may also be named
// bare, as in server.properties or a client's configuration, when one section alone has it.
import { z } from 'zod';
import { UserError } from '../sim/errors.js';
import { closestKey, scenarioSchema } from './schema.js';

/** Apply to every entry of an array. */
export const EACH: unique symbol = Symbol('each');
export type PathStep = string | number | typeof EACH;

export interface VaryValue {
  /** As the user wrote it, for labels. */
  readonly text: string;
  readonly value: unknown;
}

export interface Vary {
  /** The key as the user wrote it. */
  readonly key: string;
  readonly path: readonly PathStep[];
  readonly values: readonly VaryValue[];
}

export interface VaryCombo {
  /** `key=value` for each vary, space-separated, in the order the varies were given. */
  readonly label: string;
  readonly settings: readonly { readonly key: string; readonly value: unknown }[];
  /** Returns a copy of the raw scenario with these settings applied; the input is not changed. */
  apply(raw: unknown): unknown;
}

// ---------------------------------------------------------------------------------------------
// Resolving a key against the schema

/** Strips defaults, optionals and transforms to reach the object, array or leaf underneath. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  if (schema instanceof z.ZodPipe) return unwrap(schema.in);
  if (schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional || schema instanceof z.ZodNullable) {
    return unwrap(schema.unwrap());
  }
  return schema;
}

type Shape = Record<string, z.core.$ZodType>;

/** The known key that `rest` starts with, longest first so `a.b` wins over `a` if both exist. */
function matchKey(shape: Shape, rest: string): string | undefined {
  const keys = Object.keys(shape).sort((a, b) => b.length - a.length);
  return keys.find((key) => rest === key || rest.startsWith(`${key}.`));
}

function unknownKey(key: string, prefix: string, shape: Shape, rest: string): UserError {
  const known = Object.keys(shape).map((k) => prefix + k);
  const suggestion = closestKey(prefix + rest, known);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return new UserError(`--vary ${key}: unknown key "${prefix}${rest}"${hint}`);
}

interface Resolved {
  readonly path: PathStep[];
  /** A list setting (faults.kinds): each value is a `+`-joined list. */
  readonly isList: boolean;
}

function resolveInArray(key: string, prefix: string, array: z.ZodArray, rest: string): Resolved {
  const element = unwrap(array.element);
  if (!(element instanceof z.ZodObject)) throw new UserError(`--vary ${key}: the entries of ${prefix.slice(0, -1)} cannot be varied`);
  const [first = '', ...others] = rest.split('.');
  if (/^\d+$/.test(first)) {
    const inner = resolveIn(key, `${prefix}${first}.`, element, others.join('.'));
    return { ...inner, path: [Number(first), ...inner.path] };
  }
  const inner = resolveIn(key, prefix, element, rest);
  return { ...inner, path: [EACH, ...inner.path] };
}

function resolveIn(key: string, prefix: string, schema: z.core.$ZodType, rest: string): Resolved {
  const node = unwrap(schema);
  if (rest === '') {
    if (node instanceof z.ZodArray) {
      const element = unwrap(node.element);
      if (element instanceof z.ZodObject) throw new UserError(`--vary ${key}: choose a setting inside ${prefix.slice(0, -1)}`);
      // Lists of names (faults.kinds, allowedAnomalies) only; fault scripts are not a `+` list.
      if (!(element instanceof z.ZodEnum)) throw new UserError(`--vary ${key}: ${prefix.slice(0, -1)} cannot be varied`);
      return { path: [], isList: true };
    }
    if (node instanceof z.ZodObject) {
      throw new UserError(`--vary ${key}: choose a setting inside ${prefix.slice(0, -1)} (${Object.keys(node.shape).join(', ')})`);
    }
    return { path: [], isList: false };
  }
  if (node instanceof z.ZodArray) return resolveInArray(key, prefix, node, rest);
  if (!(node instanceof z.ZodObject)) throw new UserError(`--vary ${key}: ${prefix.slice(0, -1)} has no settings inside it`);
  const shape = node.shape as Shape;
  const match = matchKey(shape, rest);
  const child = match === undefined ? undefined : shape[match];
  if (match === undefined || child === undefined) throw unknownKey(key, prefix, shape, rest);
  const inner = resolveIn(key, `${prefix}${match}.`, child, rest.slice(match.length + 1));
  return { ...inner, path: [match, ...inner.path] };
}

// ---------------------------------------------------------------------------------------------
// Kafka's own names without their section

/**
 * The sections whose keys are Kafka's configuration names: the broker's (server.properties), the
 * producer's and the consumer's. A Kafka user types `unclean.leader.election.enable` or `acks`,
 * not `broker.unclean.leader.election.enable` or `producers.acks`.
 */
const KAFKA_SECTIONS = ['broker', 'producers', 'consumers'] as const;

/** Each Kafka section with its setting names. */
function kafkaSections(): { section: string; keys: string[] }[] {
  const top = unwrap(scenarioSchema);
  if (!(top instanceof z.ZodObject)) return [];
  const shape = top.shape as Shape;
  return KAFKA_SECTIONS.map((section) => {
    const field = shape[section];
    let node = field === undefined ? undefined : unwrap(field);
    if (node instanceof z.ZodArray) node = unwrap(node.element);
    return { section, keys: node instanceof z.ZodObject ? Object.keys(node.shape) : [] };
  });
}

/**
 * server.properties names of settings the scenario spells otherwise: the broker's defaults for a
 * new topic are ksim's one topic's settings, and the broker-wide flush settings are the topic-level
 * ones the scenario names (`flush.messages`, `flush.ms`, Kafka's LogConfig), which they default.
 */
export const SERVER_PROPERTIES_NAMES: Readonly<Record<string, string>> = {
  'num.partitions': 'topic.partitions',
  'default.replication.factor': 'topic.replicationFactor',
  'log.flush.interval.messages': 'broker.flush.messages',
  'log.flush.interval.ms': 'broker.flush.ms',
};

/**
 * Resolves the key as the scenario file spells it; failing that, as a server.properties name the
 * scenario spells otherwise (SERVER_PROPERTIES_NAMES), or as a bare Kafka setting name that
 * exactly one section has (`min.insync.replicas` → `broker.min.insync.replicas`, `acks` →
 * `producers.acks`). A name several sections share is refused with the candidates.
 */
function resolveKey(key: string, normalised: string): Resolved {
  try {
    return resolveIn(key, '', scenarioSchema, normalised);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    const renamed = SERVER_PROPERTIES_NAMES[normalised];
    if (renamed !== undefined) return resolveIn(key, '', scenarioSchema, renamed);
    const known = kafkaSections();
    const sections = known.filter(({ keys }) => keys.includes(normalised)).map(({ section }) => section);
    const [only] = sections;
    if (only === undefined) {
      // A near miss of a bare Kafka name gets the hint the long form would have had.
      const suggestion = error.message.includes('did you mean') ? undefined : closestKey(normalised, known.flatMap(({ keys }) => keys));
      throw suggestion === undefined ? error : new UserError(`${error.message} (did you mean "${suggestion}"?)`);
    }
    if (sections.length > 1) {
      throw new UserError(`--vary ${key}: ambiguous: ${sections.map((section) => `${section}.${normalised}`).join(' or ')}? name the section`);
    }
    return resolveIn(key, '', scenarioSchema, `${only}.${normalised}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing `KEY=V1,V2`

/** JSON when it parses (numbers, booleans, null), otherwise the text itself as a string. */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Parses one `--vary KEY=V1,V2` argument; `+` joins the items of a list value (`partition+crash`). */
export function parseVary(spec: string): Vary {
  const equals = spec.indexOf('=');
  if (equals <= 0) throw new UserError(`--vary ${spec}: expected KEY=VALUE1,VALUE2,…`);
  const key = spec.slice(0, equals).trim();
  const texts = spec.slice(equals + 1).split(',').map((text) => text.trim());
  if (texts.some((text) => text === '')) throw new UserError(`--vary ${spec}: a value is empty`);
  // `producers[0].acks` is the same key as `producers.0.acks`.
  const normalised = key.replace(/\[(\d+)\]/g, '.$1');
  const { path, isList } = resolveKey(key, normalised);
  const values = texts.map((text) => ({ text, value: isList ? text.split('+').map(parseValue) : parseValue(text) }));
  return { key, path, values };
}

// ---------------------------------------------------------------------------------------------
// Applying settings to a raw scenario

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setIn(container: unknown, path: readonly PathStep[], value: unknown, vary: Vary, where: string): unknown {
  const [step, ...rest] = path;
  if (step === undefined) return value;
  const here = where === '' ? 'the scenario' : `the scenario's ${where}`;
  const next = (s: PathStep) => (where === '' ? String(s) : `${where}.${String(s)}`);
  if (typeof step === 'string') {
    const object = container === undefined ? {} : container;
    if (!isPlainObject(object)) throw new UserError(`--vary ${vary.key}: ${here} is not an object`);
    return { ...object, [step]: setIn(object[step], rest, value, vary, next(step)) };
  }
  // An absent producers/consumers array means the default of one entry, `[{}]`.
  const array = container === undefined ? [{}] : container;
  if (!Array.isArray(array)) throw new UserError(`--vary ${vary.key}: ${here} is not an array`);
  if (step === EACH) {
    if (array.length === 0) throw new UserError(`--vary ${vary.key}: ${here} is empty, so there is nothing to set`);
    return array.map((entry: unknown, i) => setIn(entry, rest, value, vary, next(i)));
  }
  if (step >= array.length) throw new UserError(`--vary ${vary.key}: ${here} has only ${array.length} ${array.length === 1 ? 'entry' : 'entries'}`);
  return array.map((entry: unknown, i) => (i === step ? setIn(entry, rest, value, vary, next(i)) : entry));
}

/** Returns a copy of `raw` with one varied setting applied (paths are copied, the rest shared). */
export function applyVary(raw: unknown, vary: Vary, value: unknown): unknown {
  return setIn(raw, vary.path, value, vary, '');
}

function pathText(path: readonly PathStep[]): string {
  return path.map((step) => (step === EACH ? '*' : String(step))).join('.');
}

/**
 * Every combination of the varied values, in a stable order: the first vary changes slowest, the
 * last fastest (like nested loops). No varies gives one combination that changes nothing.
 */
export function crossProduct(varies: readonly Vary[]): VaryCombo[] {
  const seen = new Set<string>();
  for (const vary of varies) {
    const id = pathText(vary.path);
    if (seen.has(id)) throw new UserError(`--vary ${vary.key}: this setting is varied twice`);
    seen.add(id);
  }
  let combos: { vary: Vary; value: VaryValue }[][] = [[]];
  for (const vary of varies) {
    combos = combos.flatMap((combo) => vary.values.map((value) => [...combo, { vary, value }]));
  }
  return combos.map((combo) => ({
    label: combo.map(({ vary, value }) => `${vary.key}=${value.text}`).join(' '),
    settings: combo.map(({ vary, value }) => ({ key: vary.key, value: value.value })),
    apply: (raw: unknown) => combo.reduce((acc, { vary, value }) => applyVary(acc, vary, value.value), raw),
  }));
}
