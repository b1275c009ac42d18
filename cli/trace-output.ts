// `--trace FILE` on `run` and `replay`: the run keeps its trace records in an array as it goes, so
// that when it stops on a ksim bug (exit code 3) the records up to that moment are still written,
// ending with a `trace-incomplete` record that names the bug; `ksim trace` then warns that the file
// is incomplete. A run that ends writes the file with a `trace-end` record carrying its trace hash.
import type { TraceRecord } from '../sim/trace-record.js';
import { writeTrace } from '../traces/index.js';
import { note } from './io.js';
import { RunBugError, withRunContext, type RunContext } from './run-error.js';
import { command } from './shell.js';

export interface TraceOutput {
  readonly path: string;
  /** Paths the command reads, which the trace may not replace. */
  readonly inputs: readonly string[];
  readonly replace: boolean;
}

function viewHint(path: string): string {
  return command('trace', path, '--format', 'html', '-o', 'trace.html');
}

function writeIncomplete(trace: TraceOutput, records: TraceRecord[], bug: RunBugError): void {
  try {
    writeTrace(trace.path, records, { incomplete: bug.detail }, trace);
    note(`ksim: incomplete trace written to ${trace.path} (${records.length} records up to the ksim bug; view: ${viewHint(trace.path)})`);
  } catch (error) {
    // The bug is what the user must see; a trace that could not be written is a footnote to it.
    note(`ksim: the trace up to the ksim bug could not be written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Runs `fn` under `context` (a throw becomes a RunBugError naming scenario and seed), handing it the
 * array to keep trace records in when `trace` is set, and writes the trace file however the run ends.
 */
export function tracedRun<T>(
  trace: TraceOutput | undefined,
  context: RunContext,
  fn: (traceInto: TraceRecord[] | undefined) => T,
  traceHash: (output: T) => string,
): T {
  if (trace === undefined) return withRunContext(context, () => fn(undefined));
  const records: TraceRecord[] = [];
  let output: T;
  try {
    output = withRunContext(context, () => fn(records));
  } catch (error) {
    if (error instanceof RunBugError) writeIncomplete(trace, records, error);
    throw error;
  }
  writeTrace(trace.path, records, { traceHash: traceHash(output) }, trace);
  note(`ksim: trace written to ${trace.path} (${records.length} record${records.length === 1 ? '' : 's'}; view: ${viewHint(trace.path)})`);
  return output;
}
