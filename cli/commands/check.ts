// `ksim check <scenario> [--seeds N] [--from S] [--workers W] [--shard I/N] [--all] [--no-shrink]
// [--json]`: search seeds on worker threads; shrink the first failure; write its failure file in
// the current folder and print the command that replays it.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { readScenario } from '../../scenario/load.js';
import { UserError } from '../../sim/errors.js';
import { parseScenario } from '../../scenario/schema.js';
import { checkSeedRange, type Shard } from '../args.js';
import { recordFailure } from '../check/failure.js';
import { checkReport, formatCheck } from '../check/report.js';
import { searchInParallel } from '../check/search.js';
import { shardSeeds, shardSize, WHOLE } from '../check/seeds.js';
import { EXIT, note, out, outJson, type ExitCode } from '../io.js';
import { withPool } from '../pool.js';
import { startProgress } from '../progress.js';
import { command } from '../shell.js';
import { reportTarget, writeCheckReport } from '../report/write.js';

export interface CheckFlags {
  readonly seeds: number;
  readonly from: number;
  readonly workers: number;
  readonly shard?: Shard;
  readonly all?: boolean;
  readonly shrink: boolean;
  readonly shrinkRuns?: number;
  readonly json?: boolean;
  readonly outDir?: string;
  readonly report?: string;
  readonly force?: boolean;
}

/** The folder failure files go to, created if missing; a path that is a file is an error now, before the search. */
function prepareOutDir(dir: string | undefined): string {
  if (dir === undefined) return '.';
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`--out-dir ${dir}: is a file, not a folder`);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new UserError(`--out-dir ${dir}: cannot create the folder (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return dir;
}

export async function checkCommand(ref: string, flags: CheckFlags): Promise<ExitCode> {
  const { source, raw } = readScenario(ref);
  const outDir = prepareOutDir(flags.outDir);
  const reportTo = reportTarget(flags.report, ref, flags.force);
  const scenario = parseScenario(raw, source);
  const range = { from: flags.from, count: flags.seeds, shard: flags.shard ?? WHOLE };
  checkSeedRange(range.from, range.count);
  const total = shardSize(range);
  if (total === 0) {
    throw new UserError(`--shard ${range.shard.index}/${range.shard.count}: this shard has no seeds (only ${range.count} seed${range.count === 1 ? '' : 's'} in all); use fewer shards or more seeds`);
  }
  const workers = Math.min(flags.workers, total);
  const shardText = range.shard.count > 1 ? `, shard ${range.shard.index}/${range.shard.count} (${total} seeds)` : '';
  note(`ksim: check ${scenario.name}: seeds ${range.from}…${range.from + range.count - 1}${shardText} on ${workers} worker${workers === 1 ? '' : 's'}`);
  const progress = startProgress('check', total, 'seeds');
  const search = { raw, source, scenarioName: scenario.name, seeds: shardSeeds(range), all: flags.all === true };
  const outcome = await withPool(workers, (pool) => searchInParallel(pool, search, progress));
  const [first] = outcome.failingSeeds;
  const runCommand = (seed: number) => command('run', ref, '--seed', String(seed));
  const options = { shrink: flags.shrink, runCommand, ...(flags.shrinkRuns === undefined ? {} : { maxShrinkRuns: flags.shrinkRuns }) };
  const failure = first === undefined ? null : recordFailure(scenario, first, outDir, options);
  const report = checkReport(outcome, range, failure);
  if (reportTo !== undefined) writeCheckReport(reportTo, scenario, report, ref);
  if (flags.json === true) outJson(report);
  else out(formatCheck(report, scenario.name));
  return first === undefined ? EXIT.ok : EXIT.anomalies;
}
