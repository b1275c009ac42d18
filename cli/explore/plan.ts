// What an explore runs: the combinations of the varied settings, each validated up front (a bad
// value is exit code 2 before any work starts) and paired with the same seeds, so rows differ only
// by their settings.
import { readScenario } from '../../scenario/load.js';
import { UserError } from '../../sim/errors.js';
import { parseScenario } from '../../scenario/schema.js';
import { crossProduct, parseVary, type Vary } from '../../scenario/vary.js';
import { DEFAULT_PRESET, DEFAULT_VARY } from './default-vary.js';

export interface Combination {
  readonly label: string;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly raw: unknown;
  readonly source: string;
  readonly scenarioName: string;
  readonly durationMs: number;
}

export interface ExplorePlan {
  readonly scenarioName: string;
  readonly varies: readonly Vary[];
  readonly combinations: readonly Combination[];
  /** True when the default exploration's varies were used (no --vary on the default preset). */
  readonly defaultVary: boolean;
}

/** Most combinations one explore runs: past it the table is unreadable and the runs take days. */
export const MAX_COMBINATIONS = 1000;

export function planExplore(ref: string, varySpecs: readonly string[]): ExplorePlan {
  const { source, raw } = readScenario(ref);
  const defaultVary = varySpecs.length === 0 && source === `preset ${DEFAULT_PRESET}`;
  const varies = (defaultVary ? DEFAULT_VARY : varySpecs).map(parseVary);
  const base = parseScenario(raw, source);
  const count = varies.reduce((n, v) => n * v.values.length, 1);
  if (count > MAX_COMBINATIONS) {
    const sizes = varies.map((v) => `${v.values.length}`).join(' × ');
    throw new UserError(`--vary: ${sizes} = ${count.toLocaleString('en-US')} combinations; at most ${MAX_COMBINATIONS} (vary fewer settings or fewer values at once)`);
  }
  const combinations = crossProduct(varies).map((combo): Combination => {
    const comboRaw = combo.apply(raw);
    const comboSource = combo.label === '' ? source : `${source} with ${combo.label}`;
    const scenario = parseScenario(comboRaw, comboSource);
    const settings = Object.fromEntries(combo.settings.map(({ key, value }) => [key, value]));
    return { label: combo.label, settings, raw: comboRaw, source: comboSource, scenarioName: scenario.name, durationMs: scenario.durationMs };
  });
  return { scenarioName: base.name, varies, combinations, defaultVary };
}
