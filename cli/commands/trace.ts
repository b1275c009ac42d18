// `ksim trace <trace.jsonl> --format text|html|perfetto [-o FILE]`: renders a trace written by
// `ksim run --trace` or `ksim replay --trace`, to a file or to stdout.
import { basename } from 'node:path';
import { UserError } from '../../sim/errors.js';
import { checkWritable, writeFileSafely } from '../../traces/files.js';
import { readTrace, renderHtml, renderPerfetto, renderText } from '../../traces/index.js';
import { EXIT, note, type ExitCode } from '../io.js';

export const TRACE_FORMATS = ['text', 'html', 'perfetto'] as const;
export type TraceFormat = (typeof TRACE_FORMATS)[number];

export interface TraceFlags {
  readonly format: TraceFormat;
  readonly output?: string;
  readonly verbose?: boolean;
  readonly force?: boolean;
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

export function traceCommand(path: string, flags: TraceFlags): ExitCode {
  const outputOptions = { what: '-o', inputs: [path], replace: flags.force === true };
  if (flags.output !== undefined) checkWritable(flags.output, outputOptions);
  const text = render(path, flags);
  if (flags.output === undefined) {
    process.stdout.write(text);
  } else {
    writeFileSafely(flags.output, [text], outputOptions);
    const hint = flags.format === 'perfetto' ? ' (open it at https://ui.perfetto.dev)' : flags.format === 'html' ? ' (open it in a browser)' : '';
    note(`ksim: wrote ${flags.output}${hint}`);
  }
  return EXIT.ok;
}
