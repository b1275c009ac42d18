// A number per offset of one partition: a dense typed array for the offsets a run produces (they
// start at 0 and grow by one per record), a Map for any offset far beyond them (hand-made histories),
// so a stray huge offset costs an entry, not a huge array. NaN means "nothing known".
const INITIAL = 1024;

export class OffsetTable {
  private dense = new Float64Array(INITIAL).fill(Number.NaN);
  private sparse: Map<number, number> | null = null;

  /** @param denseLimit offsets below this go to the array (a run's offsets stay below its history size). */
  constructor(private readonly denseLimit: number) {}

  get(offset: number): number {
    // A typed array answers undefined for any index it lacks (negative, fractional, past its end).
    const dense = this.dense[offset];
    if (dense !== undefined) return dense;
    return this.sparse?.get(offset) ?? Number.NaN;
  }

  set(offset: number, value: number): void {
    if (offset >= 0 && Number.isInteger(offset) && offset < this.denseLimit) {
      if (offset >= this.dense.length) this.grow(offset);
      this.dense[offset] = value;
      return;
    }
    (this.sparse ??= new Map()).set(offset, value);
  }

  private grow(offset: number): void {
    const n = Math.min(this.denseLimit, Math.max(offset + 1, this.dense.length * 2));
    const next = new Float64Array(n).fill(Number.NaN);
    next.set(this.dense);
    this.dense = next;
  }
}
