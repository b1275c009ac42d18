// One node's disk (the Disk of env.ts). Each file has a page-cache view (what the process reads)
// and a durable view (what survives power loss). The durable view is the page cache's first
// `common` entries, and becomes an array of its own only when a truncation cuts the page cache
// below what is durable: an fsync or write-back copies nothing, it only moves `common`.
// Operations form one queue per disk: each completes after its latency, but never before the one
// issued before it. Write-back is the OS's doing, not the process's: it survives crashes.
// An entry is the caller's unit of data, never split: a broker writes its logs batch by batch, so a
// torn write keeps a prefix of whole batches, as Kafka's recovery keeps the batches before the first
// one whose CRC fails.
import type { Disk, NodeId, Random } from './env.js';
import { SimAssertionError } from './errors.js';
import { EV_DISK, EV_WRITEBACK, SimEvent } from './event.js';
import type { Scheduler } from './scheduler.js';
import type { TraceSink } from './trace.js';
import { kernelKindId } from './kinds.js';

const K_DISK_WRITE = kernelKindId('disk-write');
const K_DISK_TRUNCATE = kernelKindId('disk-truncate');
const K_DISK_FSYNC = kernelKindId('disk-fsync');
const K_DISK_WRITEBACK = kernelKindId('disk-writeback');
const K_DISK_LOSS = kernelKindId('disk-loss');

export interface DiskConfig {
  /** Latency of an append, truncate or the write half of a replace, in microseconds. */
  writeUs: number;
  /** Latency of an fsync (and the sync half of a replace), in microseconds. */
  fsyncUs: number;
  /** A dirty file is written back whole this long after it first became dirty. */
  dirtyExpireUs: number;
  /** On power loss, a random prefix of each file's dirty tail survives. */
  tornWrites: boolean;
}

/** What the disk needs to know about the node that owns it. */
export interface DiskHost {
  readonly index: number;
  readonly id: NodeId;
  /** Changes whenever the process dies or restarts; stamps pending operations. */
  readonly life: number;
  readonly slowDiskFactor: number;
}

const OP_APPEND = 0;
const OP_TRUNCATE = 1;
const OP_FSYNC = 2;
const OP_REPLACE = 3;

const EMPTY: readonly unknown[] = Object.freeze([]);
const NO_ENTRIES: unknown[] = [];

/** A pending operation: its event carries it in `ref`, and both are reused together (see spare()). */
class DiskOp {
  op = OP_FSYNC;
  file = '';
  /** The caller's entries, copied at issue so later changes to its array do not leak in. */
  entries: unknown[] = NO_ENTRIES;
  /** Bytes for appends and replaces, the new length for a truncate. */
  size = 0;
}

/** Entries a page cache gathers from writes before it joins them into one array (see PageCache). */
const CHUNK_ENTRIES = 4096;

/**
 * A file's page cache. A log file gets tens of thousands of entries a run, and each way of holding
 * them had a cost V8 made large: an array per write lives as long as the file, so the
 * young-generation collector copied every one of them twice; one flat array regrows all run long,
 * each time a fresh large-object allocation the OS must fault in page by page, and a push per
 * entry. So a write's entries are kept as the write brought them (one push) only until a chunk's
 * worth has come, and then joined by one concat into a packed array of exactly that size, which
 * is never changed again: most writes' arrays die young, and nothing regrows.
 */
class PageCache {
  /** Joined arrays, then the recent writes' arrays: none is ever changed once stored. */
  private chunks: unknown[][] = [];
  private recent: unknown[][] = [];
  private recentLength = 0;
  /** Entries in the file. */
  length = 0;

  /** Adds entries the cache now owns (nobody changes the array afterwards). */
  append(entries: unknown[]): void {
    const n = entries.length;
    if (n === 0) return;
    this.recent.push(entries);
    this.recentLength += n;
    this.length += n;
    if (this.recentLength >= CHUNK_ENTRIES) {
      this.chunks.push(concatAll(this.recent));
      this.recent = [];
      this.recentLength = 0;
    }
  }

