// Sharper tests of aborted-read and intermediate-read, written for the mutants their planted-anomaly
// tests (aborted-read.test.ts, transactions.test.ts) leave alive (docs/mutation.md): whole reports,
// who is judged, which read and which failure a case names.
import { describe, expect, it } from 'vitest';
import type { HistoryOp, Value } from '../../models/history/history.js';
import type { ReplicaState } from '../../models/history/history.js';
import { finalState, history, replica, runChecker, settled, v } from './builders.js';

const txnEnd = (process: string, values: readonly Value[], commit: boolean, t: number): HistoryOp =>
  ({ kind: 'txn-end', t, process, transactionalId: 'tx', commit, values });
const assign = (process: string, readCommitted: boolean | undefined, t = 1): HistoryOp =>
  ({ kind: 'assign', t, process, group: 'g1', generation: 1, partitions: [0], ...(readCommitted === undefined ? {} : { readCommitted }) });

describe('intermediate-read: the whole report', () => {
  it('says who read what where and when, and when (or that never) the producer asked to commit', () => {
    const ops = [
      assign('k1', true),
      ...history().invoke('p1', v(1, 1), 0, 10).invoke('p1', v(2, 1), 0, 20).poll('k1', [[0, v(1, 1)], [1, v(2, 1)]]).build(),
      txnEnd('p1', [v(1, 1)], true, 100),
    ];
    expect(runChecker('intermediate-read', ops, settled([v(1, 1), v(2, 1)]))).toEqual({
      type: 'intermediate-read',
      count: 2,
      examples: [
        {
          summary: 'k1 (read_committed) polled p1:1 at offset 0 of partition 0 (30µs), before p1 asked to commit its transaction (100µs)',
          value: v(1, 1), label: 'p1:1', producer: 'p1', commitAtUs: 100, firstRead: { process: 'k1', partition: 0, offset: 0, atUs: 30 },
        },
        {
          summary: 'k1 (read_committed) polled p1:2 at offset 1 of partition 0 (30µs), but p1 never asked to commit its transaction',
          value: v(2, 1), label: 'p1:2', producer: 'p1', commitAtUs: null, firstRead: { process: 'k1', partition: 0, offset: 1, atUs: 30 },
        },
      ],
    });
  });

  it('names the first read of a value only, and counts the value once', () => {
    const ops = [
      assign('k1', true),
      ...history().invoke('p1', v(1, 1), 0, 10).poll('k1', [[0, v(1, 1)]]).poll('k1', [[0, v(1, 1)]]).build(),
      txnEnd('p1', [v(1, 1)], true, 100),
    ];
    const report = runChecker('intermediate-read', ops, settled([v(1, 1)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]?.['firstRead']).toEqual({ process: 'k1', partition: 0, offset: 0, atUs: 20 });
  });

  it('judges only consumers assigned as read_committed, not those that said false or nothing', () => {
    const polls = history().invoke('p1', v(1, 1), 0, 10).poll('k2', [[0, v(1, 1)]]).poll('k3', [[0, v(1, 1)]]).poll('k1', [[0, v(1, 1)]]).build();
    const ops = [assign('k1', true), assign('k2', false), assign('k3', undefined), ...polls, txnEnd('p1', [v(1, 1)], true, 100)];
    const report = runChecker('intermediate-read', ops, settled([v(1, 1)]));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]?.['firstRead']).toMatchObject({ process: 'k1' });
    expect(runChecker('intermediate-read', ops.filter((op) => op.process !== 'k1'), settled([v(1, 1)]))).toBeNull();
  });

  it('judges only values of transactional producers', () => {
    // p2 never ended a transaction: its value is not transactional, whenever it is read.
    const ops = [
      assign('k1', true),
      ...history().invoke('p2', v(1, 2), 0, 10).invoke('p1', v(1, 1), 0, 15).poll('k1', [[0, v(1, 2)]]).build(),
      txnEnd('p1', [v(1, 1)], true, 100),
    ];
    expect(runChecker('intermediate-read', ops, settled([v(1, 2)]))).toBeNull();
  });

  it('takes an EndTxn that aborts for no commit: a later read of its records was never asked to be committed', () => {
    // The abort's outcome reached no one (send-info): this read is intermediate-read's, not aborted-read's.
    const ops = [
      assign('k1', true),
      ...history().invoke('p1', v(1, 1), 0, 10).info('p1', v(1, 1)).build(),
      txnEnd('p1', [v(1, 1)], false, 25),
      ...history().poll('k1', [[0, v(1, 1)]]).build().map((op) => ({ ...op, t: 30 })),
    ];
    expect(runChecker('intermediate-read', ops, settled([v(1, 1)]))?.examples[0]).toMatchObject({ value: v(1, 1), commitAtUs: null });
  });

  it('reads each poll\'s own records only, not those of the commit recorded after it', () => {
    // k1's poll returned nothing; the HW advance after it carries p1's record, not yet committed.
    const ops = [
      assign('k1', true),
      ...history().invoke('p1', v(1, 1), 0, 10).build(),
      { kind: 'poll', t: 20, process: 'k1', records: [] } as HistoryOp,
      ...history().hw('b1', [[0, v(1, 1)]]).build().map((op) => ({ ...op, t: 25 })),
      txnEnd('p1', [v(1, 1)], true, 30),
    ];
    expect(runChecker('intermediate-read', ops, settled([v(1, 1)]))).toBeNull();
  });

  it('takes every value an EndTxn commits', () => {
    const ops = [
      assign('k1', true),
      ...history().invoke('p1', v(1, 1), 0, 10).invoke('p1', v(2, 1), 0, 20).build(),
      txnEnd('p1', [v(1, 1), v(2, 1)], true, 25),
      ...history().poll('k1', [[0, v(1, 1)], [1, v(2, 1)]]).build().map((op) => ({ ...op, t: 30 })),
    ];
    expect(runChecker('intermediate-read', ops, settled([v(1, 1), v(2, 1)]))).toBeNull();
  });
});

