// `ksim trace <trace.jsonl> --format text|html|perfetto [-o FILE]`: renders a trace written by
// `ksim run --trace` or `ksim replay --trace`, to a file or to stdout.
import { basename } from 'node:path';
import { UserError } from '../../sim/errors.js';
import { checkWritable, writeFileSafely } from '../../traces/files.js';
import { htmlChunks, perfettoChunks, readTraceFile, textChunks, type TraceWindow } from '../../traces/index.js';
import type { TraceRecord } from '../../sim/trace-record.js';
import { EXIT, note, type ExitCode } from '../io.js';

export const TRACE_FORMATS = ['text', 'html', 'perfetto'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceFlags {
  readonly format: TraceFormat;
  readonly output?: string;
  readonly verbose?: boolean;
  readonly force?: boolean;
  /** --from-ms / --to-ms, parsed to microseconds. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** --node and --kind, each as given (comma-separated lists, repeatable). */
  readonly node?: readonly string[];
  readonly kind?: readonly string[];
}

export function parseFormat(text: string): TraceFormat {
  const format = TRACE_FORMATS.find((f) => f === text);
  if (format === undefined) throw new UserError(`--format ${text}: expected one of ${TRACE_FORMATS.join(', ')}`);
  return format;
}

function windowOf(flags: TraceFlags): TraceWindow {
  if (flags.fromMs !== undefined && flags.toMs !== undefined && flags.fromMs > flags.toMs) {
    throw new UserError(`--from-ms ${flags.fromMs / 1000} is after --to-ms ${flags.toMs / 1000}: the window is empty`);
  }
  return {
    ...(flags.fromMs === undefined ? {} : { fromUs: flags.fromMs }),
    ...(flags.toMs === undefined ? {} : { toUs: flags.toMs }),
  };
}

function windowLabel(window: TraceWindow): string {
  if (window.fromUs === undefined && window.toUs === undefined) return '';
  const ms = (us: number | undefined): string => (us === undefined ? '…' : `${us / 1000} ms`);
  return ` (${ms(window.fromUs)} to ${ms(window.toUs)})`;
}

function listOf(values: readonly string[] | undefined): Set<string> | null {
  const items = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return items.length === 0 ? null : new Set(items);
}

/** Keeps the records of the named nodes and kinds; names that never occur are worth a warning. */
function filterRecords(records: TraceRecord[], flags: TraceFlags): TraceRecord[] {
  const nodes = listOf(flags.node);
  const kinds = listOf(flags.kind);
  if (nodes === null && kinds === null) return records;
  const seenNodes = new Set<string>();
  const seenKinds = new Set<string>();
  const kept = records.filter((record) => {
    if (record.node !== undefined) seenNodes.add(record.node);
    seenKinds.add(record.kind);
    return (nodes === null || (record.node !== undefined && nodes.has(record.node))) && (kinds === null || kinds.has(record.kind));
  });
  const unknown = (asked: Set<string> | null, seen: Set<string>, what: string): void => {
    const missing = [...(asked ?? [])].filter((name) => !seen.has(name));
    if (missing.length > 0) note(`ksim: warning: no records of ${what} ${missing.join(', ')}; the trace has ${[...seen].sort().join(', ')}`);
  };
  unknown(nodes, seenNodes, 'node');
  unknown(kinds, seenKinds, 'kind');
  return kept;
}

/** The view in pieces, never as one string. */
function render(path: string, flags: TraceFlags): Iterable<string> {
  const window = windowOf(flags);
  const file = readTraceFile(path, window);
  if (file.incomplete !== null) note(`ksim: warning: ${file.incomplete}`);
  if (file.records.length === 0 && file.total > 0) note(`ksim: warning: no records in the window; the trace has ${file.total}`);
  const records = filterRecords(file.records, flags);
  if (flags.format === 'html') return htmlChunks(records, { title: `${basename(path)}${windowLabel(window)}` });
  if (flags.format === 'perfetto') return perfettoChunks(records);
  return textChunks(records, { verbose: flags.verbose === true });
}

export function traceCommand(path: string, flags: TraceFlags): ExitCode {
  const outputOptions = { what: '-o', inputs: [path], replace: flags.force === true };
  if (flags.output !== undefined) checkWritable(flags.output, outputOptions);
  const chunks = render(path, flags);
  if (flags.output === undefined) {
    // Writes to a file or a pipe are synchronous on Linux, so the pieces never pile up in memory.
    for (const chunk of chunks) process.stdout.write(chunk);
  } else {
    writeFileSafely(flags.output, chunks, outputOptions);
    const hint = flags.format === 'perfetto' ? ' (open it at https://ui.perfetto.dev)' : flags.format === 'html' ? ' (open it in a browser)' : '';
    note(`ksim: wrote ${flags.output}${hint}`);
  }
  return EXIT.ok;
}
