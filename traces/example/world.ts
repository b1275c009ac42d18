// The synthetic example's world: a record list, message sends with plausible latencies, and the
// example's two faults (b3 paused, then b1 isolated) applied to every message. Latency jitter comes
// from a fixed xorshift sequence, so the example is the same on every run.
import type { NodeId, TraceValue } from '../../sim/env.js';
import type { TraceRecord } from '../../sim/trace-record.js';

export const MS = 1000;
/** b3 is paused (a long GC pause) over this window. */
export const PAUSE = { node: 'b3', from: 600 * MS, to: 1500 * MS } as const;
/** The network splits b1 and the producer p1 from everyone else over this window. */
export const CUT = { side: ['b1', 'p1'], from: 2000 * MS, to: 3800 * MS } as const;
export const END = 4500 * MS;

export class World {
  readonly records: TraceRecord[] = [];
  private nextId = 1;
  private state = 20240611;
  /** Links are FIFO per direction: each link's sends so far, as [sent, arrived]. */
  private readonly links = new Map<string, [number, number][]>();

  /** A deterministic jittered integer in [min, max]. */
  jitter(min: number, max: number): number {
    this.state ^= this.state << 13;
    this.state ^= this.state >>> 17;
    this.state ^= this.state << 5;
    return min + ((this.state >>> 0) % (max - min + 1));
  }

  add(t: number, kind: string, node: NodeId | undefined, fields: Readonly<Record<string, TraceValue>> = {}): void {
    this.records.push(node === undefined ? { t, kind, ...fields } : { t, kind, node, ...fields });
  }

  isCut(a: NodeId, b: NodeId, t: number): boolean {
    const side: readonly NodeId[] = CUT.side;
    return t >= CUT.from && t < CUT.to && side.includes(a) !== side.includes(b);
  }

  isPaused(node: NodeId, t: number): boolean {
    return node === PAUSE.node && t >= PAUSE.from && t < PAUSE.to;
  }

  /** Sends a message; returns when it was delivered, or undefined when the cut dropped it. */
  send(from: NodeId, to: NodeId, msg: string, t: number, bytes = 96): number | undefined {
    const id = this.nextId++;
    this.add(t, 'send', from, { to, msg, id, bytes });
    const link = this.links.get(`${from}>${to}`) ?? [];
    this.links.set(`${from}>${to}`, link);
    // Messages are generated per actor, not in global time order: FIFO against earlier sends only.
    const after = link.reduce((latest, [sent, arrived]) => (sent <= t ? Math.max(latest, arrived + 1) : latest), 0);
    let arrive = Math.max(t + this.jitter(250, 1300), after);
    if (this.isCut(from, to, t) || this.isCut(from, to, arrive)) {
      // Cut at send: lost where it would have arrived. Cut in flight: lost when the cut began.
      this.add(this.isCut(from, to, t) ? arrive : CUT.from, 'drop', to, { from, msg, id, reason: 'cut' });
      return undefined;
    }
    // A paused process takes its messages only when it resumes.
    if (this.isPaused(to, arrive)) arrive = Math.max(PAUSE.to + this.jitter(20, 200), after);
    link.push([t, arrive]);
    this.add(arrive, 'deliver', to, { from, msg, id });
    return arrive;
  }

  /** A request and its response; returns when the response arrived. */
  roundTrip(from: NodeId, to: NodeId, request: string, response: string, t: number): number | undefined {
    const at = this.send(from, to, request, t);
    return at === undefined ? undefined : this.send(to, from, response, at + this.jitter(30, 120));
  }

  sorted(): TraceRecord[] {
    return [...this.records].sort((a, b) => a.t - b.t);
  }
}
