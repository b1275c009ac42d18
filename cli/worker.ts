// A worker thread of the seed pool (tinypool): validates the scenario it is given (cached, since a
// search sends the same one many times), runs one seed and answers with the result object. Errors
// are answered as data because an Error's class does not survive the trip between threads.
import { UserError } from '../sim/errors.js';
import { runScenario } from '../scenario/run.js';
import { parseScenario, type Scenario } from '../scenario/schema.js';
import { latencyHistogram } from './explore/latency.js';
import { describeThrown } from './run-error.js';
import type { SeedAnswer, SeedTask } from './worker-protocol.js';

const MAX_CACHED = 64;
const scenarios = new Map<string, Scenario>();

function scenarioOf(task: SeedTask): Scenario {
  const key = `${task.source}\n${JSON.stringify(task.raw)}`;
  const cached = scenarios.get(key);
  if (cached !== undefined) return cached;
  if (scenarios.size >= MAX_CACHED) scenarios.clear();
  const scenario = parseScenario(task.raw, task.source);
  scenarios.set(key, scenario);
  return scenario;
}

export default function runSeed(task: SeedTask): SeedAnswer {
  try {
    const output = runScenario(scenarioOf(task), task.seed);
    return { kind: 'ok', result: output.result, latencies: task.latencies ? latencyHistogram(output.history) : null };
  } catch (error) {
    if (error instanceof UserError) return { kind: 'user-error', message: error.message };
    const { detail, assertion, stack } = describeThrown(error);
    return { kind: 'bug', detail, assertion, stack };
  }
}
