// Every way the command can fail, turned into one line on stderr and an exit code: 2 for the
// user's input (commander's usage errors included), 3 for a ksim bug. A stack trace is printed
// only for a bug, and only when KSIM_DEBUG is set: users get the reproduction, not the internals.
import { CommanderError } from 'commander';
import { SimAssertionError, UserError } from '../sim/errors.js';
import { EXIT, note, type ExitCode } from './io.js';
import { describeThrown, oneLine, RunBugError } from './run-error.js';

// Commander's own codes for help and --version: not failures.
const COMMANDER_SUCCESS = new Set(['commander.helpDisplayed', 'commander.version']);

function commanderLine(error: CommanderError): string {
  // "error: unknown option '--sed'\n(Did you mean --seed?)" becomes one line without the prefix.
  return oneLine(error.message.replace(/^error:\s*/, ''));
}

function debugStack(stack: string | undefined): void {
  if (process.env['KSIM_DEBUG'] !== undefined && stack !== undefined) note(stack);
}

/** Reports a thrown error on stderr and returns the exit code it means. */
export function reportError(error: unknown): ExitCode {
  if (error instanceof CommanderError) {
    if (COMMANDER_SUCCESS.has(error.code)) return EXIT.ok;
    // Help shown because something was missing (a command without its subcommand) is a usage error.
    if (error.code === 'commander.help') {
      if (error.exitCode === 0) return EXIT.ok;
      note('ksim: missing command (run, check, replay, explore, trace, presets); see ksim --help');
      return EXIT.usage;
    }
    note(`ksim: ${commanderLine(error)}`);
    return EXIT.usage;
  }
  if (error instanceof UserError) {
    note(`ksim: ${oneLine(error.message)}`);
    return EXIT.usage;
  }
  if (error instanceof RunBugError) {
    const what = error.assertion ? 'assertion failed' : 'internal error';
    note(`ksim: ${what} (a ksim bug, please report it): ${error.message}`);
    debugStack(error.originalStack);
    return EXIT.internal;
  }
  const { detail, assertion, stack } = describeThrown(error);
  note(`ksim: ${assertion || error instanceof SimAssertionError ? 'assertion failed' : 'internal error'} (a ksim bug, please report it): ${detail}`);
  debugStack(stack);
  return EXIT.internal;
}
