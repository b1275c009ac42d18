// The command line (DESIGN.md "The ksim command"): commands, flags and their parsers. Each action
// returns its exit code; main.ts turns thrown errors into exit codes 2 and 3.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { collect, parseFrom, parseFromMs, parseSeed, parseSeedCount, parseShard, parseShrinkRuns, parseToMs, parseWorkers } from './args.js';
import { checkCommand } from './commands/check.js';
import { exploreCommand } from './commands/explore.js';
import { presetsCommand } from './commands/presets.js';
import { replayCommand } from './commands/replay.js';
import { runCommand } from './commands/run.js';
import { parseFormat, traceCommand } from './commands/trace.js';
import { DEFAULT_SEEDS } from './check/seeds.js';
import { DEFAULT_EXPLORE_SEEDS } from './explore/default-vary.js';
import { DEFAULT_SHRINK_MAX_RUNS } from '../properties/shrink.js';
import type { ExitCode } from './io.js';
import { defaultWorkers } from './pool.js';

const SCENARIO = 'a scenario file (JSON) or a preset name (see `ksim presets`)';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function root(): Command {
  return new Command('ksim')
    .description('Deterministic discrete-event fault simulator for Kafka-style replication')
    .version(version())
    .exitOverride()
    .showSuggestionAfterError(true)
    // main.ts prints every error as one line; commander's own printing would add a second.
    .configureOutput({ writeErr: () => undefined, outputError: () => undefined });
}

function addRun(program: Command, done: (code: ExitCode) => void): void {
  program.command('run').description('one run of a scenario with a seed')
    .argument('<scenario>', SCENARIO)
    .option('--seed <n>', 'the seed (default: picked at random and printed)', parseSeed)
    .option('--json', 'print the run object as JSON')
    .option('--trace <file>', 'write the trace as JSONL (view it with `ksim trace`)')
    .option('--report <file.html>', 'write a page of charts over simulated time (self-contained HTML)')
    .option('--force', 'replace the output file if it exists')
    .action((ref: string, flags: { seed?: number; json?: boolean; trace?: string; report?: string; force?: boolean }) => done(runCommand(ref, flags)));
}

function addCheck(program: Command, done: (code: ExitCode) => void): void {
  program.command('check').description('search seeds S…S+N-1 for a failure; shrink it; write a failure file')
    .argument('<scenario>', SCENARIO)
    .option('--seeds <n>', 'how many seeds', parseSeedCount, DEFAULT_SEEDS)
    .option('--from <s>', 'the first seed', parseFrom, 1)
    .option('--workers <w>', 'worker threads (default: the number of cores)', parseWorkers)
    .option('--shard <i/n>', 'run only shard I of N: the seeds whose index is I-1 mod N', parseShard)
    .option('--all', 'run every seed instead of stopping at the first failure')
    .option('--no-shrink', 'do not shrink the failing fault schedule')
    .option('--shrink-runs <n>', `most runs to spend shrinking (default ${DEFAULT_SHRINK_MAX_RUNS})`, parseShrinkRuns)
    .option('--out-dir <dir>', 'where the failure file goes (default: the current folder; created if missing)')
    .option('--json', 'print { runs, failingSeeds, anomalyCounts, firstFailure } as JSON')
    .option('--report <file.html>', 'write a page: the seeds, and charts over time of the first failing seed (or the first seed)')
    .option('--force', 'replace the report file if it exists')
    .action(async (ref: string, flags: Parameters<typeof checkCommand>[1]) =>
      done(await checkCommand(ref, { ...flags, workers: flags.workers ?? defaultWorkers() })));
}

function addReplay(program: Command, done: (code: ExitCode) => void): void {
  program.command('replay').description('re-run a failure file and confirm its trace hash')
    .argument('<failure.json>', 'a failure file written by `ksim check`')
    .option('--trace <file>', 'write the trace as JSONL')
    .option('--force', 'replace the output file if it exists')
    .option('--json', 'print the run object as JSON')
    .action((path: string, flags: { trace?: string; json?: boolean; force?: boolean }) => done(replayCommand(path, flags)));
}

function addExplore(program: Command, done: (code: ExitCode) => void): void {
  program.command('explore').description('a table over the cross product of varied settings')
    .argument('<scenario>', SCENARIO)
    .option('--vary <key=v1,v2>', 'a setting and its values (repeatable); `+` joins list items', collect, [])
    .option('--seeds <n>', `seeds per combination (default ${DEFAULT_EXPLORE_SEEDS})`, parseSeedCount)
    .option('--from <s>', 'the first seed', parseFrom, 1)
    .option('--workers <w>', 'worker threads (default: the number of cores)', parseWorkers)
    .option('--json', 'print one row per combination as JSON')
    .option('--report <file.html>', 'write a page: the table and a bar chart per measure (self-contained HTML)')
    .option('--force', 'replace the report file if it exists')
    .action(async (ref: string, flags: { vary: string[]; seeds?: number; from: number; workers?: number; json?: boolean; report?: string; force?: boolean }) =>
      done(await exploreCommand(ref, { ...flags, workers: flags.workers ?? defaultWorkers() })));
}

function addTrace(program: Command, done: (code: ExitCode) => void): void {
  program.command('trace').description('render a trace file')
    .argument('<trace.jsonl>', 'a trace written by `run --trace` or `replay --trace`')
    .option('--format <format>', 'text, html or perfetto', parseFormat, 'text' as const)
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--verbose', 'text: include timers, messages and disk I/O')
    .option('--force', 'replace the output file if it exists')
    .option('--from-ms <ms>', 'only records at or after this simulated time', parseFromMs)
    .option('--to-ms <ms>', 'only records at or before this simulated time', parseToMs)
    .option('--node <nodes>', 'only records of these nodes (comma-separated, repeatable)', collect, [])
    .option('--kind <kinds>', 'only records of these kinds (comma-separated, repeatable)', collect, [])
    .action((path: string, flags: Parameters<typeof traceCommand>[1]) => done(traceCommand(path, flags)));
}

/** The ksim program; `done` receives the exit code of the command that ran. */
export function buildProgram(done: (code: ExitCode) => void): Command {
  const program = root();
  addRun(program, done);
  addCheck(program, done);
  addReplay(program, done);
  addExplore(program, done);
  addTrace(program, done);
  program.command('presets').description('list the scenarios that ship with ksim').action(() => done(presetsCommand()));
  return program;
}
