// Generated section: ksim's verdicts on scenarios nobody tuned (issue #16). Draws scenarios from
// properties/generated.ts (the safe envelope, Kafka's defaults and ranges) with a fixed fast-check
// seed, runs each with a few seeds on the worker pool, and reports every anomaly but the one the
// envelope allows (duplicate-delivery), every run that did not settle and why, every liveness failure
// but the one it allows (counted as allowedLiveness), and every ksim bug.
// Each offending pair's scenario is written to a folder with the command that reruns it.
//
//   KSIM_GENERATED_PAIRS  scenario × seed pairs (default 1000)
//   KSIM_GENERATED_SEEDS  seeds per scenario (default 2)
//   KSIM_GENERATED_SEED   fast-check seed of the scenario sample (default 20261205)
import { mkdtempSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { withPool } from '../cli/pool.js';
import { startProgress } from '../cli/progress.js';
import { RunBugError } from '../cli/run-error.js';
import { sampleGenerated, type GeneratedScenario } from '../properties/generated.js';
import type { RunResult } from '../scenario/run.js';
import { registerBench, type BenchMetrics } from './sections.js';

interface Pair {
  readonly index: number;
  readonly scenario: GeneratedScenario;
  readonly seed: number;
}

interface Finding {
  readonly pair: Pair;
  readonly what: string;
}

function envInt(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
}

function* pairsOf(scenarios: readonly GeneratedScenario[], seeds: number, total: number): Generator<Pair> {
  let n = 0;
  for (let index = 0; index < scenarios.length; index++) {
    for (let seed = 1; seed <= seeds && n < total; seed++, n++) yield { index, scenario: scenarios[index]!, seed };
  }
}

/**
 * What is wrong with a run, or null: an anomaly the scenario does not allow (it allows only
 * GENERATED_ALLOWED), or a liveness failure (not settled, nothing sent, nothing polled).
 */
function problemOf(result: RunResult): string | null {
  if (result.ok) return null;
  const anomalies = result.anomalies.filter((a) => result.unexpected.includes(a.type))
    .map((a) => `${a.type} ×${a.count}: ${a.examples[0]?.summary ?? ''}`);
  const liveness = result.liveness.filter((l) => !l.allowed).map((l) => `${l.type}: ${l.problems.slice(0, 3).join('; ')}`);
  return [...anomalies, ...liveness].join(' | ');
}

export async function runGeneratedBench(): Promise<BenchMetrics> {
  const total = envInt('KSIM_GENERATED_PAIRS', 1000);
  const seeds = envInt('KSIM_GENERATED_SEEDS', 2);
  const sampleSeed = envInt('KSIM_GENERATED_SEED', 20261205);
  const scenarios = sampleGenerated(Math.ceil(total / seeds), sampleSeed);
  const anomalyRuns = new Map<string, number>();
  const findings: Finding[] = [];
  let runs = 0, notSettled = 0, allowedLiveness = 0, simulatedMs = 0, settleMs = 0;
  const started = performance.now();
  const progress = startProgress('generated', total, 'pairs');
  // A ksim bug in one pair is a finding, not the end of the sweep: that pair's run is null.
  await withPool(availableParallelism(), (pool) => pool.runAll(pairsOf(scenarios, seeds, total), async (pair): Promise<RunResult | null> => {
    try {
      const { result } = await pool.run({ raw: pair.scenario, source: `generated #${pair.index}`, seed: pair.seed, latencies: false }, `generated #${pair.index}`);
      return result;
    } catch (error) {
      if (!(error instanceof RunBugError)) throw error;
      findings.push({ pair, what: `ksim bug: ${error.message}` });
      return null;
    }
  }, (pair, result) => {
    runs++;
    progress.tick();
    if (result === null) return 'continue';
    simulatedMs += result.simulatedMs;
    settleMs += result.simulatedMs - result.settle.startedAtMs;
    for (const a of result.anomalies) anomalyRuns.set(a.type, (anomalyRuns.get(a.type) ?? 0) + 1);
    if (!result.settle.settled) notSettled++;
    // The liveness the envelope allows (a quorum with transactions that sent nothing): counted, not a finding.
    if (result.liveness.some((l) => l.allowed)) allowedLiveness++;
    const problem = problemOf(result);
    if (problem !== null) findings.push({ pair, what: problem });
    return 'continue';
  }));
  progress.done();
  const wallS = (performance.now() - started) / 1000;
  const metrics: Record<string, number | string> = {
    pairs: runs, scenarios: scenarios.length, seedsPerScenario: seeds, sampleSeed,
    wallSeconds: wallS, pairsPerSecond: runs / wallS, meanSimulatedSeconds: simulatedMs / Math.max(1, runs) / 1000,
    meanSettleSeconds: settleMs / Math.max(1, runs) / 1000,
    notSettled, allowedLiveness, findings: findings.length,
    anomalyRuns: [...anomalyRuns].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([type, n]) => `${type} ${n}`).join(', ') || 'none',
  };
  if (findings.length > 0) {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-generated-'));
    findings.slice(0, 20).forEach(({ pair, what }, i) => {
      const file = join(dir, `pair-${pair.index}-seed-${pair.seed}.json`);
      writeFileSync(file, `${JSON.stringify(pair.scenario, null, 2)}\n`);
      metrics[`finding${i + 1}`] = `ksim run ${file} --seed ${pair.seed}: ${what.slice(0, 300)}`;
    });
  }
  return metrics;
}

registerBench('generated', 'verdicts on generated safe-envelope scenarios with Kafka defaults (KSIM_GENERATED_PAIRS, default 1000)', runGeneratedBench, { optIn: true });
