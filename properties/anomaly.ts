// The anomaly vocabulary of KAFKA.md ("Anomaly names") and the shape every checker reports in. A
// report is data, not a verdict: the full count plus a few explained cases, so a bad run with a
// million lost writes still prints a readable report (Jepsen's checker style).

/** Every anomaly ksim knows, sorted by name (the order reports come out in). */
export const ANOMALY_TYPES = [
  'aborted-read',
  'committed-record-lost',
  'duplicate',
  'duplicate-delivery',
  'election-safety',
  'inconsistent-offsets',
  'intermediate-read',
  'leader-completeness',
  'log-divergence',
  'log-matching',
  'lost-delivery',
  'lost-write',
  'nonmonotonic-poll',
  'nonmonotonic-send',
  'pipeline-duplicate',
  'pipeline-lost',
  'poll-skip',
  'state-machine-safety',
  'unseen',
] as const;

export type AnomalyType = (typeof ANOMALY_TYPES)[number];

export function isAnomalyType(name: string): name is AnomalyType {
  return (ANOMALY_TYPES as readonly string[]).includes(name);
}

/** Anything JSON.stringify round-trips unchanged (no undefined, no Map, no class instances). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * One occurrence of an anomaly, as plain JSON. `summary` is one readable sentence; the other
 * fields carry the evidence (values and their labels, partitions, offsets, nodes, times in µs).
 */
export type AnomalyCase = { readonly summary: string; readonly [field: string]: Json };

export interface AnomalyReport {
  readonly type: AnomalyType;
  /** How many cases the run has: all of them, not only the examples. */
  readonly count: number;
  /** The first cases in a deterministic order (history or offset order), at most `maxExamples`. */
  readonly examples: readonly AnomalyCase[];
}

export const DEFAULT_MAX_EXAMPLES = 5;

/** Longest list a single case carries inline (skipped offsets, deliveries, …); a count says the rest. */
export const CASE_LIST_CAP = 10;

/**
 * Counts cases and keeps the first few. Cases are built lazily so that a run with a huge number of
 * cases costs a counter increment per case beyond the examples, not an object.
 */
export class CaseCollector {
  private count = 0;
  private readonly examples: AnomalyCase[] = [];

  constructor(
    private readonly type: AnomalyType,
    private readonly maxExamples: number,
  ) {}

  add(build: () => AnomalyCase): void {
    this.count += 1;
    if (this.examples.length < this.maxExamples) this.examples.push(build());
  }

  /** null when there was no case: checkAll keeps only the anomalies that happened. */
  report(): AnomalyReport | null {
    if (this.count === 0) return null;
    return { type: this.type, count: this.count, examples: this.examples.slice() };
  }
}
