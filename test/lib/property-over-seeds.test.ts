// propertyOverSeeds (ksim/vitest): passes with a summary, fails at the first failing seed with the
// commands that reproduce it, and records the failure as `ksim check` does. The packed package runs
// the README's examples of it in test/package/.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { propertyOverSeeds, SeedPropertyError } from '../../lib/vitest.js';
import { readFailureFile, replayFailure } from '../../properties/failure-file.js';
import { parseScenario } from '../../scenario/schema.js';
import { SHORT_CALM, SHORT_LOSSY } from '../cli/helpers.js';

function thrown(fn: () => unknown): SeedPropertyError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SeedPropertyError);
    return error as SeedPropertyError;
  }
  throw new Error('expected a SeedPropertyError');
}

function scenarioFile(dir: string, json: unknown): string {
  const path = join(dir, 'scenario.json');
  writeFileSync(path, JSON.stringify(json));
  return path;
}

describe('propertyOverSeeds', () => {
  test('returns the runs and the allowed anomalies they showed when every seed passes', () => {
    expect(propertyOverSeeds(parseScenario(SHORT_CALM, 'calm'), { seeds: 3 })).toEqual({ scenario: 'short-calm', runs: 3, anomalyCounts: {} });
    // The lossy scenario passes once its anomalies are allowed; the counts say which it showed.
    const lossy = parseScenario(SHORT_LOSSY, 'lossy');
    const allow = ['lost-write', 'inconsistent-offsets', 'nonmonotonic-send', 'duplicate', 'committed-record-lost', 'log-divergence', 'unseen', 'not-settled'] as const;
    const summary = propertyOverSeeds(lossy, { seeds: 3, allow: [...allow] });
    expect(summary.runs).toBe(3);
    expect(Object.keys(summary.anomalyCounts).length).toBeGreaterThan(0);
  });

  test('fails at the first failing seed with its cases, the shrunk script and the replay command, which replays', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-property-'));
    const ref = scenarioFile(dir, SHORT_LOSSY);
    const error = thrown(() => propertyOverSeeds(ref, { seeds: 10, maxShrinkRuns: 20, outDir: join(dir, 'failures') }));
    const file = error.failure?.file ?? '';
    expect(existsSync(file)).toBe(true);
    expect(error.reproduce).toBe(`ksim replay ${file}`);
    const lines = error.message.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^short-lossy: seed ${error.seed} fails with [a-z-]+, after ${error.seed} runs?$`));
    expect(lines[1]).toMatch(/^ {2}[a-z-]+: \d+ cases?$/);
    expect(lines).toContain(`replay: ksim replay ${file}`);
    expect(lines).toContain(`unshrunk: ksim run ${ref} --seed ${error.seed}`);
    expect(error.message).toMatch(/^fault script shrunk from \d+ to \d+ steps?:$/m);
    // The file is `ksim check`'s: it replays to the same run and shows the anomaly.
    const replay = replayFailure(readFailureFile(file));
    expect([replay.hashMatches, replay.anomalyPresent]).toEqual([true, true]);
  });

  test('without shrinking the whole script is kept; a scenario given as an object names the code that runs it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-property-'));
    const error = thrown(() => propertyOverSeeds(parseScenario(SHORT_LOSSY, 'lossy'), { seeds: 10, shrink: false, outDir: dir }));
    expect(error.failure?.shrinkRuns).toBe(0);
    expect(error.message).toContain(`fault script (${error.failure?.originalSteps} steps, not shrunk):`);
    expect(error.message).toContain(`unshrunk: runScenario(scenario, ${error.seed}) (scenario "short-lossy", given as an object)`);
  });

  test('a liveness failure names its problem and the `ksim run` command, with no failure file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksim-property-'));
    const ref = scenarioFile(dir, { ...SHORT_CALM, name: 'silent', producers: [{ messagesPerSec: 0 }] });
    const error = thrown(() => propertyOverSeeds(ref, { seeds: 2, outDir: dir }));
    expect(error.seed).toBe(1);
    expect(error.failure?.file).toBeNull();
    expect(error.message).toBe(`silent: seed 1 fails with nothing-sent, after 1 run\n  - 1 producer configured, no value sent\nreproduce: ksim run ${ref} --seed 1`);
  });

  test('a bad range is an error before any run', () => {
    expect(() => propertyOverSeeds('safe', { seeds: 0 })).toThrow(RangeError);
    expect(() => propertyOverSeeds('safe', { from: -1 })).toThrow(RangeError);
  });
});
