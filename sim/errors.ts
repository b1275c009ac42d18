// Two kinds of failure that must never be confused: a user's mistake (exit code 2, one line, no
// stack) and a broken invariant inside ksim (exit code 3: a ksim bug, reported with its seed).

/** Something a user can cause and fix: bad scenario, unknown setting, missing or corrupt file. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/** A failed assertion in the kernel or a model: an unexpected state, i.e. a ksim bug. */
export class SimAssertionError extends Error {
  override readonly name = 'SimAssertionError';
  constructor(message: string, readonly node: string | null, readonly timeUs: number) {
    super(message);
  }
}
