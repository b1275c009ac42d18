// Values in cases appear twice: the number (for tools) and its label (for people).
import { valueLabel } from '../../models/history/history.js';
import type { Value } from '../../models/history/history.js';
import type { FinalLog } from '../final-log.js';
import { CASE_LIST_CAP } from '../anomaly.js';

export function labelled(value: Value): { readonly value: number; readonly label: string } {
  return { value, label: valueLabel(value) };
}

/** Where a case's final log came from, so a reader can tell data loss from an unsettled cluster. */
export function finalLogFields(log: FinalLog): { readonly finalLogSource: string | null; readonly settled: boolean; readonly finalHighWatermark: number } {
  return { finalLogSource: log.source, settled: log.settled, finalHighWatermark: log.highWatermark };
}

/** The first CASE_LIST_CAP items of a list: cases stay small however bad the run. */
export function capped<T>(items: readonly T[]): T[] {
  return items.slice(0, CASE_LIST_CAP);
}
