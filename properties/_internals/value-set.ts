// A set of values made as models/history/history.ts makes them (producer index × VALUE_STRIDE + the
// producer's own counter): a bit per counter, one bit array per producer, so a run's millions of
// values take an eighth of a byte each where a Set takes about 40 bytes. Values of any other shape
// (hand-made histories, a counter past the dense limit) go to a Set beside it.
import { VALUE_STRIDE } from '../../models/history/history.js';
import type { Value } from '../../models/history/history.js';

const INITIAL_WORDS = 32;

export class ValueSet {
  private readonly byProducer = new Map<number, Uint32Array>();
  private sparse: Set<Value> | null = null;
  private lastProducer = Number.NaN;
  private lastBits: Uint32Array | null = null;

  /** @param denseLimit counters below this go to the bit arrays (a run's counters stay below its history size). */
  constructor(private readonly denseLimit: number) {}

  /** Bytes of the bit arrays (for tests). */
  get denseBytes(): number {
    let bytes = 0;
    for (const bits of this.byProducer.values()) bytes += bits.byteLength;
    return bytes;
  }

  has(value: Value): boolean {
    const counter = value % VALUE_STRIDE;
    if (!this.isDense(value, counter)) return this.sparse?.has(value) ?? false;
    const bits = this.bits(Math.floor(value / VALUE_STRIDE), false);
    if (bits === null) return false;
    const word = counter >>> 5;
    return word < bits.length && (bits[word]! & (1 << (counter & 31))) !== 0;
  }

  add(value: Value): void {
    const counter = value % VALUE_STRIDE;
    if (!this.isDense(value, counter)) {
      (this.sparse ??= new Set()).add(value);
      return;
    }
    const producer = Math.floor(value / VALUE_STRIDE);
    let bits = this.bits(producer, true)!;
    const word = counter >>> 5;
    if (word >= bits.length) bits = this.grow(producer, bits, word);
    bits[word]! |= 1 << (counter & 31);
  }

  private isDense(value: Value, counter: number): boolean {
    return Number.isSafeInteger(value) && value >= 0 && counter < this.denseLimit;
  }

  private bits(producer: number, create: boolean): Uint32Array | null {
    if (producer === this.lastProducer) return this.lastBits;
    let bits = this.byProducer.get(producer);
    if (bits === undefined) {
      if (!create) return null;
      bits = new Uint32Array(INITIAL_WORDS);
      this.byProducer.set(producer, bits);
    }
    this.lastProducer = producer;
    this.lastBits = bits;
    return bits;
  }

  private grow(producer: number, bits: Uint32Array, word: number): Uint32Array {
    const next = new Uint32Array(Math.max(word + 1, bits.length * 2));
    next.set(bits);
    this.byProducer.set(producer, next);
    this.lastProducer = producer;
    this.lastBits = next;
    return next;
  }
}
