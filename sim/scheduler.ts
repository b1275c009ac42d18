// The event queue: integer microsecond time, ordered by (time, seq) where seq counts every act of
// scheduling, so equal times run first-in first-out and the heap's internal layout never matters.
import { Heap } from 'heap-js';
import { SimAssertionError } from './errors.js';
import { EV_CANCELLED, type SimEvent } from './event.js';

export type RunStatus = 'ok' | 'budget-exhausted';

/** The queue's total order. Exported so the benchmark measures the very same comparator. */
export function byTimeThenSeq(a: { time: number; seq: number }, b: { time: number; seq: number }): number {
  return a.time - b.time || a.seq - b.seq;
}

/**
 * The same integer, represented as a V8 small integer when it fits (below 2^30 µs, about 17.9
 * minutes). Results of Math.round or float arithmetic may come as boxed doubles, and storing one
 * into an event field turns that field into a boxed double for every event: an allocation per event
 * and slower comparisons in the heap. Larger times stay correct, only slower.
 */
export function smallInt(x: number): number {
  return x <= 0x3fffffff && x >= -0x40000000 ? x | 0 : x;
}

/**
 * Cancelled events are removed lazily; past this many (and half the queue) the heap is rebuilt. Kept
 * small: models cancel long timers by the thousand (a consumer's max.poll.interval.ms, 300 s, on
 * every poll), and in the standard bench scenario a threshold of 4096 left about 290 cancelled
 * events beside 80 live ones, so every push and pop sifted through a tree two levels deeper. A
 * rebuild costs one pass over the queue, about 56 times in such a run.
 */
const COMPACT_MIN_CANCELLED = 64;

export class Scheduler {
  private readonly heap = new Heap<SimEvent>(byTimeThenSeq);
  private nowUs = 0;
  private nextSeq = 0;
  private cancelledPending = 0;
  private run = 0;
  /**
   * While an event runs it stays at the heap's root until the first event it schedules replaces it
   * there, in one sift-down where a pop and a push would sift twice. (The newcomer may take the
   * root: it sorts after the running event, as every other queued event does.) The running event is
   * known by its seq rather than by reference: storing each event into this long-lived object
   * would cost a write barrier per event.
   */
  private running = false;
  /** The running event has left the root (replaced by its first successor). */
  private replaced = false;
  private currentSeq = -1;

  constructor(
    private readonly dispatch: (ev: SimEvent) => void,
    /** Total events this scheduler may run over its life: no run loops forever. */
    private readonly maxEvents: number,
  ) {}

  get now(): number {
    return this.nowUs;
  }

  get eventsRun(): number {
    return this.run;
  }

  /** Events in the queue (cancelled ones included), not counting the one running. */
  get pending(): number {
    return this.heap.length - (this.running && !this.replaced ? 1 : 0);
  }

  /** Schedules `ev` at an absolute time, which must be an integer not in the past. */
  at(timeUs: number, ev: SimEvent): SimEvent {
    if (!Number.isInteger(timeUs)) this.fail(`event time must be an integer, got ${timeUs}`);
    if (timeUs < this.nowUs) this.fail(`event time ${timeUs} is in the past (now ${this.nowUs})`);
    return this.push(timeUs, ev);
  }

  /**
   * at(), but `ev` takes the place in the (time, seq) order of an event scheduled with `seq` (a
   * fraction after an earlier event's seq): what it would have had if scheduled back then.
   */
  atSeq(timeUs: number, ev: SimEvent, seq: number): SimEvent {
    if (!Number.isInteger(timeUs)) this.fail(`event time must be an integer, got ${timeUs}`);
    if (timeUs < this.nowUs) this.fail(`event time ${timeUs} is in the past (now ${this.nowUs})`);
    if (!(seq < this.nextSeq)) this.fail(`seq ${seq} is not an earlier place (next ${this.nextSeq})`);
    ev.time = smallInt(timeUs);
    ev.seq = seq;
    return this.enqueue(ev);
  }

