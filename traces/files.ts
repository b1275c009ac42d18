// Every file ksim writes goes through here, so that no write loses what was there before:
// - the content goes to a temporary file beside the target and is renamed into place, so a write
//   cut short (a full disk, Ctrl-C, a crash) leaves the old file or no file, never a half-written one;
// - an output never replaces one of the command's own inputs (`--trace scenario.json`);
// - an existing file is replaced only when the caller allows it (`--force`).
// Errors are UserErrors of one line naming the path: they are the user's to fix (exit code 2).
import { closeSync, existsSync, fsyncSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../sim/errors.js';

export interface WriteOptions {
  /** What the file is, for messages ("trace file", "failure file", "-o"). */
  readonly what: string;
  /** Paths the command reads: the output may be none of them. */
  readonly inputs?: readonly string[];
  /** Replace an existing file (else an existing file is an error that names it). */
  readonly replace?: boolean;
}

/** The path with symbolic links resolved where it exists (so `a/../b` and a link to b are b). */
function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    // Not there yet: resolve its folder, which may exist.
    try {
      return join(realpathSync(dirname(absolute)), basename(absolute));
    } catch {
      return absolute;
    }
  }
}

function samePath(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

/** Text on one line, for messages that must stay one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** An fs error as its code (EACCES, ENOSPC, …), else its message on one line. */
function problem(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? oneLine(error instanceof Error ? error.message : String(error));
}

/** Checks that `path` may be written under `options`, before any work is spent on its content. */
export function checkWritable(path: string, options: WriteOptions): void {
  for (const input of options.inputs ?? []) {
    if (samePath(path, input)) throw new UserError(`${options.what} ${path}: is an input of this command; choose another path`);
  }
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) throw new UserError(`${options.what} ${path}: is a folder`);
  if (options.replace !== true) throw new UserError(`${options.what} ${path}: exists; choose another path or pass --force to replace it`);
}

/**
 * Writes `chunks` to `path` through a temporary file and a rename. The chunks are written one by
 * one, so a long trace never becomes one string.
 */
export function writeFileSafely(path: string, chunks: Iterable<string>, options: WriteOptions): void {
  checkWritable(path, options);
  const temporary = join(dirname(resolve(path)), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temporary, 'wx');
  } catch (error) {
    throw new UserError(`${options.what} ${path}: cannot write (${problem(error)})`);
  }
  try {
    for (const chunk of chunks) writeSync(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temporary, path);
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(temporary); } catch { /* never created or already gone */ }
    throw new UserError(`${options.what} ${path}: cannot write (${problem(error)}); nothing was changed there`);
  }
}
