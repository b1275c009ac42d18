// Sharper tests of aborted-read and intermediate-read, written for the mutants their planted-anomaly
// tests (aborted-read.test.ts, transactions.test.ts) leave alive (docs/mutation.md): whole reports,
// who is judged, which read and which failure a case names.
import { describe, expect, it } from 'vitest';
import type { HistoryOp, Value } from '../../models/history/history.js';
import { history, runChecker, settled, v } from './builders.js';

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
