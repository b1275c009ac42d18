// Messages between the CLI and its workers (processes or threads). Small on purpose: a task is the raw scenario
// JSON and a seed; an answer is the run's result object (no trace, no history).
import type { RunResult } from '../scenario/run.js';
import type { LatencyHistogram } from './explore/latency.js';

export interface SeedTask {
  /** The scenario as JSON (after any --vary), validated again in the worker. */
  readonly raw: unknown;
  /** Names the scenario in error messages. */
  readonly source: string;
  readonly seed: number;
  /** Also return the ack latency histogram (explore pools latencies over runs). */
  readonly latencies: boolean;
}

export type SeedAnswer =
  | { readonly kind: 'ok'; readonly result: RunResult; readonly latencies: LatencyHistogram | null }
  | { readonly kind: 'user-error'; readonly message: string }
  | { readonly kind: 'bug'; readonly detail: string; readonly assertion: boolean; readonly stack: string | undefined };
