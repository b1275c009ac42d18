// Which directed links are cut, as an N×N matrix over node indices, and each link's connection
// epoch. A connection breaks when its link is cut or when either end's process dies or restarts:
// the epoch moves on, and every message stamped with an old epoch is dropped when it arrives
// (lazily, without touching the event queue). `broken` remembers why, for the drop record.
// With `keepOnCut` (network.partitionMode retransmit) a cut leaves connections open: the network
// holds what meets the cut and the sender's TCP retransmits it after the heal (network.ts).

/** Why a connection last broke. */
export const BROKE_BY_CUT = 0;
export const BROKE_BY_CRASH = 1;

export class Links {
  /** cut[from * n + to] = 1 when messages from → to are lost. */
  readonly cut: Uint8Array;
  /** Connection generation of each directed link. */
  readonly epoch: Uint32Array;
  /** BROKE_BY_CUT or BROKE_BY_CRASH: the cause of the link's last break. */
  readonly broken: Uint8Array;
  /**
   * partitionMode retransmit only: 1 once the link's current connection got a message through (its
   * handshake is done); a connection first used across a cut is still sending SYNs.
   */
  readonly established: Uint8Array;

  constructor(readonly n: number, private readonly keepOnCut = false) {
    this.cut = new Uint8Array(n * n);
    this.epoch = new Uint32Array(n * n);
    this.broken = new Uint8Array(n * n);
    this.established = new Uint8Array(n * n);
  }

  isCut(from: number, to: number): boolean {
    return this.cut[from * this.n + to] === 1;
  }

  /** Cuts from → to (one way). */
  cutOneWay(from: number, to: number): void {
    if (from === to) return;
    const k = from * this.n + to;
    if (this.cut[k] === 1) return;
    this.cut[k] = 1;
    if (!this.keepOnCut) this.breakLink(k, BROKE_BY_CUT);
  }

  /** A node's process died or restarted: every connection to or from it breaks. */
  breakNode(a: number): void {
    for (let b = 0; b < this.n; b++) {
      this.breakLink(a * this.n + b, BROKE_BY_CRASH);
      this.breakLink(b * this.n + a, BROKE_BY_CRASH);
    }
  }

  private breakLink(k: number, cause: number): void {
    this.epoch[k] = ((this.epoch[k] as number) + 1) >>> 0;
    this.broken[k] = cause;
    this.established[k] = 0;
  }

  cutBoth(a: number, b: number): void {
    this.cutOneWay(a, b);
    this.cutOneWay(b, a);
  }

  /** Cuts each named node from every other node, both ways. */
  isolate(nodes: readonly number[]): void {
    for (const a of nodes) {
      for (let b = 0; b < this.n; b++) this.cutBoth(a, b);
    }
  }

  /**
   * Between two nodes both named in some group, the link stays as it is only if a group holds both
   * (a node in two groups bridges them); otherwise it is cut. Links of unnamed nodes are untouched.
   * Partitions add up: a group never reopens a link an earlier partition cut.
   */
  groups(groups: readonly (readonly number[])[]): void {
    const member = groups.map((g) => new Set(g));
    const named = [...new Set(groups.flat())].sort((x, y) => x - y);
    for (const a of named) {
      for (const b of named) {
        if (a < b && !member.some((g) => g.has(a) && g.has(b))) this.cutBoth(a, b);
      }
    }
  }

  /** Reopens every link; returns the links (from × n + to) that were cut. */
  healAll(): number[] {
    const healed: number[] = [];
    for (let k = 0; k < this.cut.length; k++) if (this.cut[k] === 1) healed.push(k);
    this.cut.fill(0);
    return healed;
  }

  /** Reopens every link touching a named node; returns the links that were cut. */
  healNodes(nodes: readonly number[]): number[] {
    const healed: number[] = [];
    const open = (k: number) => {
      if (this.cut[k] === 1) healed.push(k);
      this.cut[k] = 0;
    };
    for (const a of nodes) {
      for (let b = 0; b < this.n; b++) {
        open(a * this.n + b);
        open(b * this.n + a);
      }
    }
    return healed;
  }
}
