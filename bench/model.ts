// The model's hot path on the standard scenario of the replication issue: 3 brokers, RF 3, one
// partition, 1,000 sends/s, one consumer, random faults, 60 simulated seconds. Only the simulation
// is timed (checkers have their own benchmark). Targets: ≥ 1,000,000 events/s, ≥ 1,000× real time.
import { simulate } from '../scenario/run.js';
import { parseScenario } from '../scenario/schema.js';
import { registerBench } from './sections.js';

const STANDARD = {
  name: 'bench-standard',
  durationMs: 60000,
  settleMs: 0,
  producers: [{ messagesPerSec: 1000 }],
  consumers: [{ processingMs: 0.1 }],
  faults: { mode: 'random' },
};
const WARMUP_SEEDS = 2;
const SEEDS = 8;

function measure(): Record<string, number> {
  const scenario = parseScenario(STANDARD, 'bench');
  for (let seed = 1; seed <= WARMUP_SEEDS; seed++) simulate(scenario, 1000 + seed);
  let events = 0, wallMs = 0, simulatedUs = 0; // wallMs: CPU milliseconds spent simulating
  for (let seed = 1; seed <= SEEDS; seed++) {
    // CPU time of this process, not wall time: other work on the machine must not move the figure.
    const start = process.cpuUsage();
    const built = simulate(scenario, seed);
    const used = process.cpuUsage(start);
    wallMs += (used.user + used.system) / 1000;
    events += built.world.eventsRun;
    simulatedUs += built.world.now();
  }
  return {
    modelEventsPerSec: Math.round(events / wallMs * 1000),
    simulatedSecondsPerWallSecond: Math.round(simulatedUs / 1000 / wallMs),
    eventsPerRun: Math.round(events / SEEDS),
    cpuMsPerRun: Math.round(wallMs / SEEDS),
  };
}

registerBench('model', 'standard scenario: 3 brokers, RF 3, 1 partition, 1,000 sends/s, 1 consumer, random faults, 60 s', measure);
