// The text view: one line per state change, in time order, in aligned columns:
//   time (ms)  node  kind  what changed
// Faults and phases that belong to no single node show `*` in the node column.
import type { TraceRecord } from '../sim/trace-record.js';
import { Describer } from './describe.js';
import { formatMs } from './format.js';
import { isNoise } from './noise.js';
import { inTimeOrder } from './time-order.js';

export interface TextOptions {
  /** Include every record: timers, message sends and deliveries, disk I/O, polls. Default false. */
  readonly verbose?: boolean;
}

type Row = readonly [time: string, node: string, kind: string, detail: string];

function rowsOf(records: readonly TraceRecord[], verbose: boolean): Row[] {
  const describer = new Describer();
  const rows: Row[] = [];
  for (const record of inTimeOrder(records)) {
    // Describe every record, shown or not, so the describer's ISR memory stays complete.
    const { detail } = describer.describe(record);
    if (!verbose && isNoise(record)) continue;
    rows.push([formatMs(record.t), record.node ?? '*', record.kind, detail]);
  }
  return rows;
}

/** The text view in pieces of many lines each, so a long trace never becomes one string. */
export function* textChunks(records: readonly TraceRecord[], options: TextOptions = {}): Generator<string> {
  const rows = rowsOf(records, options.verbose ?? false);
  const width = [0, 0, 0];
  for (const row of rows) for (let i = 0; i < 3; i++) width[i] = Math.max(width[i]!, row[i]!.length);
  const CHUNK_ROWS = 10_000;
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const lines = rows.slice(start, start + CHUNK_ROWS).map(([time, node, kind, detail]) =>
      `${time.padStart(width[0]!)}  ${node.padEnd(width[1]!)}  ${kind.padEnd(width[2]!)}  ${detail}`.trimEnd());
    yield `${lines.join('\n')}\n`;
  }
}

export function renderText(records: readonly TraceRecord[], options: TextOptions = {}): string {
  return [...textChunks(records, options)].join('');
}
