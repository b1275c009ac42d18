// The application's send() calls: value k arrives at startUs + k × interval and goes round-robin to
// partition k mod P. Nothing observable happens when a value joins an open batch, so the producer
// needs no timer per value: it wakes when a batch must become sendable (linger.ms after its first
// value, or when it is full) and takes in every value that arrived meanwhile, each at its own
// arrival time.
export class Arrivals {
  constructor(
    private readonly startUs: number,
    private readonly intervalUs: number,
    private readonly stopAtUs: number,
    private readonly partitions: number,
    /** How many records fill a batch (batch.size over the record size; at least 1). */
    readonly batchLimit: number,
  ) {}

  timeOf(k: number): number {
    return this.startUs + k * this.intervalUs;
  }

  /** Whether value k arrives at all (the load stops at stopAtUs). */
  arrives(k: number): boolean {
    return this.timeOf(k) < this.stopAtUs;
  }

  partitionOf(k: number): number {
    return k % this.partitions;
  }

  /** The index of the n-th (1-based) arrival at or after `from` that goes to partition p. */
  nthFor(p: number, from: number, n: number): number {
    const first = from + ((p - (from % this.partitions)) + this.partitions) % this.partitions;
    return first + (n - 1) * this.partitions;
  }

  /**
   * When partition p's only batch becomes sendable: its linger deadline or the arrival that fills
   * it, whichever is first. `openCount` values are in that batch, whose first arrived at
   * `openCreatedUs`; with no batch, `openCount` is 0 and the next arrival for p would start one.
   * Infinity when no more values arrive for p.
   */
  sendableAt(p: number, next: number, openCreatedUs: number, openCount: number, lingerUs: number): number {
    let lingerAt: number;
    let fillIndex: number;
    if (openCount > 0) {
      lingerAt = openCreatedUs + lingerUs;
      fillIndex = this.nthFor(p, next, this.batchLimit - openCount);
    } else {
      const first = this.nthFor(p, next, 1);
      if (!this.arrives(first)) return Infinity;
      lingerAt = this.timeOf(first) + lingerUs;
      fillIndex = this.nthFor(p, next, this.batchLimit);
    }
    const fillAt = this.arrives(fillIndex) ? this.timeOf(fillIndex) : Infinity;
    return Math.min(lingerAt, fillAt);
  }
}