  /** Schedules `ev` after a delay; non-integer delays are rounded, negative ones count as 0. */
  after(delayUs: number, ev: SimEvent): SimEvent {
    return this.push(this.nowUs + normalizeDelay(delayUs, this.nowUs), ev);
  }

  /**
   * at() for the kernel's own hot paths (message arrivals, disk completions), whose times are
   * integers not in the past by construction: no checks.
   */
  atKnown(timeUs: number, ev: SimEvent): SimEvent {
    return this.push(timeUs, ev);
  }

  /** The shared tail of at() and after(), for times already known to be valid. */
  private push(timeUs: number, ev: SimEvent): SimEvent {
    ev.time = smallInt(timeUs);
    ev.seq = this.nextSeq++;
    return this.enqueue(ev);
  }

  /** Into the heap; the running event's first successor takes its place at the root. */
  private enqueue(ev: SimEvent): SimEvent {
    if (this.running && !this.replaced) {
      this.replaced = true;
      this.heap.replace(ev);
    } else {
      this.heap.add(ev);
    }
    return ev;
  }

  cancel(ev: SimEvent): void {
    // The running event is past cancelling (its seq changes only if it is scheduled again, as a
    // reused event may be, and then it is an ordinary queued event).
    if (ev.kind === EV_CANCELLED || (this.running && ev.seq === this.currentSeq)) return;
    ev.kind = EV_CANCELLED;
    this.cancelledPending++;
    if (this.cancelledPending > COMPACT_MIN_CANCELLED && this.cancelledPending * 2 > this.heap.length) this.compact();
  }

  /** Runs every event with time <= timeUs (within the budget), then sets now = timeUs. */
  runUntil(timeUs: number): RunStatus {
    if (this.running) this.fail('runUntil called from inside an event');
    if (timeUs < this.nowUs) this.fail(`runUntil(${timeUs}) is in the past (now ${this.nowUs})`);
    try {
      return this.loop(timeUs);
    } finally {
      // Only when an event threw (an assertion): it is still at the root, remove it.
      if (this.running) this.finishRoot();
    }
  }

  private loop(timeUs: number): RunStatus {
    const heap = this.heap;
    for (;;) {
      const ev = heap.peek();
      if (ev === undefined || ev.time > timeUs) break;
      if (ev.kind === EV_CANCELLED) {
        heap.pop();
        this.cancelledPending--;
        continue;
      }
      if (this.run >= this.maxEvents) return 'budget-exhausted';
      if (ev.time < this.nowUs) this.fail(`time went backwards: ${ev.time} < ${this.nowUs}`);
      this.nowUs = ev.time;
      this.run++;
      this.running = true;
      this.currentSeq = ev.seq;
      this.dispatch(ev);
      this.finishRoot();
    }
    this.nowUs = smallInt(Math.max(this.nowUs, Math.floor(timeUs)));
    return 'ok';
  }

  /** The event that ran leaves the root, unless its first successor has already replaced it. */
  private finishRoot(): void {
    this.running = false;
    if (!this.replaced) this.heap.pop();
    this.replaced = false;
  }

  private compact(): void {
    // Rebuilding loses nothing: pop order depends only on (time, seq), a total order. A running
    // event stays at the root, since nothing queued sorts before it.
    this.heap.init(this.heap.heapArray.filter((e) => e.kind !== EV_CANCELLED));
    this.cancelledPending = 0;
  }

  private fail(message: string): never {
    throw new SimAssertionError(message, null, this.nowUs);
  }
}

/**
 * Delays from callers: rounded to an integer and at least 0 (Env.setTimer's contract: a model that
 * computes `deadline - now()` under clock skew may get a negative delay and means "now"). NaN and
 * infinity are bugs.
 */
export function normalizeDelay(delayUs: number, nowUs: number): number {
  if (!Number.isFinite(delayUs)) throw new SimAssertionError(`delay must be finite, got ${delayUs}`, null, nowUs);
  return delayUs > 0 ? Math.round(delayUs) : 0;
}
