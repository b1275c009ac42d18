// How times and values read in every view: milliseconds with three decimals, values as p1:17.
import { valueLabel } from '../models/history/history.js';

/** Integer microseconds → "1502.117" (ms, three decimals) without floating-point rounding. */
export function formatMs(us: number): string {
  if (!Number.isInteger(us)) return (us / 1000).toFixed(3);
  const sign = us < 0 ? '-' : '';
  const abs = Math.abs(us);
  return `${sign}${Math.floor(abs / 1000)}.${String(abs % 1000).padStart(3, '0')}`;
}

/** A node list as "[b1,b2,b3]". */
export function formatNodes(nodes: readonly (number | string)[] | undefined): string {
  return `[${(nodes ?? []).join(',')}]`;
}

/** A value as its label when it is a number (values are producer-tagged integers). */
export function formatValue(value: unknown): string {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? valueLabel(value) : String(value);
}

/** Any field value, compactly: arrays comma-joined in brackets, strings bare, the rest as JSON. */
export function formatField(key: string, value: unknown): string {
  if (key === 'value') return formatValue(value);
  if (Array.isArray(value)) return `[${value.map((item) => (Array.isArray(item) ? formatField(key, item) : String(item))).join(',')}]`;
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/** "1 record", "3 records", "2 entries". */
export function plural(count: number | undefined, noun: string, nouns = `${noun}s`): string {
  return `${count ?? '?'} ${count === 1 ? noun : nouns}`;
}
