// The explore summary paragraph: each varied setting's change in loss, availability, refusals,
// latency, and in duplicates where the setting changes them (issue #20: retry-duplicates).
import { describe, expect, it } from 'vitest';
import type { ExploreRow } from '../../cli/explore/aggregate.js';
import { readingOf } from '../../cli/explore/reading.js';
import { parseVary } from '../../scenario/vary.js';

function row(idempotence: boolean, duplicates: number): ExploreRow {
  return {
    label: `producers.enable.idempotence=${idempotence}`, settings: { 'producers.enable.idempotence': idempotence },
    runs: 10, failingRuns: duplicates > 0 ? 10 : 0, anomalyRuns: duplicates > 0 ? { duplicate: 10 } : {},
    lostWrites: 0, duplicates, sent: 1000, acked: 1000, failed: 0, unavailableMs: 0, durationMs: 10_000,
    unavailableShare: 0, refusedShare: 0, ackLatencyMs: { p50: 5, p99: 9 }, fsyncsPerAck: null,
    settle: { livenessRuns: {}, quiescentRuns: 10, meanSettleMs: 1000, maxSettleMs: 1000 },
  };
}

describe('readingOf', () => {
  const vary = parseVary('producers.enable.idempotence=false,true');

  it('names the change in records stored twice when a run stored one twice', () => {
    const text = readingOf([row(false, 444), row(true, 0)], [vary]).replace(/\s+/g, ' ');
    // The most changed measure comes first; the unchanged ones are named as such.
    expect(text).toContain('from false to true: records stored twice 44.4 → 0.0 per run, runs showing duplicate 100.0% → 0.0%;');
    expect(text).toContain('; little or no change in runs losing acknowledged writes, acknowledged records lost, unavailable, sends refused, ack p50, ack p99, time to settle.');
  });

  it('names duplicates among the unchanged measures when the setting does not change them', () => {
    expect(readingOf([row(false, 0), row(true, 0)], [vary]).replace(/\s+/g, ' ')).toContain('no measure of the table changed by 5% or more.');
    const same = readingOf([row(false, 7), row(true, 7)], [vary]).replace(/\s+/g, ' ');
    expect(same).not.toMatch(/stored twice [\d.]+ →/);
    expect(same).toContain('no measure of the table changed by 5% or more.');
  });

  it('orders the changed measures by how much they changed, latency and availability included', () => {
    const slow = { ...row(false, 0), unavailableShare: 0.5, ackLatencyMs: { p50: 5, p99: 900 } };
    const text = readingOf([row(false, 0), { ...slow, label: 'x', settings: { 'producers.enable.idempotence': true } }], [vary]).replace(/\s+/g, ' ');
    expect(text).toContain('unavailable 0.0% → 50.0% of the time, ack p99 9.0 → 900.0 ms; little or no change in');
  });

  it('calls a change under 5% no change, and keeps a figure and its unit on one line', () => {
    const slightly = { ...row(false, 0), ackLatencyMs: { p50: 5.1, p99: 9 }, settings: { 'producers.enable.idempotence': true } };
    expect(readingOf([row(false, 0), slightly], [vary]).replace(/\s+/g, ' ')).toContain('no measure of the table changed by 5% or more.');
    const text = readingOf([row(false, 444), { ...row(true, 0), ackLatencyMs: { p50: 50, p99: 900 } }], [vary]);
    expect(text).not.toMatch(/\d\n(ms|per run|of the time)/);
    expect(text).not.toContain('\u00a0');
  });
});
