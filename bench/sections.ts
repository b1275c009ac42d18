// The benchmark registry. Each area (kernel, models, checkers) registers named sections; main.ts
// runs them in registration order and prints one JSON object or a readable summary. A section
// returns flat metrics: numbers (rates, ratios, sizes) or short strings (notes).

export type BenchMetrics = Readonly<Record<string, number | string>>;

export interface BenchSection {
  readonly name: string;
  /** One line for the readable summary. */
  readonly description: string;
  readonly run: () => BenchMetrics | Promise<BenchMetrics>;
  /** Runs only when named in --only (a long sweep, not part of the everyday bench). */
  readonly optIn: boolean;
}

const sections: BenchSection[] = [];

/** Adds a section; call at module load of the section's file, which main.ts imports. */
export function registerBench(name: string, description: string, run: BenchSection['run'], options: { optIn?: boolean } = {}): void {
  if (sections.some((s) => s.name === name)) throw new Error(`bench section '${name}' registered twice`);
  sections.push({ name, description, run, optIn: options.optIn === true });
}

export function benchSections(): readonly BenchSection[] {
  return sections;
}
