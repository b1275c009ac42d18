// One unclean-election truncation, planted by hand, through every checker: each anomaly kind it
// really is counts its own cases once, and nothing spills into the consumer-side checkers when the
// consumer detects the truncation (KIP-320) and the history records its reset (docs/anomalies.md,
// "One truncation").
import { describe, expect, it } from 'vitest';
import type { FinalState, Value } from '../../models/history/history.js';
import { checkAll } from '../../properties/index.js';
import type { HistoryBuilder } from './builders.js';
import { history, replica, v } from './builders.js';

/** p0's first ten values, acknowledged at 0-9 by b1 (epoch 1); the ones at 5-9 are lost. */
const OLD = Array.from({ length: 10 }, (_, i) => v(i));
/** p0's next five values, acknowledged at 5-9 by b2 (epoch 2) after the unclean election. */
const NEW = Array.from({ length: 5 }, (_, i) => v(10 + i));
const FINAL_LOG = [...OLD.slice(0, 5), ...NEW];

/** b2 leads epoch 2 with the truncated log; b1 truncated and refetched; every replica agrees. */
const final: FinalState = {
  partitions: [{ partition: 0, leader: 'b2', leaderEpoch: 2, isr: ['b1', 'b2', 'b3'], replicas: ['b1', 'b2', 'b3'] }],
  replicas: ['b1', 'b2', 'b3'].map((node) => replica(node, FINAL_LOG, { isLeader: node === 'b2', leaderEpoch: 2 })),
};

const pairs = (values: readonly Value[], from: number) => values.map((value, i) => [from + i, value] as const);

/** Up to the election: k1 (g1, generation 1) read, processed and committed offsets 0-7 of b1's log. */
function beforeElection(): HistoryBuilder {
  const b = history();
  OLD.forEach((value, offset) => b.send('p0', value, offset));
  b.hw('b1', pairs(OLD, 0), 0, 1);
  b.assign('k1', [0], 'g1', 1).poll('k1', pairs(OLD.slice(0, 8), 0));
  OLD.slice(0, 8).forEach((value, offset) => b.process('k1', offset, value));
  b.commit('k1', 8);
  // The unclean election: b2, which had only offsets 0-4, leads epoch 2; p0's next sends land at 5-9.
  NEW.forEach((value, i) => b.send('p0', value, 5 + i));
  return b.hw('b2', pairs(NEW, 5), 0, 2);
}

const counts = (ops: ReturnType<HistoryBuilder['build']>) =>
  Object.fromEntries(checkAll(ops, final, { consumers: true }).map((a) => [a.type, a.count]));

describe('one unclean-election truncation', () => {
  it('with a consumer that detects it (KIP-320): the loss once per kind, nothing on the consumer side', () => {
    const b = beforeElection().reset('k1', 0, 8, 5, 'truncation').poll('k1', pairs(NEW, 5));
    NEW.forEach((value, i) => b.process('k1', 5 + i, value));
    expect(counts(b.commit('k1', 10).build())).toEqual({
      'lost-write': 5, // p0:5-9 were acknowledged and are gone
      'committed-record-lost': 5, // the same records had passed b1's high watermark
      'inconsistent-offsets': 5, // offsets 5-9: acknowledged (and 5-7 read) as p0:5-9, then acknowledged as p0:10-14
      'nonmonotonic-send': 1, // p0 sent p0:10 after p0:9, and it landed below it: one reordering
    });
  });

  it('when the run ends before the consumer reads past its reset: still no lost delivery, skip or step back', () => {
    const ops = beforeElection().reset('k1', 0, 8, 5, 'truncation').build();
    const found = counts(ops);
    for (const type of ['lost-delivery', 'poll-skip', 'nonmonotonic-poll', 'duplicate-delivery']) expect(found[type], type).toBeUndefined();
  });

  it('with a consumer that does not detect it (before KIP-320): it resumes at its old position and loses deliveries', () => {
    // k1 fetches on at offset 8 of b2's log, never reading p0:10-12 at 5-7, then commits past them.
    const b = beforeElection().poll('k1', pairs(NEW.slice(3), 8));
    NEW.slice(3).forEach((value, i) => b.process('k1', 8 + i, value));
    const found = counts(b.commit('k1', 10).build());
    expect(found['lost-delivery']).toBe(3);
    expect(found['poll-skip']).toBeUndefined(); // 7 → 8 skips no offset: the skip is in values, not offsets
    expect(found['inconsistent-offsets']).toBe(5);
  });
});
