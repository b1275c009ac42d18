// JSON.stringify in pieces: the same text, but large arrays are written a slice at a time, so a
// long trace's embedded data never has to exist as one string (V8's longest is 512 MiB).
const SLICE = 10_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/** Pieces whose concatenation equals JSON.stringify(value) for JSON-like data (no toJSON, no cycles). */
export function* jsonChunks(value: unknown): Generator<string> {
  if (Array.isArray(value) && value.length > SLICE) {
    yield '[';
    for (let start = 0; start < value.length; start += SLICE) {
      const slice = JSON.stringify(value.slice(start, start + SLICE));
      yield `${start === 0 ? '' : ','}${slice.slice(1, -1)}`;
    }
    yield ']';
    return;
  }
  if (isPlainObject(value)) {
    yield '{';
    let first = true;
    for (const [key, field] of Object.entries(value)) {
      if (field === undefined || typeof field === 'function' || typeof field === 'symbol') continue;
      yield `${first ? '' : ','}${JSON.stringify(key)}:`;
      yield* jsonChunks(field);
      first = false;
    }
    yield '}';
    return;
  }
  yield JSON.stringify(value);
}