  /** Keeps the first `n` entries (n ≤ length). */
  truncate(n: number): void {
    while (this.length > n) {
      // The last piece: the newest recent write's, or once those are gone the last chunk.
      const list = this.recent.length > 0 ? this.recent : this.chunks;
      const last = list[list.length - 1]!;
      const cut = Math.min(last.length, this.length - n);
      if (cut === last.length) list.pop();
      else list[list.length - 1] = last.slice(0, last.length - cut); // stored pieces are never changed
      if (list === this.recent) this.recentLength -= cut;
      this.length -= cut;
    }
  }

  /** Holds exactly `entries` (which it now owns). */
  reset(entries: unknown[]): void {
    this.chunks = entries.length > 0 ? [entries] : [];
    this.recent = [];
    this.recentLength = 0;
    this.length = entries.length;
  }

  /**
   * The first `n` entries (n ≤ length) as one packed array (the pieces are packed: a holey log
   * would stay holey through every later push). It may be a stored piece itself, never changed.
   */
  prefix(n: number): unknown[] {
    const pieces: unknown[][] = [];
    let have = 0;
    for (const list of [this.chunks, this.recent]) {
      for (const piece of list) {
        if (have === n) break;
        const take = Math.min(piece.length, n - have);
        pieces.push(take === piece.length ? piece : piece.slice(0, take));
        have += take;
      }
    }
    return concatAll(pieces);
  }
}

/** Arrays one concat call is given at most (each is an argument on the stack). */
const CONCAT_MAX_ARGS = 4096;

/**
 * The pieces' entries in order: one of them itself, or a new array. A page cache rarely has more
 * than a few thousand pieces (up to 4,096 recent ones and a chunk per 4,096 entries), but cuts can
 * leave short chunks behind, so more are joined in groups. Exported for its test.
 */
export function concatAll(pieces: readonly unknown[][]): unknown[] {
  if (pieces.length === 0) return [];
  if (pieces.length === 1) return pieces[0]!;
  if (pieces.length <= CONCAT_MAX_ARGS) return pieces[0]!.concat(...pieces.slice(1));
  const groups: unknown[][] = [];
  for (let i = 0; i < pieces.length; i += CONCAT_MAX_ARGS) groups.push(concatAll(pieces.slice(i, i + CONCAT_MAX_ARGS)));
  return concatAll(groups);
}

class DiskFile {
  readonly cache = new PageCache();
  /**
   * The durable view when it is more than a prefix of the page cache (a truncation cut the cache
   * below what was durable, and the cut is not yet durable); null when it is cache[0..common).
   */
  durable: unknown[] | null = null;
  /** cache[0..common) === durable[0..common), or the whole durable view when `durable` is null. */
  common = 0;
  dirty = false;
  /** Bumped whenever the file becomes clean, so a stale write-back event is ignored. */
  dirtyGen = 0;
  /** False until the file's existence itself is durable (a never-synced file vanishes on power loss). */
  durableExists = false;
  /** Flat copy handed to readers; rebuilt after the next change. */
  snapshot: readonly unknown[] | null = null;

  constructor(readonly name: string) {}
}

function durableLength(f: DiskFile): number {
  return f.durable === null ? f.common : f.durable.length;
}

export class NodeDisk implements Disk {
  private readonly fileMap = new Map<string, DiskFile>();
  /** fsyncs completed, an atomic replace's sync included (a measure for explore; no model reads it). */
  fsyncs = 0;
  /** Completion time of the last operation issued: the queue's tail. */
  private tailUs = 0;
  /**
   * Completion events done with, each with its DiskOp, for reuse (as the network reuses delivery
   * events): reused events live in V8's old generation, so queueing one costs no write-barrier slow
   * path, and an operation allocates nothing. An event comes back only once its operation was
   * applied and its callback is about to run or was dropped, never while a paused node holds it.
   */
  private readonly spareEvents: SimEvent[] = [];

  constructor(
    private readonly host: DiskHost,
    private readonly sched: Scheduler,
    private readonly trace: TraceSink,
    private readonly timing: DiskConfig,
    private readonly random: Random,
  ) {}

  append(file: string, entries: readonly unknown[], bytes: number, done?: () => void): void {
    this.enqueue(OP_APPEND, file, entries.slice(), bytes, this.timing.writeUs, done);
  }

  truncate(file: string, length: number, done?: () => void): void {
    if (!Number.isInteger(length) || length < 0) this.fail(`truncate(${file}) to invalid length ${length}`);
    this.enqueue(OP_TRUNCATE, file, NO_ENTRIES, length, this.timing.writeUs, done);
  }