describe('aborted-read: the whole report', () => {
  it('names the failure, the first read and how many reads there were', () => {
    const ops = history()
      .invoke('p0', v(1)).fail('p0', v(1), 0, 'NOT_ENOUGH_REPLICAS').fail('p0', v(1), 0, 'REQUEST_TIMED_OUT')
      .invoke('p0', v(2)).ok('p0', v(2), 1)
      .poll('k1', [[0, v(1)], [1, v(2)]]).poll('k2', [[0, v(1)]])
      .build();
    expect(runChecker('aborted-read', ops, settled([v(1), v(2)]))).toEqual({
      type: 'aborted-read',
      count: 1,
      examples: [{
        summary: 'k1 polled p0:1 at offset 0 of partition 0 (60µs), but its send failed with NOT_ENOUGH_REPLICAS (p0 at 20µs)',
        value: v(1), label: 'p0:1', producer: 'p0', error: 'NOT_ENOUGH_REPLICAS', failedAtUs: 20,
        firstRead: { process: 'k1', partition: 0, offset: 0, atUs: 60 },
        reads: 2,
      }],
    });
  });
});

describe('committed-record-lost: which transactional records it leaves alone', () => {
  const none = { control: [], aborted: [], open: [] };

  it('a transaction whose commit was not acknowledged, even when the final replicas know nothing of it', () => {
    // p1 asked to commit v(1,1), the answer never came; the record passed the HW and then vanished with a truncation.
    const ops = [...history().invoke('p1', v(1, 1)).hw('b1', [[0, v(1, 1)]]).info('p1', v(1, 1)).build(), txnEnd('p1', [v(1, 1)], true, 100)];
    expect(runChecker('committed-record-lost', ops, settled([]))).toBeNull();
    // Acknowledged, the same loss is one.
    const acked = [...history().invoke('p1', v(1, 1)).hw('b1', [[0, v(1, 1)]]).build(), txnEnd('p1', [v(1, 1)], true, 100),
      ...history().ok('p1', v(1, 1), 0, 0, 110).build()];
    expect(runChecker('committed-record-lost', acked, settled([]))?.count).toBe(1);
  });

  it('only the transactions\' own values: another value of the run is still judged', () => {
    const ops = [...history().invoke('p1', v(1, 1)).invoke('p0', v(1)).info('p0', v(1)).hw('b1', [[0, v(1, 1)], [1, v(1)]]).info('p1', v(1, 1)).build(),
      txnEnd('p1', [v(1, 1)], true, 100)];
    expect(runChecker('committed-record-lost', ops, settled([]))?.examples.map((e) => e['value'])).toEqual([v(1)]);
  });

  it('hides what the final log\'s own replica holds as open, not what another replica says', () => {
    // b1 leads partition 0 and holds v(1,1) in an open transaction; b2 (listed first) and b1's replica of partition 1 have no such state.
    const state = { partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1', 'b2'], replicas: ['b1', 'b2'] };
    const open: ReplicaState = { ...replica('b1', [v(1, 1)], { isLeader: true }), txn: { ...none, open: [0] } };
    const final = {
      partitions: [state, { ...state, partition: 1 }],
      replicas: [replica('b1', [], { partition: 1, isLeader: true }), { ...replica('b2', [v(1, 1)]), txn: none }, open],
    };
    const ops = history().invoke('p1', v(1, 1)).hw('b1', [[0, v(1, 1)]]).info('p1', v(1, 1), 0, 'PRODUCER_FENCED').build();
    expect(runChecker('committed-record-lost', ops, final)).toBeNull();
  });

  it('hides only the records of open or aborted transactions: a record above the HW of a transactional log is lost', () => {
    const b1: ReplicaState = { ...replica('b1', [v(1), v(2)], { isLeader: true, highWatermark: 1 }), txn: none };
    const ops = history().invoke('p0', v(2)).info('p0', v(2)).hw('b2', [[1, v(2)]]).build();
    const final = finalState([{ state: { partition: 0, leader: 'b1', leaderEpoch: 2, isr: ['b1'], replicas: ['b1'] }, replicas: [b1] }]);
    expect(runChecker('committed-record-lost', ops, final)?.examples.map((e) => e['value'])).toEqual([v(2)]);
  });

  it('judges value 0 like any other (the first value of producer 0)', () => {
    expect(runChecker('committed-record-lost', history().hw('b1', [[0, v(0)]]).build(), settled([]))?.examples.map((e) => e['value'])).toEqual([0]);
  });
});

