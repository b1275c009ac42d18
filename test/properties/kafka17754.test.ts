// Anomaly 12 (KAFKA-17754) on two known seeds of its preset, fast (the known-bug suite searches
// and shrinks it): with transactionEpochBump off a delayed EndTxn, held by a retransmitting
// partition and delivered after its retry was answered, ends a later transaction; with KIP-890 part
// 2 the same runs are clean, the late EndTxn fenced by its old epoch.
import { describe, expect, test } from 'vitest';
import type { KnownBug } from '../../properties/known-bugs.js';
import { KNOWN_BUGS, knownBugScenario } from '../../properties/known-bugs.js';
import { runScenario } from '../../scenario/run.js';

const bug = KNOWN_BUGS.find((b) => b.number === 12) as KnownBug;
const types = (fixed: boolean, seed: number) => runScenario(knownBugScenario(bug, fixed), seed).result.anomalies.map((a) => a.type);

describe('kafka17754-delayed-endtxn', () => {
  test('seed 8 reads a transaction its producer never asked to commit, seed 1 one it asked to abort', () => {
    expect(types(false, 8)).toContain('intermediate-read');
    expect(types(false, 1)).toContain('aborted-read');
  });

  test('with KIP-890 part 2 (transactionEpochBump) the same seeds show nothing', () => {
    expect(types(true, 8)).toEqual([]);
    expect(types(true, 1)).toEqual([]);
  });

  test('with partitions that drop what was in flight (partitionMode drop) the late EndTxn never comes', () => {
    const drop = { ...knownBugScenario(bug), network: { ...knownBugScenario(bug).network, partitionMode: 'drop' as const } };
    expect(runScenario(drop, 8).result.anomalies).toEqual([]);
    expect(runScenario(drop, 1).result.anomalies).toEqual([]);
  });
});
