// `ksim trace <trace.jsonl> --format text|html|perfetto [-o FILE]`: renders a trace written by
// `ksim run --trace` or `ksim replay --trace`, to a file or to stdout.
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../../sim/errors.js';
import { readTrace, renderHtml, renderPerfetto, renderText } from '../../traces/index.js';
import { EXIT, note, type ExitCode } from '../io.js';
import { oneLine } from '../run-error.js';

export const TRACE_FORMATS = ['text', 'html', 'perfetto'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceFlags {
  readonly format: TraceFormat;
  readonly output?: string;
  readonly verbose?: boolean;
}

export function parseFormat(text: string): TraceFormat {
  const format = TRACE_FORMATS.find((f) => f === text);
  if (format === undefined) throw new UserError(`--format ${text}: expected one of ${TRACE_FORMATS.join(', ')}`);
  return format;
}

function render(path: string, flags: TraceFlags): string {
  const records = readTrace(path);
  if (flags.format === 'html') return renderHtml(records, { title: basename(path) });
  if (flags.format === 'perfetto') return renderPerfetto(records);
  return renderText(records, { verbose: flags.verbose === true });
}

function writeOutput(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (error) {
    throw new UserError(`-o ${path}: cannot write (${oneLine(error instanceof Error ? error.message : String(error))})`);
  }
}

export function traceCommand(path: string, flags: TraceFlags): ExitCode {
  const text = render(path, flags);
  if (flags.output === undefined) {
    process.stdout.write(text);
  } else {
    writeOutput(flags.output, text);
    const hint = flags.format === 'perfetto' ? ' (open it at https://ui.perfetto.dev)' : flags.format === 'html' ? ' (open it in a browser)' : '';
    note(`ksim: wrote ${flags.output}${hint}`);
  }
  return EXIT.ok;
}
