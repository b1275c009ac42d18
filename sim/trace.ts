// The trace sink: a running hash over every event (kernel and model), always on, plus the full
// records when recording is asked for. Hashing must cost a few multiplications per field, so kinds,
// field names and message types are interned to small integers, numbers are mixed directly and
// strings by their char codes; no JSON, no allocation per event unless recording.
import type { TraceFields, TraceValue } from './env.js';
import { SimAssertionError } from './errors.js';
import { KERNEL_TRACE_KINDS, type TraceRecord } from './trace-record.js';

// Type tags keep values of different types from colliding (the string "a" vs the number 97).
const TAG_INT = 1;
const TAG_FLOAT = 2;
const TAG_STR = 3;
const TAG_BOOL = 4;
const TAG_NULL = 5;
const TAG_ARRAY = 6;

/** Past this many interned strings, new ones are hashed by their chars (no unbounded growth). */
const MAX_INTERNED = 1 << 15;

/**
 * Slots of the symbol cache. A slot is chosen by a string's length and first and last chars: with
 * 256 of them the hot vocabulary (kinds, field names, message types, file names) shares none, where
 * 64 slots and the last char alone made 'count' and 'first' of every send-ok evict each other.
 */
const SYM_CACHE = 256;

/** Told of a model event of a watched kind: its time, node, kind and fields (never modified). */
export type TraceObserver = (t: number, node: string, kind: string, fields: TraceFields | undefined) => void;

const floatScratch = new Float64Array(1);
const floatWords = new Uint32Array(floatScratch.buffer);

export class TraceSink {
  /** Every event hashed so far. */
  events = 0;
  /** Full records, in order, when recording; null otherwise. */
  readonly records: TraceRecord[] | null;
  private h1 = 0x2545f491;
  private h2 = 0x9e3779b9 | 0;
  private readonly interned = new Map<string, number>();
  /** Direct-mapped cache in front of `interned`: most symbols are hit without a Map lookup. */
  private readonly cacheKeys: (string | null)[] = new Array<string | null>(SYM_CACHE).fill(null);
  private readonly cacheIds = new Int32Array(SYM_CACHE);
  /** Observers by kind name; watchedIds marks their interned ids so an unwatched event costs one load. */
  private readonly observers = new Map<string, TraceObserver[]>();
  private readonly watchedIds = new Uint8Array(MAX_INTERNED);

  constructor(recording: boolean, into?: TraceRecord[]) {
    this.records = into ?? (recording ? [] : null);
    // Kernel kinds get fixed ids in their documented order, whatever fires first.
    for (const kind of KERNEL_TRACE_KINDS) this.intern(kind);
  }

  get recording(): boolean {
    return this.records !== null;
  }

  /** A small integer for a string of a bounded vocabulary (kinds, field names, message types, files). */
  intern(s: string): number {
    let id = this.interned.get(s);
    if (id === undefined) {
      if (this.interned.size >= MAX_INTERNED) return -1;
      id = this.interned.size;
      this.interned.set(s, id);
      if (this.observers.has(s)) this.watchedIds[id] = 1;
      // The first use hashes the content, so runs that differ only in a name hash differently.
      this.str(s);
    }
    return id;
  }

  /** Starts an event: counts it and mixes its time, its kind id and its node index (< 2^16). */
  begin(t: number, kindId: number, node: number): void {
    this.events++;
    this.num(t);
    this.mix((kindId << 16) ^ node);
  }

  /** Mixes two values below 2^16 (node indices, interned ids) in one step. */
  pair(a: number, b: number): void {
    this.mix((a << 16) ^ b);
  }

  /**
   * Calls `observer` for every model event of `kind` from now on. Watching changes nothing in the
   * hash (the kind is not interned early), so a run that observes hashes like one that does not.
   */
  watch(kind: string, observer: TraceObserver): void {
    const list = this.observers.get(kind);
    if (list !== undefined) list.push(observer);
    else this.observers.set(kind, [observer]);
    const id = this.interned.get(kind);
    if (id !== undefined) this.watchedIds[id] = 1;
  }

  /** Is a model event of this kind (`id` from beginNamed) watched? */
  watched(id: number, kind: string): boolean {
    return id >= 0 ? this.watchedIds[id] === 1 : this.observers.has(kind);
  }

