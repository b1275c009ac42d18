// Typed reads of a trace record's fields. Records come from files, so every field is checked
// rather than trusted: a renderer shows what is there and never throws on a missing field.
import type { TraceRecord } from '../sim/trace-record.js';

export function num(record: TraceRecord, key: string): number | undefined {
  const value = record[key];
  return typeof value === 'number' ? value : undefined;
}

export function str(record: TraceRecord, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' ? value : undefined;
}

export function list(record: TraceRecord, key: string): readonly (number | string)[] | undefined {
  const value = record[key];
  return Array.isArray(value) ? (value as readonly (number | string)[]) : undefined;
}

/** The fields a record carries besides t, kind and node, in the record's own order. */
export function extraFields(record: TraceRecord): [string, unknown][] {
  return Object.entries(record).filter(([key]) => key !== 't' && key !== 'kind' && key !== 'node');
}

/** Is this a kernel `send` (a message left a node) rather than a producer's `send` (a value handed to its send path)? */
export function isMessageSend(record: TraceRecord): boolean {
  return record.kind === 'send' && typeof record['to'] === 'string' && typeof record['msg'] === 'string';
}

/**
 * Partition groups, however the kernel spelled them: nested arrays as in the fault step
 * (`[["b1"],["b2","b3"]]`), an array of comma-joined strings (`["b1","b2,b3"]`, since trace
 * values are flat), one string (`"b1|b2,b3"`), or that nesting as a JSON string.
 */
export function groupsOf(value: unknown): string[][] {
  if (typeof value === 'string' && value.trim().startsWith('[')) {
    try {
      return groupsOf(JSON.parse(value));
    } catch {
      return [];
    }
  }
  if (typeof value === 'string') return groupsOf(value.split(/[|;]/));
  if (!Array.isArray(value)) return [];
  return value.map((group: unknown) => {
    if (Array.isArray(group)) return group.map(String);
    return String(group).split(',').map((name) => name.trim()).filter((name) => name !== '');
  });
}
