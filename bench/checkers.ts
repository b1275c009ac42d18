// The checkers' cost on the model section's standard scenario (bench/model.ts): per seed, the
// simulation and then checkAll over its history and final state, both in CPU time of this process,
// each the least of ROUNDS tries. The figure that
// matters is the ratio: judging a run should cost no more than simulating it (target ≤ 1).
import { CHECKERS } from '../properties/check.js';
import { makeCheckInput } from '../properties/check-input.js';
import { finalState, simulate } from '../scenario/run.js';
import { parseScenario } from '../scenario/schema.js';
import { STANDARD } from './model.js';
import { registerBench } from './sections.js';

const SEEDS = 8;
/** Simulations and checks per seed: the least CPU time of each counts, as in the model section (both are deterministic). */
const ROUNDS = 3;

function cpuMs(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** One checkAll (final logs built once, then every checker), with each checker's CPU ms added to `byType`. */
function checkTimed(built: ReturnType<typeof simulate>, final: ReturnType<typeof finalState>, byType: Map<string, number>): { ms: number; cases: number } {
  const start = process.cpuUsage();
  const input = makeCheckInput(built.history, final, { consumers: true });
  let cases = 0;
  for (const { type, check } of CHECKERS) {
    const t0 = process.cpuUsage();
    cases += check(input)?.count ?? 0;
    byType.set(type, cpuMs(t0));
  }
  return { ms: cpuMs(start), cases };
}

function measure(): Record<string, number> {
  const scenario = parseScenario(STANDARD, 'bench');
  const perType = new Map<string, number>();
  let simulateMs = 0, checkMs = 0, ops = 0, cases = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    let built: ReturnType<typeof simulate> | null = null;
    let bestSimulate = Infinity;
    for (let round = 0; round < ROUNDS; round++) {
      const startSim = process.cpuUsage();
      built = simulate(scenario, seed);
      bestSimulate = Math.min(bestSimulate, cpuMs(startSim));
    }
    simulateMs += bestSimulate;
    const final = finalState(built!);
    ops += built!.history.length;
    let best = Infinity;
    let bestByType = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const byType = new Map<string, number>();
      const check = checkTimed(built!, final, byType);
      if (check.ms < best) [best, bestByType] = [check.ms, byType];
      if (round === 0) cases += check.cases;
    }
    checkMs += best;
    for (const [type, ms] of bestByType) perType.set(type, (perType.get(type) ?? 0) + ms);
  }
  const byChecker: Record<string, number> = {};
  for (const [type, ms] of perType) byChecker[`ms.${type}`] = ms / SEEDS;
  return {
    historyOpsPerRun: Math.round(ops / SEEDS),
    simulateCpuMsPerRun: Math.round(simulateMs / SEEDS),
    checkCpuMsPerRun: Math.round(checkMs / SEEDS),
    checkToSimulateRatio: checkMs / simulateMs,
    anomalyCasesPerRun: cases / SEEDS,
    ...byChecker,
  };
}

registerBench('checkers', 'checkAll on the standard scenario vs simulating it (CPU ms per run; target ratio ≤ 1)', measure);
