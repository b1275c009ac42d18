// Generated histories: clean runs show no anomaly; planting one loss shows exactly that loss.
import { describe, expect } from 'vitest';
import { fc, test } from '@fast-check/vitest';
import { checkAll, checkLostWrite, makeCheckInput } from '../../properties/index.js';
import type { CleanRunSpec } from './builders.js';
import { cleanRun, withoutValue } from './builders.js';

const cleanSpec: fc.Arbitrary<CleanRunSpec> = fc
  .record({
    partitions: fc.integer({ min: 1, max: 3 }),
    sends: fc.array(fc.record({ producer: fc.integer({ min: 0, max: 2 }), partition: fc.nat() }), { minLength: 1, maxLength: 40 }),
    pollBatch: fc.integer({ min: 1, max: 6 }),
  })
  .map((s) => ({ ...s, sends: s.sends.map((x) => ({ ...x, partition: x.partition % s.partitions })) }))
  .chain((s) => {
    const indexes = s.sends.map((_, i) => i);
    return fc.shuffledSubarray(indexes, { minLength: indexes.length, maxLength: indexes.length }).map((ackOrder) => ({ ...s, ackOrder }));
  });

describe('generated histories', () => {
  test.prop([cleanSpec])('a clean run shows no anomaly', (spec) => {
    const run = cleanRun(spec);
    expect(checkAll(run.history, run.final, { consumers: true })).toEqual([]);
  });

  test.prop([cleanSpec, fc.nat()])('removing one acked value from the final log yields exactly one lost-write', (spec, pick) => {
    const run = cleanRun(spec);
    const victim = run.acked[pick % run.acked.length];
    if (victim === undefined) throw new Error('no acked value');
    const final = withoutValue(run.final, victim.partition, victim.value);
    const report = checkLostWrite(makeCheckInput(run.history, final, { consumers: true }));
    expect(report?.count).toBe(1);
    expect(report?.examples[0]).toMatchObject({ value: victim.value, partition: victim.partition, ackedOffset: victim.offset });
  });

  test.prop([cleanSpec, fc.array(fc.nat())])('values whose outcome is unknown are never lost', (spec, picks) => {
    const run = cleanRun(spec);
    const unknown = new Set(picks.map((p) => run.acked[p % run.acked.length]?.value));
    // Turn their acknowledgements into unknown outcomes, and lose them all.
    const history = run.history.map((op) =>
      op.kind === 'send-ok' && unknown.has(op.value) ? { kind: 'send-info' as const, t: op.t, process: op.process, value: op.value, partition: op.partition, error: 'REQUEST_TIMED_OUT' } : op,
    );
    let final = run.final;
    for (const a of run.acked) if (unknown.has(a.value)) final = withoutValue(final, a.partition, a.value);
    expect(checkLostWrite(makeCheckInput(history, final, { consumers: true }))).toBeNull();
  });
});
