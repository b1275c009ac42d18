// pipeline-duplicate and pipeline-lost (properties/checkers/pipeline.ts): planted histories each
// must catch, and clean ones each must pass. Partition 0 is the input topic, partition 1 the output.
import { describe, expect, it } from 'vitest';
import type { HistoryOp, Value } from '../../models/history/history.js';
import { finalState, runChecker, settledPartition, v } from './builders.js';

const IN = [v(0), v(1), v(2), v(3)];
const out = (n: number): Value => v(n, 3);

/** A transform of pipeline instance `process`: input offsets → outputs, committing `offsets` (next offset of partition 0). */
function transform(process: string, inputOffsets: readonly number[], outputs: readonly Value[], next: number | null, t: number): HistoryOp {
  return {
    kind: 'transform', t, process, group: 'pipeline', transactionalId: `pipeline-${process.slice(1)}`,
    inputs: inputOffsets.map((offset) => ({ partition: 0, offset, value: IN[offset]! })), outputs,
    offsets: next === null ? [] : [{ partition: 0, offset: next }],
  };
}

/** Input log on partition 0, committed output log on partition 1. */
const logs = (output: readonly Value[]) => finalState([settledPartition(IN, 0), settledPartition(output, 1)]);

describe('pipeline-duplicate', () => {
  it('reports an input record with two committed outputs (a zombie transaction committed beside its successor)', () => {
    const ops = [transform('t1', [0, 1], [out(0), out(1)], 2, 10), transform('t2', [1, 2], [out(2), out(3)], 3, 20)];
    const report = runChecker('pipeline-duplicate', ops, logs([out(0), out(1), out(2), out(3)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ value: IN[1], group: 'pipeline', inputPartition: 0, inputOffset: 1, copies: 2 });
    expect(report?.examples[0]?.summary).toContain('t2');
  });

  it('passes when the retried transaction replaced an aborted one (its outputs are not committed)', () => {
    const ops = [transform('t1', [0, 1], [out(0), out(1)], 2, 10), transform('t1', [0, 1], [out(2), out(3)], 2, 20)];
    expect(runChecker('pipeline-duplicate', ops, logs([out(2), out(3)]))).toBeNull();
  });

  it('leaves one output value at two offsets to duplicate', () => {
    const ops = [transform('t1', [0], [out(0)], 1, 10)];
    expect(runChecker('pipeline-duplicate', ops, logs([out(0), out(0)]))).toBeNull();
  });

  it('judges nothing without transform operations', () => {
    expect(runChecker('pipeline-duplicate', [], logs([]))).toBeNull();
  });
});

describe('pipeline-lost', () => {
  it('reports input records below a committed offset whose outputs are not committed', () => {
    // t1's first transaction aborted (its outputs are not in the log), yet a later one committed offset 4.
    const ops = [transform('t1', [0, 1], [out(0), out(1)], 2, 10), transform('t1', [2, 3], [out(2), out(3)], 4, 20)];
    const report = runChecker('pipeline-lost', ops, logs([out(2), out(3)]));
    expect(report?.count).toBe(2);
    expect(report?.examples.map((e) => e['offset'])).toEqual([0, 1]);
    expect(report?.examples[0]).toMatchObject({ group: 'pipeline', partition: 0, committedOffset: 4, committedBy: 't1' });
  });

  it('counts an OffsetCommit of the group (offsets committed outside the transaction) as committed', () => {
    const ops: HistoryOp[] = [
      transform('t1', [0, 1], [out(0), out(1)], null, 10),
      { kind: 'commit-ok', t: 20, process: 't1', group: 'pipeline', generation: 1, offsets: [{ partition: 0, offset: 2 }] },
    ];
    expect(runChecker('pipeline-lost', ops, logs([]))?.count).toBe(2);
    expect(runChecker('pipeline-lost', ops, logs([out(0), out(1)]))).toBeNull();
  });

  it('passes when every input record below the committed offsets has its output, and judges none above them', () => {
    const ops = [transform('t1', [0, 1], [out(0), out(1)], 2, 10), transform('t2', [2], [out(2)], 3, 20)];
    expect(runChecker('pipeline-lost', ops, logs([out(0), out(1), out(2)]))).toBeNull();
  });

  it('ignores the offsets of a transaction that did not commit', () => {
    const ops = [transform('t1', [0, 1], [out(0), out(1)], 2, 10)];
    expect(runChecker('pipeline-lost', ops, logs([]))).toBeNull();
  });
});
