// A FIFO queue with O(1) removal at the front and insertion before it: a producer's batches per
// partition and its sends blocked on buffer memory.
// A partition without a leader piles up thousands of them (about 1,000 a second at 1,000 sends/s
// with linger.ms 5), and Array.prototype.shift() on an array past V8's large-object size (16,384
// entries) copies the whole rest each time: draining such a backlog took time quadratic in it.
export class ReadyQueue<T> {
  private items: (T | undefined)[] = [];
  /** Index of the first item in `items`; the slots before it are empty. */
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  /** The i-th item from the front (0 = the front), or undefined. */
  at(i: number): T | undefined {
    return i >= 0 ? this.items[this.head + i] : undefined;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the front item, or undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      // The empty front has grown as large as what is left: drop it, in one copy.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Puts `item` at position i from the front (0 = the new front; length = at the back). */
  insert(i: number, item: T): void {
    if (i === 0 && this.head > 0) {
      this.items[--this.head] = item;
      return;
    }
    this.items.splice(this.head + i, 0, item);
  }
}
