// How varied settings are named and shown in the table and the reading.
import type { Vary } from '../../scenario/vary.js';

/** The setting's own name without its section: `broker.min.insync.replicas` → `min.insync.replicas`. */
export function shortKey(vary: Vary): string {
  const names = vary.path.filter((step): step is string => typeof step === 'string');
  return names[names.length - 1] ?? vary.key;
}

/** A value as the user would write it on the command line (lists joined with `+`). */
export function showValue(value: unknown): string {
  if (Array.isArray(value)) return value.map(showValue).join('+');
  if (typeof value === 'string') return value;
  return JSON.stringify(value) ?? String(value);
}

/**
 * A row's value of a varied setting as the user wrote it on the command line: `2.0` stays `2.0`
 * although JSON reads it as the number 2 (protocol.version).
 */
export function settingText(vary: Vary, value: unknown): string {
  const shown = showValue(value);
  return vary.values.find((v) => showValue(v.value) === shown)?.text ?? shown;
}
