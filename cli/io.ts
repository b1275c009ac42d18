// Where the CLI writes. stdout carries the result (and only JSON in --json mode); stderr carries
// progress, notes and errors, so `ksim check --json > out.json` stays parseable.

export function out(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function note(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function outJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Exit codes of DESIGN.md "The ksim command". */
export const EXIT = { ok: 0, anomalies: 1, usage: 2, internal: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** `ksim trace run.jsonl | head` closes stdout early: stop quietly instead of printing a stack. */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}