  /** Tells the kind's observers of a model event. */
  notify(t: number, node: string, kind: string, fields: TraceFields | undefined): void {
    for (const observer of this.observers.get(kind) ?? []) observer(t, node, kind, fields);
  }

  /** Starts a model event, whose kind is any string but a kernel kind; returns its interned id (-1: none). */
  beginNamed(t: number, kind: string, node: number): number {
    const id = this.symId(kind);
    if (id >= 0 && id < KERNEL_TRACE_KINDS.length) {
      throw new SimAssertionError(`trace kind '${kind}' is reserved for the kernel`, null, t);
    }
    this.events++;
    this.num(t);
    if (id >= 0) {
      this.pair(id, node);
    } else {
      this.str(kind);
      this.mix(node);
    }
    return id;
  }

  /** Mixes an integer that fits 32 bits (node indices, ids, interned ids). */
  mix(v: number): void {
    // Two multiply-xorshift lanes; the second also takes the first, so the lanes never agree.
    // Weak per step on purpose (this runs several times per event); hash() finalises both lanes.
    let h = Math.imul(this.h1 ^ v, 0x9e3779b1);
    h ^= h >>> 15;
    this.h1 = h;
    const g = Math.imul(this.h2 + v, 0x85ebca77) ^ h;
    this.h2 = (g << 13) | (g >>> 19);
  }

  /** Mixes a value below 2^16 and a symbol together. */
  pairSym(a: number, s: string): void {
    const id = this.symId(s);
    if (id >= 0) {
      this.pair(a, id);
    } else {
      this.mix(a);
      this.str(s);
    }
  }

  /** Mixes any number: 32-bit integers directly, others by their IEEE-754 words. */
  num(x: number): void {
    if ((x | 0) === x) {
      this.mix(x);
    } else {
      floatScratch[0] = x;
      this.mix(TAG_FLOAT);
      this.mix(floatWords[0] as number);
      this.mix(floatWords[1] as number);
    }
  }

  /** Mixes a string of a bounded vocabulary: one interned id. */
  sym(s: string): void {
    const id = this.symId(s);
    if (id >= 0) this.mix(id);
    else this.str(s);
  }

  /** The interned id of `s` (-1 when the table is full), through the cache. */
  symId(s: string): number {
    const n = s.length;
    const slot = (n === 0 ? 0 : n * 31 + s.charCodeAt(0) * 7 + s.charCodeAt(n - 1)) & (SYM_CACHE - 1);
    if (this.cacheKeys[slot] === s) return this.cacheIds[slot] as number;
    const id = this.intern(s);
    if (id >= 0) {
      this.cacheKeys[slot] = s;
      this.cacheIds[slot] = id;
    }
    return id;
  }

  /** Mixes any string by its char codes. */
  str(s: string): void {
    const n = s.length;
    this.mix(TAG_STR);
    this.mix(n);
    for (let i = 0; i < n; i++) this.mix(s.charCodeAt(i));
  }

  value(v: TraceValue): void {
    if (typeof v === 'number') {
      this.mix(TAG_INT);
      this.num(v);
    } else if (typeof v === 'string') {
      this.str(v);
    } else if (typeof v === 'boolean') {
      this.mix(TAG_BOOL);
      this.mix(v ? 1 : 0);
    } else if (v === null) {
      this.mix(TAG_NULL);
    } else {
      this.mix(TAG_ARRAY);
      this.mix(v.length);
      for (const item of v) this.value(item);
    }
  }

  /** Mixes a model event's fields, in their (insertion) order. */
  fields(fields: TraceFields, t: number): void {
    for (const key of Object.keys(fields)) {
      if (key === 't' || key === 'kind' || key === 'node') {
        throw new SimAssertionError(`trace field name '${key}' is reserved`, null, t);
      }
      this.sym(key);
      this.value(fields[key] as TraceValue);
    }
  }

  /** Stores a full record; callers build it only when `recording` is true. */
  push(record: TraceRecord): void {
    this.records?.push(record);
  }

  /** 16 hex chars: both lanes, finalised. */
  hash(): string {
    return hex(fmix(this.h1 ^ this.events)) + hex(fmix(this.h2 ^ Math.imul(this.events, 0x27d4eb2d)));
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex(x: number): string {
  return x.toString(16).padStart(8, '0');
}
