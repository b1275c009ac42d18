// `ksim trace <trace.jsonl> --format text|html|perfetto [-o FILE]`: renders a trace written by
// `ksim run --trace` or `ksim replay --trace`, to a file or to stdout.
import { basename } from 'node:path';
import { UserError } from '../../sim/errors.js';
import { checkWritable, writeFileSafely } from '../../traces/files.js';
import { htmlChunks, perfettoChunks, readTraceFile, textChunks, type TraceWindow } from '../../traces/index.js';
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

/** The view in pieces, never as one string. */
function render(path: string, flags: TraceFlags): Iterable<string> {
  const window = windowOf(flags);
  const file = readTraceFile(path, window);
  if (file.incomplete !== null) note(`ksim: warning: ${file.incomplete}`);
  if (file.records.length === 0 && file.total > 0) note(`ksim: warning: no records in the window; the trace has ${file.total}`);
  const records = file.records;
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
