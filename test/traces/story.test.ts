// The story of a lost write as the HTML view draws it (traces/story.ts), read from the trace alone:
// the acknowledged offsets a new leader lacks are exactly the lost-write checker's, which reads the
// final logs; each loss names the election that made that leader and the truncations that cut them.
import { describe, expect, it } from 'vitest';
import { momentsOf } from '../../cli/report/series.js';
import { checkAll } from '../../properties/check.js';
import { loadScenario } from '../../scenario/load.js';
import { runScenario } from '../../scenario/run.js';
import type { TraceRecord } from '../../sim/trace-record.js';
import { lossSentence, lostAcks, type Loss } from '../../traces/story.js';
import { inTimeOrder } from '../../traces/time-order.js';

function offsetsOf(losses: readonly Loss[]): Set<string> {
  const set = new Set<string>();
  for (const loss of losses) for (let o = loss.from; o < loss.to; o++) set.add(`${loss.partition}:${o}`);
  return set;
}

function compare(preset: string, seed: number): Loss[] {
  return compareRun(preset, seed).losses;
}

function compareRun(preset: string, seed: number): { losses: Loss[]; trace: readonly TraceRecord[] } {
  const output = runScenario(loadScenario(preset), seed, { recordTrace: true });
  const lostWrite = checkAll(output.history, output.final, { consumers: true, maxExamples: 1e7 }).find((r) => r.type === 'lost-write');
  const judged = new Set((lostWrite?.examples ?? []).map((c) => `${String(c['partition'])}:${String(c['ackedOffset'])}`));
  const losses = lostAcks(inTimeOrder(output.trace ?? []));
  expect(judged.size).toBeGreaterThan(0);
  expect(offsetsOf(losses)).toEqual(judged);
  return { losses, trace: inTimeOrder(output.trace ?? []) };
}

describe('lostAcks', () => {
  it('finds the offsets the checker judges lost, after an unclean election, with the truncation that cut them', () => {
    const { losses, trace } = compareRun('jepsen-unclean-election', 12);
    // The report charts draw the same story as one line per instant.
    expect(momentsOf(trace, 3)[0]).toEqual({ at: 38.056585, label: 'unclean election p0 p1 p2 → 369 acked offsets lost' });
    const first = losses.find((l) => l.partition === 0)!;
    expect(first).toMatchObject({ from: 23, to: 148, offsets: 125, leader: 'b1', leaderLogEnd: 23, election: { how: 'unclean', node: 'c1' } });
    expect(first.truncations).toEqual([expect.objectContaining({ node: 'b3', from: 148, to: 23 })]);
    expect(lossSentence(first)).toMatch(/^p0: 125 acknowledged offsets 23–147 .* not in the log of b1, leader in epoch 4 .*unclean election by c1.*b3 truncated 148→23/);
  });

  it('finds them after a clean election of a follower that lagged (acks=1)', () => {
    const losses = compare('acks1-leader-crash', 3);
    expect(losses[0]).toMatchObject({ election: { how: 'clean' } });
  });

  it('finds none when the new leader has every acknowledged offset, and one when it lacks them', () => {
    const acks: TraceRecord[] = [
      { t: 10, kind: 'send-ok', node: 'p1', partition: 0, offset: 0, count: 5, first: 1 },
      { t: 20, kind: 'send-ok', node: 'p1', partition: 0, offset: 5, count: 5, first: 6 },
      { t: 30, kind: 'election', node: 'c1', partition: 0, leader: 'b2', epoch: 2, how: 'unclean', isr: ['b2'] },
    ];
    expect(lostAcks([...acks, { t: 31, kind: 'leader', node: 'b2', partition: 0, epoch: 2, leo: 10, hw: 0 }])).toEqual([]);
    const [loss, more] = lostAcks([...acks, { t: 31, kind: 'leader', node: 'b2', partition: 0, epoch: 2, leo: 7, hw: 0 },
      { t: 40, kind: 'truncate', node: 'b1', partition: 0, from: 10, to: 7 }]);
    expect(more).toBeUndefined();
    expect(loss).toMatchObject({ partition: 0, from: 7, to: 10, offsets: 3, ackStart: 20, ackEnd: 20, leader: 'b2', election: { t: 30, how: 'unclean' }, truncations: [{ t: 40, node: 'b1', from: 10, to: 7 }] });
  });
});
