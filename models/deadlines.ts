// Timeouts the way Kafka's purgatory keeps them (a timing wheel), not one kernel timer each.
// Request timeouts and long polls are armed by the thousand and almost all are cancelled long
// before they expire; as kernel timers they would sit in the event queue until then, deepening every
// heap operation. Here one kernel timer is armed for the earliest live deadline, and what expires
// is handed to `onExpire` in deadline order.
//
// A cancelled entry lets go of its item at once, and leaves the list when nothing live is ahead of
// it and the next timeout is armed (see dropDeadHead). Otherwise it and its item (a leader's
// waiting produce request, with its callback and values) would stay until the deadline passed, 30 s
// for a request timeout: long enough for V8 to copy them out of the young generation.
import type { Env } from '../sim/env.js';

export interface Deadline<T> {
  readonly deadlineUs: number;
  /** What expires; undefined once cancelled or expired. */
  item: T | undefined;
  /** False once cancelled or expired. */
  live: boolean;
}

/** Forgotten entries at the head are sliced off once there are this many and they are half the list. */
const COMPACT_MIN = 64;

export class Deadlines<T> {
  /** Ordered by deadline; entries before `head` are gone. */
  private entries: Deadline<T>[] = [];
  private head = 0;
  private timer = -1;
  private armedForUs = Infinity;
  private liveCount = 0;

  constructor(private readonly env: Env, private readonly onExpire: (item: T) => void) {}

  get size(): number {
    return this.liveCount;
  }

  /** Entries the list still holds, live or not yet sliced off (for tests and diagnostics). */
  get listed(): number {
    return this.entries.length;
  }

  /** Arms a timeout `delayUs` from now (local clock). */
  add(delayUs: number, item: T): Deadline<T> {
    const entry: Deadline<T> = { deadlineUs: this.env.now() + delayUs, item, live: true };
    this.dropDeadHead();
    const entries = this.entries;
    const last = entries[entries.length - 1];
    // Timeouts of one length arrive in order; a shorter one is slotted in (rare: mixed lengths).
    if (last === undefined || last.deadlineUs <= entry.deadlineUs) entries.push(entry);
    else entries.splice(this.insertionIndex(entry.deadlineUs), 0, entry);
    this.liveCount++;
    if (entry.deadlineUs < this.armedForUs) this.arm(entry.deadlineUs);
    return entry;
  }

  cancel(entry: Deadline<T>): void {
    if (!entry.live) return;
    entry.live = false;
    entry.item = undefined;
    this.liveCount--;
  }

  /** Cancels everything (the role that owned them ended). */
  clear(): void {
    for (let i = this.head; i < this.entries.length; i++) this.entries[i]!.live = false;
    this.entries = [];
    this.head = 0;
    this.liveCount = 0;
    if (this.timer >= 0) this.env.cancelTimer(this.timer);
    this.timer = -1;
    this.armedForUs = Infinity;
  }

  private insertionIndex(deadlineUs: number): number {
    let lo = this.head, hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.deadlineUs <= deadlineUs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private arm(deadlineUs: number): void {
    if (this.timer >= 0) this.env.cancelTimer(this.timer);
    this.armedForUs = deadlineUs;
    this.timer = this.env.setTimer(Math.max(0, deadlineUs - this.env.now()), () => this.fire());
  }

  /**
   * Forgets the cancelled entries at the head of the list now rather than when the timer next
   * fires, which for a request timeout is 30 s away: timeouts are mostly cancelled in the order
   * they were armed, so the list stays about as long as what is live, and a cancelled entry dies
   * young instead of being promoted to V8's old generation first. Only the list changes, never the
   * kernel timer, so a run's events do not depend on it.
   */
  private dropDeadHead(): void {
    const entries = this.entries;
    let head = this.head;
    while (head < entries.length && !entries[head]!.live) head++;
    this.head = head;
    if (head >= COMPACT_MIN && head * 2 >= entries.length) {
      this.entries = entries.slice(head);
      this.head = 0;
    }
  }

  private fire(): void {
    this.timer = -1;
    this.armedForUs = Infinity;
    const now = this.env.now();
    // An expiry callback may add entries (which may compact the list) or clear it: read the list
    // afresh each time round.
    while (this.head < this.entries.length) {
      const entry = this.entries[this.head]!;
      if (entry.live && entry.deadlineUs > now) break;
      this.head++;
      if (!entry.live) continue;
      const item = entry.item as T;
      entry.live = false;
      entry.item = undefined;
      this.liveCount--;
      this.onExpire(item);
    }
    this.dropDeadHead();
    const next = this.entries[this.head];
    if (next !== undefined) this.arm(next.deadlineUs);
  }
}
