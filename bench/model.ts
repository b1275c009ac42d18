// The model's hot path on the standard scenario of the replication issue: 3 brokers, RF 3, one
// partition, 1,000 sends/s, one consumer, random faults, 60 simulated seconds. Only the simulation
// is timed (checkers have their own benchmark). Targets: ≥ 1,000,000 events/s, ≥ 1,000× real time.
import { performance } from 'node:perf_hooks';
import { simulate } from '../scenario/run.js';
import { parseScenario } from '../scenario/schema.js';
import { registerBench } from './sections.js';

/** The standard scenario (the checkers section judges the same runs). */
export const STANDARD = {
  name: 'bench-standard',
  durationMs: 60000,
  settleMs: 0,
  producers: [{ messagesPerSec: 1000 }],
  consumers: [{ processingMs: 0.1 }],
  faults: { mode: 'random' },
};
const WARMUP_SEEDS = 2;
const SEEDS = 8;
/**
 * Each seed runs this many times and its least CPU time counts (as the kernel section keeps its
 * best repeat): a run is deterministic, so the spread between repeats is only what the machine did
 * meanwhile (other tenants, GC timing), which on a shared VM is ±15% from one run to the next.
 */
const ROUNDS = 3;

function measure(): Record<string, number> {
  const scenario = parseScenario(STANDARD, 'bench');
  for (let seed = 1; seed <= WARMUP_SEEDS; seed++) simulate(scenario, 1000 + seed);
  const bestMs = new Array<number>(SEEDS).fill(Infinity);
  const bestWallMs = new Array<number>(SEEDS).fill(Infinity);
  let events = 0, simulatedUs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (let seed = 1; seed <= SEEDS; seed++) {
      // The figures count CPU time of this process, so other work on the machine moves them less;
      // wall time is kept beside them for information only.
      const start = process.cpuUsage();
      const startWall = performance.now();
      const built = simulate(scenario, seed);
      const wallMs = performance.now() - startWall;
      const used = process.cpuUsage(start);
      bestMs[seed - 1] = Math.min(bestMs[seed - 1]!, (used.user + used.system) / 1000);
      bestWallMs[seed - 1] = Math.min(bestWallMs[seed - 1]!, wallMs);
      if (round === 0) {
        events += built.world.eventsRun;
        simulatedUs += built.world.now();
      }
    }
  }
  const cpuMs = bestMs.reduce((a, b) => a + b, 0); // CPU milliseconds spent simulating
  return {
    modelEventsPerSec: Math.round(events / cpuMs * 1000),
    simulatedSecondsPerWallSecond: Math.round(simulatedUs / 1000 / cpuMs),
    eventsPerRun: Math.round(events / SEEDS),
    cpuMsPerRun: Math.round(cpuMs / SEEDS),
    // Wall time of the same runs, for information: below the CPU time when V8's garbage collector
    // works on another core meanwhile (the figures above count every thread's CPU time).
    wallMsPerRun: Math.round(bestWallMs.reduce((a, b) => a + b, 0) / SEEDS),
  };
}

registerBench('model', 'standard scenario: 3 brokers, RF 3, 1 partition, 1,000 sends/s, 1 consumer, random faults, 60 s', measure);
