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
    unavailableShare: 0, refusedShare: 0, ackLatencyMs: { p50: 5, p99: 9 },
    settle: { livenessRuns: {}, quiescentRuns: 10, meanSettleMs: 1000, maxSettleMs: 1000 },
  };
}

describe('readingOf', () => {
  const vary = parseVary('producers.enable.idempotence=false,true');

  it('names the change in records stored twice when a run stored one twice', () => {
    const text = readingOf([row(false, 444), row(true, 0)], [vary]).replace(/\s+/g, ' ');
    expect(text).toContain('records stored twice 44.4 → 0.0 per run.');
  });

  it('says nothing of duplicates when the setting does not change them', () => {
    expect(readingOf([row(false, 0), row(true, 0)], [vary])).not.toContain('stored twice');
    expect(readingOf([row(false, 7), row(true, 7)], [vary])).not.toContain('stored twice');
  });
});