  fsync(file: string, done?: () => void): void {
    this.enqueue(OP_FSYNC, file, NO_ENTRIES, 0, this.timing.fsyncUs, done);
  }

  replace(file: string, entries: readonly unknown[], bytes: number, done?: () => void): void {
    this.enqueue(OP_REPLACE, file, entries.slice(), bytes, this.timing.writeUs + this.timing.fsyncUs, done);
  }

  read(file: string): readonly unknown[] {
    const f = this.fileMap.get(file);
    if (f === undefined) return EMPTY;
    // A snapshot: repeated reads are free and a reader's copy never changes under it. Not frozen:
    // V8 copies and iterates frozen arrays several times slower, and recovery reads whole logs
    // (the readonly type keeps readers from writing to it).
    f.snapshot ??= f.cache.prefix(f.cache.length);
    return f.snapshot;
  }

  files(): readonly string[] {
    return [...this.fileMap.keys()];
  }

  private enqueue(code: number, file: string, entries: unknown[], size: number, latencyUs: number, done: (() => void) | undefined): void {
    const now = this.sched.now;
    const due = Math.max(now + Math.ceil(latencyUs * this.host.slowDiskFactor), this.tailUs);
    this.tailUs = due;
    let ev = this.spareEvents.pop();
    let op: DiskOp;
    if (ev === undefined) {
      ev = new SimEvent(EV_DISK, this.host.index, this.host.life);
      op = new DiskOp();
      ev.ref = op;
    } else {
      ev.kind = EV_DISK;
      ev.life = this.host.life;
      op = ev.ref as DiskOp;
    }
    op.op = code;
    op.file = file;
    op.entries = entries;
    op.size = size;
    ev.fn = done ?? null;
    this.sched.atKnown(due, ev); // an integer, not before now
  }

  /** Applies a completed operation (the caller has checked that its process is still alive). */
  complete(ev: SimEvent): void {
    const op = ev.ref as DiskOp;
    switch (op.op) {
      case OP_APPEND: return this.applyAppend(op.file, op.entries, op.size);
      case OP_TRUNCATE: return this.applyTruncate(op.file, op.size);
      case OP_FSYNC: return this.applyFsync(op.file);
      case OP_REPLACE: return this.applyReplace(op.file, op.entries, op.size);
      default: this.fail(`unknown disk op ${op.op}`);
    }
  }

  /**
   * Takes back a completion event that has left the queue for good: applied (or dropped with its
   * dead process) and its callback, if any, taken by the caller. Its next operation may reuse it at
   * once, even from that callback (the scheduler lets a running event be scheduled again).
   */
  spare(ev: SimEvent): void {
    const op = ev.ref as DiskOp;
    op.entries = NO_ENTRIES;
    ev.fn = null;
    this.spareEvents.push(ev);
  }

  private applyAppend(name: string, entries: unknown[], bytes: number): void {
    const f = this.open(name);
    f.cache.append(entries); // the operation's own copy: the cache keeps it as it is
    f.snapshot = null;
    this.markDirty(f);
    const tr = this.trace;
    tr.begin(this.sched.now, K_DISK_WRITE, this.host.index);
    tr.sym(name);
    tr.mix(entries.length);
    tr.num(bytes);
    if (tr.recording) {
      tr.push({ t: this.sched.now, kind: 'disk-write', node: this.host.id, file: name, entries: entries.length, bytes });
    }
  }

  private applyTruncate(name: string, length: number): void {
    const f = this.open(name);
    if (length < f.cache.length) {
      // What is durable survives the cut until the cut itself is durable.
      if (f.durable === null && length < f.common) f.durable = f.cache.prefix(f.common);
      f.cache.truncate(length);
      f.common = Math.min(f.common, length);
      f.snapshot = null;
      this.markDirty(f);
    }
    this.traceFile('disk-truncate', K_DISK_TRUNCATE, f, 'length', length);
  }

  private applyFsync(name: string): void {
    this.fsyncs++;
    const f = this.fileMap.get(name);
    if (f === undefined) return;
    this.makeDurable(f);
    this.traceFile('disk-fsync', K_DISK_FSYNC, f, 'durable', durableLength(f));
  }

