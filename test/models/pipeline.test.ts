// Consume-transform-produce end to end (models/transactions/pipeline.ts): two instances read topic
// input and write topic output in transactions that commit their offsets (AddOffsetsToTxn,
// TxnOffsetCommit, markers on __consumer_offsets); every input record has exactly one committed
// output, under a crash of an instance right after a commit, where committing the offsets outside
// the transaction (at_least_once) writes outputs twice; an instance paused past its session is
// fenced through the group (KIP-447), and the new owner of its partition waits for its undecided
// offsets (require_stable); and a few random-fault seeds of the preset.
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import { anomalyTypes, ops, records, run } from './harness.js';

const PIPELINE = {
  durationMs: 10000, brokers: 3, broker: { 'min.insync.replicas': 2 },
  topics: [{ name: 'input', partitions: 2 }, { name: 'output', partitions: 2 }],
  producers: [{ messagesPerSec: 100 }],
  pipelines: [{ count: 2, input: 'input', output: 'output' }],
  consumers: [{ subscribe: 'output', commit: 'after-process', 'auto.offset.reset': 'earliest', 'isolation.level': 'read_committed' }],
};
/**
 * t1 dies between a transaction's commit and its OffsetCommit under at_least_once (found by trying
 * crash times 3 ms apart on seed 1, as `ksim check` found the preset's at_least_once variant at seed 45
 * and shrank it to one such crash).
 */
const CRASH = { mode: 'script', steps: [{ atMs: 5024, fault: 'crash', node: 't1' }] };

describe('a pipeline on a healthy cluster', () => {
  const out = run({ ...PIPELINE, durationMs: 8000, faults: { mode: 'none' } });

  it('writes one committed output per input record, and commits the offsets through the markers', () => {
    expect(out.result.anomalies).toEqual([]);
    expect(out.result.liveness).toEqual([]);
    const transforms = ops(out, 'transform');
    expect(transforms.length).toBeGreaterThan(50);
    // Inputs on p0-p1, outputs on p2-p3; each transform commits the positions after its inputs.
    expect(transforms.every((t) => t.inputs.every((r) => r.partition < 2) && t.offsets.length > 0)).toBe(true);
    const inputs = out.final.replicas.filter((r) => r.isLeader && r.partition < 2).reduce((n, r) => n + r.highWatermark, 0);
    const outputs = new Set(out.final.replicas.filter((r) => r.isLeader && r.partition >= 2).flatMap((r) => r.records.map((x) => x.value)));
    expect(inputs).toBeGreaterThan(500);
    expect(transforms.flatMap((t) => t.outputs).filter((v) => outputs.has(v)).length).toBe(inputs);
    expect(records(out, 'txn-offset-commit').length).toBe(transforms.length);
    expect(records(out, 'txn-offsets-complete').every((r) => r['commit'] === true)).toBe(true);
    expect(records(out, 'txn-markers').some((r) => (r['partitions'] as number[]).includes(4))).toBe(true);
  });
});

describe('an instance crashing right after a commit', () => {
  it('exactly_once_v2: the restarted instance resumes from the offsets its transaction committed', () => {
    const out = run({ ...PIPELINE, faults: CRASH });
    expect(anomalyTypes(out).filter((t) => t.startsWith('pipeline-'))).toEqual([]);
    expect(out.result.settle.settled).toBe(true);
  });

  it('at_least_once: the outputs were committed but the offsets not, so they are written again (pipeline-duplicate)', () => {
    const out = run({ ...PIPELINE, pipelines: [{ ...PIPELINE.pipelines[0], 'processing.guarantee': 'at_least_once' }], faults: CRASH });
    expect(anomalyTypes(out)).toContain('pipeline-duplicate');
    expect(anomalyTypes(out)).not.toContain('pipeline-lost');
  });
});

describe('KIP-447: an instance paused past its session timeout in the middle of a transaction', () => {
  it('is fenced by the group when it resumes: its TxnOffsetCommit is refused and its transaction aborted', () => {
    // t2 takes t1's partition over from the committed offsets while t1 is paused; t1's transaction
    // outlives the pause (transaction.timeout.ms 60 s). Without the group's member and generation
    // check on TxnOffsetCommit the same run commits t1's outputs too: pipeline-duplicate 2.
    const out = run({
      ...PIPELINE, durationMs: 20000, consumers: [],
      pipelines: [{ ...PIPELINE.pipelines[0], 'session.timeout.ms': 6000, 'transaction.timeout.ms': 60000 }],
      faults: { mode: 'script', steps: [{ atMs: 6007, fault: 'pause', node: 't1' }, { atMs: 20007, fault: 'resume', node: 't1' }] },
    });
    const refused = records(out, 'txn-abortable-error', 't1').map((r) => r['error']);
    expect(refused).toContain('UNKNOWN_MEMBER_ID');
    expect(records(out, 'pipeline-txn', 't1').some((r) => r['outcome'] === 'aborted')).toBe(true);
    expect(anomalyTypes(out).filter((t) => t.startsWith('pipeline-'))).toEqual([]);
    expect(out.result.settle.settled).toBe(true);
  });
});

describe('KIP-447 require_stable: an instance paused between its TxnOffsetCommit and its commit', () => {
  it('holds the new owner of its partition back until the transaction is decided', () => {
    // Without require_stable the new owner t2 starts from the offsets committed before t1's
    // transaction, and both commit the same inputs: pipeline-duplicate 3 in this run.
    const out = run({
      ...PIPELINE, durationMs: 20000, consumers: [],
      pipelines: [{ ...PIPELINE.pipelines[0], 'session.timeout.ms': 6000, 'transaction.timeout.ms': 60000 }],
      faults: { mode: 'script', steps: [{ atMs: 6000, fault: 'pause', node: 't1' }, { atMs: 20000, fault: 'resume', node: 't1' }] },
    });
    expect(records(out, 'offset-fetch-unstable').length).toBeGreaterThan(10);
    expect(anomalyTypes(out).filter((t) => t.startsWith('pipeline-'))).toEqual([]);
    expect(out.result.settle.settled).toBe(true);
  });
});

describe('the exactly-once-pipeline preset under random faults', () => {
  const scenario = loadScenario('exactly-once-pipeline');
  for (const seed of [3, 7]) {
    it(`seed ${seed}: only duplicate-delivery`, () => {
      const out = runScenario({ ...scenario, durationMs: 15000 }, seed);
      expect(out.result.anomalies.map((a) => a.type).filter((t) => t !== 'duplicate-delivery')).toEqual([]);
      expect(out.result.liveness).toEqual([]);
    });
  }
});
