// `ksim check <scenario> [--seeds N] [--from S] [--workers W] [--shard I/N] [--all] [--no-shrink]
// [--json]`: search seeds on worker threads; shrink the first failure; write its failure file in
// the current folder and print the command that replays it.
import { readScenario } from '../../scenario/load.js';
import { parseScenario } from '../../scenario/schema.js';
import type { Shard } from '../args.js';
import { recordFailure } from '../check/failure.js';
import { checkReport, formatCheck } from '../check/report.js';
import { searchInParallel } from '../check/search.js';
import { shardSeeds, shardSize, WHOLE } from '../check/seeds.js';
import { EXIT, note, out, outJson, type ExitCode } from '../io.js';
import { withPool } from '../pool.js';
import { startProgress } from '../progress.js';
import { command } from '../shell.js';

export interface CheckFlags {
  readonly seeds: number;
  readonly from: number;
  readonly workers: number;
  readonly shard?: Shard;
  readonly all?: boolean;
  readonly shrink: boolean;
  readonly shrinkRuns?: number;
  readonly json?: boolean;
}

export async function checkCommand(ref: string, flags: CheckFlags): Promise<ExitCode> {
  const { source, raw } = readScenario(ref);
  const scenario = parseScenario(raw, source);
  const range = { from: flags.from, count: flags.seeds, shard: flags.shard ?? WHOLE };
  const total = shardSize(range);
  const shardText = range.shard.count > 1 ? `, shard ${range.shard.index}/${range.shard.count} (${total} seeds)` : '';
  note(`ksim: check ${scenario.name}: seeds ${range.from}…${range.from + range.count - 1}${shardText} on ${flags.workers} worker${flags.workers === 1 ? '' : 's'}`);
  const progress = startProgress('check', total, 'seeds');
  const search = { raw, source, scenarioName: scenario.name, seeds: shardSeeds(range), all: flags.all === true };
  const outcome = await withPool(flags.workers, (pool) => searchInParallel(pool, search, progress));
  const [first] = outcome.failingSeeds;
  const runCommand = (seed: number) => command('run', ref, '--seed', String(seed));
  const options = { shrink: flags.shrink, runCommand, ...(flags.shrinkRuns === undefined ? {} : { maxShrinkRuns: flags.shrinkRuns }) };
  const failure = first === undefined ? null : recordFailure(scenario, first, '.', options);
  const report = checkReport(outcome, range, failure);
  if (flags.json === true) outJson(report);
  else out(formatCheck(report, scenario.name));
  return first === undefined ? EXIT.ok : EXIT.anomalies;
}