  private applyReplace(name: string, entries: unknown[], bytes: number): void {
    this.fsyncs++;
    const f = this.open(name);
    // The rename is atomic: the old content (both views) is replaced at once, already durable.
    f.cache.reset(entries);
    f.durable = null;
    f.common = entries.length;
    f.durableExists = true;
    f.snapshot = null;
    this.markClean(f);
    const tr = this.trace;
    tr.begin(this.sched.now, K_DISK_WRITE, this.host.index);
    tr.sym(name);
    tr.mix(entries.length);
    tr.num(bytes);
    tr.mix(1);
    if (tr.recording) {
      const t = this.sched.now;
      tr.push({ t, kind: 'disk-write', node: this.host.id, file: name, entries: entries.length, bytes, replace: true });
    }
    this.traceFile('disk-fsync', K_DISK_FSYNC, f, 'durable', entries.length);
  }

  /** A write-back event fired: if the file is still dirty since that time, it all becomes durable. */
  writeback(ev: SimEvent): void {
    const f = ev.ref as DiskFile;
    if (!f.dirty || f.dirtyGen !== ev.id || this.fileMap.get(f.name) !== f) return;
    this.makeDurable(f);
    this.traceFile('disk-writeback', K_DISK_WRITEBACK, f, 'durable', durableLength(f));
  }

  /** The process died: its pending operations die with it (their life stamps no longer match). */
  crash(): void {
    this.tailUs = this.sched.now;
  }

  /** The machine lost power: only durable data survives (with torn writes, part of the dirty tail). */
  powerLoss(): void {
    this.tailUs = this.sched.now;
    for (const f of [...this.fileMap.values()]) this.loseFile(f);
  }

  private loseFile(f: DiskFile): void {
    const before = f.cache.length;
    if (!f.durableExists) {
      this.fileMap.delete(f.name);
      this.markClean(f);
      this.traceLoss(f, before, 0);
      return;
    }
    if (!f.dirty) return;
    const tail = f.cache.length - f.common;
    const torn = this.timing.tornWrites && tail > 0 ? this.random.int(0, tail) : 0;
    // A torn write lands a prefix of the dirty tail's entries, each whole, over the durable data after the common prefix.
    const lost = before - (f.common + torn);
    if (torn > 0 || f.durable === null) {
      f.cache.truncate(f.common + torn);
    } else {
      f.cache.reset(f.durable);
    }
    f.durable = null;
    f.common = f.cache.length;
    f.snapshot = null;
    this.markClean(f);
    this.traceLoss(f, lost, f.cache.length);
  }

  private open(name: string): DiskFile {
    let f = this.fileMap.get(name);
    if (f === undefined) {
      f = new DiskFile(name);
      this.fileMap.set(name, f);
    }
    return f;
  }

  private makeDurable(f: DiskFile): void {
    f.durable = null;
    f.common = f.cache.length;
    f.durableExists = true;
    this.markClean(f);
  }

  private markDirty(f: DiskFile): void {
    if (f.dirty) return;
    // Like Linux: the dirtied-at time is set once, when the file first becomes dirty.
    f.dirty = true;
    const ev = new SimEvent(EV_WRITEBACK, this.host.index, 0);
    ev.ref = f;
    ev.id = f.dirtyGen;
    this.sched.after(this.timing.dirtyExpireUs, ev);
  }

  private markClean(f: DiskFile): void {
    f.dirty = false;
    f.dirtyGen++;
  }

  private traceFile(kind: string, kindId: number, f: DiskFile, key: string, value: number): void {
    const tr = this.trace;
    tr.begin(this.sched.now, kindId, this.host.index);
    tr.sym(f.name);
    tr.mix(value);
    if (tr.recording) tr.push({ t: this.sched.now, kind, node: this.host.id, file: f.name, [key]: value });
  }

  private traceLoss(f: DiskFile, lost: number, kept: number): void {
    const tr = this.trace;
    tr.begin(this.sched.now, K_DISK_LOSS, this.host.index);
    tr.sym(f.name);
    tr.mix(lost);
    tr.mix(kept);
    if (tr.recording) tr.push({ t: this.sched.now, kind: 'disk-loss', node: this.host.id, file: f.name, lost, kept });
  }

  private fail(message: string): never {
    throw new SimAssertionError(message, this.host.id, this.sched.now);
  }
}

