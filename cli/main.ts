// Entry point of the `ksim` command (bin/ksim.js imports this module). Runs the command line and
// sets the exit code: 0 no unexpected anomaly, 1 anomalies, 2 bad input, 3 a ksim bug.
import { reportError } from './exit.js';
import { EXIT, exitQuietlyOnBrokenPipe, note, type ExitCode } from './io.js';
import { buildProgram } from './program.js';

async function main(argv: readonly string[]): Promise<ExitCode> {
  if (argv.length <= 2) {
    note('ksim: missing command (run, check, replay, explore, trace, presets); see ksim --help');
    return EXIT.usage;
  }
  let code: ExitCode = EXIT.ok;
  try {
    await buildProgram((c) => { code = c; }).parseAsync([...argv]);
  } catch (error) {
    return reportError(error);
  }
  return code;
}

exitQuietlyOnBrokenPipe();
process.exitCode = await main(process.argv);
