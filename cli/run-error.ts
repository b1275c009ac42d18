// A failure inside one run (a ksim bug) carries the scenario and seed that reproduce it, wherever
// it happened: in this thread or in a worker, where the original error object cannot travel.
import { SimAssertionError } from '../sim/errors.js';

export interface RunContext {
  readonly scenario: string;
  readonly seed: number;
}

/** A failed assertion, or an unexpected exception, during one run: exit code 3. */
export class RunBugError extends Error {
  override readonly name = 'RunBugError';
  constructor(
    readonly context: RunContext,
    readonly detail: string,
    /** True for a SimAssertionError; false for an unexpected exception (TypeError, …). */
    readonly assertion: boolean,
    readonly originalStack: string | undefined,
  ) {
    super(`${detail} (scenario ${context.scenario}, seed ${context.seed})`);
  }
}

/** One line: the assertion's message, with the node and simulated time when it has them. */
export function describeThrown(error: unknown): { detail: string; assertion: boolean; stack: string | undefined } {
  if (error instanceof SimAssertionError) {
    const where = error.node === null ? '' : ` on ${error.node}`;
    const when = error.timeUs >= 0 ? ` at ${(error.timeUs / 1000).toFixed(3)} ms` : '';
    return { detail: `${oneLine(error.message)}${where}${when}`, assertion: true, stack: error.stack };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { detail: oneLine(message), assertion: false, stack: error instanceof Error ? error.stack : undefined };
}

export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

/** Runs `fn` for one seed; a bug inside it comes out as a RunBugError naming scenario and seed. */
export function withRunContext<T>(context: RunContext, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw toRunBug(context, error);
  }
}

export function toRunBug(context: RunContext, error: unknown): unknown {
  if (error instanceof RunBugError || isUserError(error)) return error;
  const { detail, assertion, stack } = describeThrown(error);
  return new RunBugError(context, detail, assertion, stack);
}

function isUserError(error: unknown): boolean {
  return error instanceof Error && error.name === 'UserError';
}
