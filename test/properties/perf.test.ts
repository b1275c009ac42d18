// Every checker must stay linear (or n log n): a million-op history in well under two seconds each.
import { describe, expect, it } from 'vitest';
import type { HistoryOp, Value } from '../../models/history/history.js';
import { CHECKERS, makeCheckInput } from '../../properties/index.js';
import { finalState, settledPartition, v } from './builders.js';

const RECORDS = 200_000; // × 5 ops each (invoke, ok, hw-advance, poll, process or commit) = 1,000,000 ops
const BUDGET_MS = 2_000;

function largeRun(): { history: HistoryOp[]; log: Value[] } {
  const history: HistoryOp[] = [];
  const log: Value[] = [];
  for (let i = 0; i < RECORDS; i++) {
    const value = v(i, i % 4);
    const partition = 0;
    const t = i * 10;
    log.push(value);
    history.push({ kind: 'send-invoke', t, process: `p${i % 4}`, value, partition });
    history.push({ kind: 'send-ok', t: t + 1, process: `p${i % 4}`, value, partition, offset: i });
    history.push({ kind: 'hw-advance', t: t + 2, process: 'b1', partition, leaderEpoch: 1, records: [{ offset: i, value }] });
    // Every 1000th poll jumps back 500 offsets: plenty of cases for the collectors to count.
    const offset = i % 1000 === 999 ? i - 500 : i;
    history.push({ kind: 'poll', t: t + 3, process: 'k1', records: [{ partition, offset, value: log[offset] as Value }] });
    // …and instead of processing that record, k1 commits past it: a lost delivery each time.
    if (offset === i) history.push({ kind: 'process', t: t + 4, process: 'k1', partition, offset, value });
    else history.push({ kind: 'commit-ok', t: t + 4, process: 'k1', group: 'g1', generation: 1, offsets: [{ partition, offset: i + 1 }] });
  }
  return { history, log };
}

describe('performance', () => {
  it(`runs each checker over a ${RECORDS * 5}-op history within ${BUDGET_MS} ms`, () => {
    const { history, log } = largeRun();
    expect(history).toHaveLength(1_000_000);
    // Lose every 10th record from the final log, so the loss checkers have work too.
    const final = finalState([settledPartition(log.filter((_, i) => i % 10 !== 5))]);
    const started = performance.now();
    const input = makeCheckInput(history, final, { consumers: true });
    const timings: string[] = [`final logs ${(performance.now() - started).toFixed(0)} ms`];
    for (const { type, check } of CHECKERS) {
      const t0 = performance.now();
      const report = check(input);
      const ms = performance.now() - t0;
      timings.push(`${type} ${ms.toFixed(0)} ms (${report?.count ?? 0} cases)`);
      expect(ms, type).toBeLessThan(BUDGET_MS);
    }
    console.log(timings.join('\n'));
  });
});
