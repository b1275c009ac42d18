// What every checker receives: the history, the final replica states, the final logs derived from
// them once, and the options. Checkers are pure functions of this.
import type { FinalState, HistoryOp } from '../models/history/history.js';
import { History } from '../models/history/history-log.js';
import type { AnomalyReport, AnomalyType } from './anomaly.js';
import { DEFAULT_MAX_EXAMPLES } from './anomaly.js';
import type { FinalLogs } from './final-log.js';
import { buildFinalLogs } from './final-log.js';

export interface CheckOptions {
  /**
   * Does the history end with a read of every partition (a run's final drain)? Only then is a
   * committed record that no read returned an anomaly (`unseen`). A run always passes true; a
   * hand-made history without such a read passes false.
   */
  readonly consumers: boolean;
  /** Cases kept per anomaly as examples (the count is always complete). Default 5. */
  readonly maxExamples?: number;
  /** Anomalies this configuration is expected to show; any other one is `unexpected`. */
  readonly allowed?: readonly AnomalyType[];
}

/** A run's History, or operations in order (tests, tools), which become one. */
export type HistoryInput = History | readonly HistoryOp[];

export interface CheckInput {
  readonly history: History;
  readonly final: FinalState;
  readonly finalLogs: FinalLogs;
  readonly options: { readonly consumers: boolean; readonly maxExamples: number };
}

/** One anomaly's checker: null when the run shows none. */
export type Checker = (input: CheckInput) => AnomalyReport | null;

export function makeCheckInput(history: HistoryInput, final: FinalState, options: CheckOptions): CheckInput {
  const maxExamples = options.maxExamples ?? DEFAULT_MAX_EXAMPLES;
  if (!Number.isInteger(maxExamples) || maxExamples < 0) {
    throw new RangeError(`maxExamples must be a non-negative integer, got ${maxExamples}`);
  }
  return {
    history: history instanceof History ? history : History.from(history),
    final,
    finalLogs: buildFinalLogs(final),
    options: { consumers: options.consumers, maxExamples },
  };
}
