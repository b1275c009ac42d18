// A number per value, for values made as models/history/history.ts makes them (producer index ×
// VALUE_STRIDE + the producer's own counter): one OffsetTable per producer, indexed by the counter,
// so a run's values need no hash map. Values of any other shape still work (the table's map).
import { VALUE_STRIDE } from '../../models/history/history.js';
import type { Value } from '../../models/history/history.js';
import { OffsetTable } from './offset-table.js';

export class ValueTable {
  private readonly byProducer = new Map<number, OffsetTable>();
  private lastProducer = Number.NaN;
  private lastTable: OffsetTable | null = null;

  /** @param denseLimit counters below this go to arrays (a run's counters stay below its history size). */
  constructor(private readonly denseLimit: number) {}

  /** NaN when nothing is known. */
  get(value: Value): number {
    return this.table(value, false)?.get(value % VALUE_STRIDE) ?? Number.NaN;
  }

  set(value: Value, n: number): void {
    this.table(value, true)!.set(value % VALUE_STRIDE, n);
  }

  private table(value: Value, create: boolean): OffsetTable | null {
    const producer = Math.floor(value / VALUE_STRIDE);
    if (producer === this.lastProducer) return this.lastTable;
    let table = this.byProducer.get(producer);
    if (table === undefined) {
      if (!create) return null;
      table = new OffsetTable(this.denseLimit);
      this.byProducer.set(producer, table);
    }
    this.lastProducer = producer;
    this.lastTable = table;
    return table;
  }
}
