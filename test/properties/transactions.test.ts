// The transaction checkers on planted histories: intermediate-read (Jepsen's G1b), aborted-read and
// lost-write of transactional records (Jepsen's G1a and lost write), and the final log as
// read_committed reads it. Each must catch its plant and pass the clean history beside it.
import { describe, expect, it } from 'vitest';
import type { FinalState, HistoryOp, Value } from '../../models/history/history.js';
import { buildFinalLogs } from '../../properties/final-log.js';
import { history, runChecker, settled, v } from './builders.js';

const txnEnd = (process: string, values: readonly Value[], commit: boolean, t: number): HistoryOp =>
  ({ kind: 'txn-end', t, process, transactionalId: 'tx', commit, values });
const readCommitted = (process: string, t = 1): HistoryOp =>
  ({ kind: 'assign', t, process, group: 'g1', generation: 1, partitions: [0], readCommitted: true });

/** A settled partition whose logs hide `hidden` offsets as a read_committed reader would (aborted). */
function withAborted(final: FinalState, aborted: readonly number[], control: readonly number[] = []): FinalState {
  return { ...final, replicas: final.replicas.map((r) => ({ ...r, txn: { control, aborted, open: [] } })) };
}

describe('intermediate-read', () => {
  it('reports a read_committed poll of a record before its producer asked to commit it', () => {
    const ops = [
      readCommitted('k1'),
      ...history().invoke('p1', v(1, 1), 0, 10).poll('k1', [[0, v(1, 1)]]).build(),
      txnEnd('p1', [v(1, 1)], true, 100),
    ];
    const report = runChecker('intermediate-read', ops, settled([v(1, 1)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ value: v(1, 1), producer: 'p1', commitAtUs: 100, firstRead: { process: 'k1', offset: 0 } });
  });

  it('reports a read_committed poll of a transaction never committed by its producer', () => {
    const ops = [readCommitted('k1'), ...history().invoke('p1', v(1, 1), 0, 10).info('p1', v(1, 1)).poll('k1', [[0, v(1, 1)]]).build(), txnEnd('p1', [v(2, 1)], true, 5)];
    expect(runChecker('intermediate-read', ops, settled([v(1, 1)]))?.count).toBe(1);
  });

  it('passes a poll after the commit was asked for, and any poll of a read_uncommitted consumer', () => {
    const after = [readCommitted('k1'), ...history().invoke('p1', v(1, 1), 0, 10).build(), txnEnd('p1', [v(1, 1)], true, 20),
      ...history().poll('k1', [[0, v(1, 1)]]).build().map((op) => ({ ...op, t: 30 }))];
    expect(runChecker('intermediate-read', after, settled([v(1, 1)]))).toBeNull();
    const uncommitted = [...history().invoke('p1', v(1, 1), 0, 10).poll('k1', [[0, v(1, 1)]]).build(), txnEnd('p1', [v(1, 1)], true, 100)];
    expect(runChecker('intermediate-read', uncommitted, settled([v(1, 1)]))).toBeNull();
  });

  it('orders by the history, not by the clocks: a skewed consumer clock neither hides nor invents a case', () => {
    const early = [readCommitted('k1'), ...history().invoke('p1', v(1, 1), 0, 10).build(), txnEnd('p1', [v(1, 1)], true, 500),
      ...history().poll('k1', [[0, v(1, 1)]]).build().map((op) => ({ ...op, t: -2_000 }))];
    expect(runChecker('intermediate-read', early, settled([v(1, 1)]))).toBeNull();
    const late = [readCommitted('k1'), ...history().invoke('p1', v(1, 1), 0, 10).build(),
      ...history().poll('k1', [[0, v(1, 1)]]).build().map((op) => ({ ...op, t: 9_000 })), txnEnd('p1', [v(1, 1)], true, 500)];
    expect(runChecker('intermediate-read', late, settled([v(1, 1)]))?.count).toBe(1);
  });

  it('leaves a read of an aborted transaction to aborted-read', () => {
    const ops = [
      readCommitted('k1'),
      ...history().invoke('p1', v(1, 1), 0, 10).poll('k1', [[0, v(1, 1)]]).build(),
      txnEnd('p1', [v(1, 1)], false, 100),
      ...history().fail('p1', v(1, 1), 0, 'TRANSACTION_ABORTED').build().map((op) => ({ ...op, t: 110 })),
    ];
    expect(runChecker('intermediate-read', ops, settled([v(1, 1)]))).toBeNull();
    expect(runChecker('aborted-read', ops, withAborted(settled([v(1, 1)]), [0]))?.count).toBe(1);
  });
});

describe('transactional records in the final log', () => {
  it('leaves out control records and aborted or open transactions', () => {
    const final = settled([v(1), -1, v(2), v(3), -1]);
    const logs = buildFinalLogs({ ...final, replicas: final.replicas.map((r) => ({ ...r, txn: { control: [1, 4], aborted: [2], open: [3] } })) });
    expect(logs.get(0)!.records.map((r) => r.value)).toEqual([v(1)]);
  });

  it('lost-write: a committed transaction whose records a later abort marker hid is lost', () => {
    const ops = [...history().invoke('p1', v(1, 1)).build(), txnEnd('p1', [v(1, 1)], true, 15), ...history().ok('p1', v(1, 1), 0, 0, 20).build()];
    expect(runChecker('lost-write', ops, withAborted(settled([v(1, 1), -1]), [0], [1]))?.count).toBe(1);
    expect(runChecker('lost-write', ops, withAborted(settled([v(1, 1), -1]), [], [1]))).toBeNull();
  });

  it('committed-record-lost: records of an aborted transaction that passed the HW are not lost; a committed one is', () => {
    const base = history().invoke('p1', v(1, 1)).invoke('p1', v(2, 1)).hw('b1', [[0, v(1, 1)], [1, v(2, 1)], [2, -1]]).build();
    const aborted = [...base, txnEnd('p1', [v(1, 1), v(2, 1)], false, 50), ...history().fail('p1', v(1, 1)).fail('p1', v(2, 1)).build().map((op) => ({ ...op, t: 60 }))];
    const final = withAborted(settled([v(1, 1), v(2, 1), -1]), [0, 1], [2]);
    expect(runChecker('committed-record-lost', aborted, final)).toBeNull();
    const committed = [...base, txnEnd('p1', [v(1, 1), v(2, 1)], true, 50), ...history().ok('p1', v(1, 1), 0, 0, 60).ok('p1', v(2, 1), 1, 0, 60).build()];
    expect(runChecker('committed-record-lost', committed, final)?.count).toBe(2);
  });

  it('committed-record-lost: records of a transaction never ended by its producer, hidden as aborted at the end, are not lost', () => {
    // The producer was fenced before its EndTxn (no txn-end): only the final replica says the records were aborted.
    const ops = [...history().invoke('p1', v(1, 1)).hw('b1', [[0, v(1, 1)], [1, -1]]).info('p1', v(1, 1), 0, 'PRODUCER_FENCED').build()];
    expect(runChecker('committed-record-lost', ops, withAborted(settled([v(1, 1), -1]), [0], [1]))).toBeNull();
    expect(runChecker('committed-record-lost', ops, withAborted(settled([v(2, 1), -1]), [0], [1]))?.count).toBe(1);
  });
});
