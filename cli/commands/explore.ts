// `ksim explore <scenario> --vary KEY=V1,V2 [--vary …] [--seeds N]`: every combination of the
// varied settings over the same seeds, on worker threads; a table and a reading of it. Anomalies
// are the data here, not a failure: the exit code is 0 unless the input is bad or ksim breaks.
import { checkSeedRange } from '../args.js';
import { EXIT, note, out, outJson, type ExitCode } from '../io.js';
import { withPool, type SeedPool, type SeedRun } from '../pool.js';
import { startProgress } from '../progress.js';
import { aggregateRow, type ExploreRow } from '../explore/aggregate.js';
import { DEFAULT_EXPLORE_SEEDS } from '../explore/default-vary.js';
import { planExplore, type Combination, type ExplorePlan } from '../explore/plan.js';
import { readingOf } from '../explore/reading.js';
import { exploreTable, tableLegend } from '../explore/table.js';
import { reportTarget, writeExploreReport } from '../report/write.js';

export interface ExploreFlags {
  readonly vary: readonly string[];
  readonly seeds?: number;
  readonly from: number;
  readonly workers: number;
  readonly json?: boolean;
  readonly report?: string;
  readonly force?: boolean;
}

interface Job {
  readonly combo: number;
  readonly slot: number;
  readonly seed: number;
}

function* jobsOf(plan: ExplorePlan, from: number, seeds: number): Generator<Job> {
  for (let combo = 0; combo < plan.combinations.length; combo++) {
    for (let slot = 0; slot < seeds; slot++) yield { combo, slot, seed: from + slot };
  }
}

async function runCombinations(pool: SeedPool, plan: ExplorePlan, from: number, seeds: number): Promise<SeedRun[][]> {
  const runs = plan.combinations.map(() => new Array<SeedRun>(seeds));
  const progress = startProgress('explore', plan.combinations.length * seeds, 'runs');
  const start = (job: Job) => {
    const combo = plan.combinations[job.combo] as Combination;
    return pool.run({ raw: combo.raw, source: combo.source, seed: job.seed, latencies: true }, combo.scenarioName);
  };
  await pool.runAll(jobsOf(plan, from, seeds), start, (job, run) => {
    (runs[job.combo] as SeedRun[])[job.slot] = run;
    progress.tick();
    return 'continue';
  });
  progress.done();
  return runs;
}

export async function exploreCommand(ref: string, flags: ExploreFlags): Promise<ExitCode> {
  const plan = planExplore(ref, flags.vary);
  const seeds = flags.seeds ?? DEFAULT_EXPLORE_SEEDS;
  const report = reportTarget(flags.report, ref, flags.force);
  if (plan.defaultVary) note(`ksim: the default exploration: ${plan.varies.map((v) => v.key).join(' × ')}`);
  checkSeedRange(flags.from, seeds);
  const workers = Math.min(flags.workers, plan.combinations.length * seeds);
  const startedMs = performance.now();
  const runs = await withPool(workers, (pool) => runCombinations(pool, plan, flags.from, seeds));
  const rows: ExploreRow[] = plan.combinations.map((combo, i) =>
    aggregateRow({ label: combo.label, settings: combo.settings, durationMs: combo.durationMs, runs: runs[i] ?? [] }));
  const seconds = (performance.now() - startedMs) / 1000;
  note(`ksim: ${rows.length * seeds} runs in ${seconds.toFixed(1)} s on ${workers} worker${workers === 1 ? '' : 's'}`);
  if (report !== undefined) {
    writeExploreReport(report, `ksim explore ${plan.scenarioName}`, `${rows.length} combinations × ${seeds} seeds (${flags.from}…${flags.from + seeds - 1}), varying ${plan.varies.map((v) => v.key).join(', ')}`, rows, readingOf(rows, plan.varies));
  }
  if (flags.json === true) {
    outJson({ scenario: plan.scenarioName, seeds: { from: flags.from, count: seeds }, vary: plan.varies.map((v) => v.key), rows });
  } else {
    const title = `${plan.scenarioName}: ${rows.length} combination${rows.length === 1 ? '' : 's'} × ${seeds} seeds (${flags.from}…${flags.from + seeds - 1})`;
    out(`${title}\n\n${exploreTable(plan.varies, rows)}\n\n${tableLegend(plan.varies, rows)}\n\n${readingOf(rows, plan.varies)}`);
  }
  return EXIT.ok;
}
