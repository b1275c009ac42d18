// Binary search over arrays sorted by a numeric key.

/** The first index whose key is ≥ `key` (items.length when none is). */
export function lowerBound<T>(items: readonly T[], key: number, keyOf: (item: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const item = items[mid] as T;
    if (keyOf(item) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
