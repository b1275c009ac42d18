// The explore table and its legend fit a 120-column terminal (issue #20: the table was 215 columns
// wide), with the numbers at their widest for 100 seeds (a million records lost, p99 at Kafka's
// delivery.timeout.ms), and every short header is spelt out in the legend.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExploreRow } from '../../cli/explore/aggregate.js';
import { DEFAULT_VARY } from '../../cli/explore/default-vary.js';
import { ANOMALY_CODES, exploreTable, settingHeader, tableLegend } from '../../cli/explore/table.js';
import { ANOMALY_TYPES } from '../../properties/anomaly.js';
import { parseVary } from '../../scenario/vary.js';

const wide = (settings: Record<string, unknown>, anomalies: readonly string[]): ExploreRow => ({
  label: 'x', settings, runs: 100, failingRuns: 100,
  anomalyRuns: Object.fromEntries(anomalies.map((type) => [type, 100])),
  lostWrites: 999_999, duplicates: 99_999, sent: 1, acked: 1, failed: 1, unavailableMs: 1, durationMs: 1,
  unavailableShare: 1, refusedShare: 1, ackLatencyMs: { p50: 99_999.9, p99: 120_000 }, fsyncsPerAck: 99.99,
  settle: { livenessRuns: {}, quiescentRuns: 0, meanSettleMs: 328_000, maxSettleMs: 328_000 },
});

const widest = (text: string) => Math.max(...text.split('\n').map((line) => line.length));

describe('the explore table', () => {
  const varies = DEFAULT_VARY.map((vary) => parseVary(vary));
  // The default preset's runs show these six anomalies (README, npm start).
  const six = ['committed-record-lost', 'duplicate', 'duplicate-delivery', 'inconsistent-offsets', 'lost-write', 'nonmonotonic-send'];
  const rows = [wide({ 'broker.unclean.leader.election.enable': false, 'broker.min.insync.replicas': 1, 'producers.acks': 'all' }, six)];

  it('fits 120 columns for the default exploration with six anomalies and the widest numbers', () => {
    expect(widest(exploreTable(varies, rows))).toBeLessThanOrEqual(120);
    expect(widest(tableLegend(varies, rows))).toBeLessThanOrEqual(120);
  });

  it('spells out every abbreviated header in the legend', () => {
    const legend = tableLegend(varies, rows);
    expect(legend).toContain('unclean = unclean.leader.election.enable');
    expect(legend).toContain('min.isr = min.insync.replicas');
    expect(legend).not.toContain('acks =');
    for (const type of six) expect(legend).toContain(`${ANOMALY_CODES[type as keyof typeof ANOMALY_CODES]} ${type}`);
    expect(legend).not.toContain('log-divergence');
  });

  it('gives every anomaly its own code, and keeps the legend within 120 columns with all of them', () => {
    expect(new Set(Object.values(ANOMALY_CODES)).size).toBe(ANOMALY_TYPES.length);
    expect(widest(tableLegend(varies, [wide(rows[0]!.settings, ANOMALY_TYPES)]))).toBeLessThanOrEqual(120);
  });

  it('adds the fsync column only when a durability setting is varied, and fits 120 columns with the ISR-against-Raft varies', () => {
    expect(exploreTable(varies, rows)).not.toContain('fsync');
    const raft = ['protocol.replication=isr,raft', 'topic.replicationFactor=3,5', 'raft.fsync=true,false'].map((vary) => parseVary(vary));
    // The anomalies the isr-vs-raft exploration shows (README).
    const seven = ['committed-record-lost', 'duplicate-delivery', 'inconsistent-offsets', 'leader-completeness', 'lost-write', 'nonmonotonic-send', 'state-machine-safety'];
    // Numbers as wide as 50 seeds of it make them: 99,999 records lost, p99 at request.timeout.ms, settle under 100 s.
    const raftRows = [{
      ...wide({ 'protocol.replication': 'raft', 'topic.replicationFactor': 5, 'raft.fsync': false }, seven),
      runs: 50, lostWrites: 99_999, ackLatencyMs: { p50: 9_999.9, p99: 30_000 }, settle: { livenessRuns: {}, quiescentRuns: 50, meanSettleMs: 99_000, maxSettleMs: 99_000 },
    }];
    const table = exploreTable(raft, raftRows);
    expect(table.split('\n')[0]).toMatch(/^repl +rf +fsync .* syncs +settle$/);
    expect(table).toContain('99.99');
    expect(widest(table)).toBeLessThanOrEqual(120);
    expect(tableLegend(raft, raftRows)).toContain('syncs: fsyncs on all disks (atomic replaces included) per acknowledged record');
    expect(tableLegend(raft, raftRows)).toContain('repl = replication · rf = replicationFactor');
  });

  it('cuts a long setting name it has no abbreviation for to the initials of its words', () => {
    expect(settingHeader(parseVary('broker.replica.high.watermark.checkpoint.interval.ms=1,2'))).toBe('r.h.w.c.i.ms');
    expect(settingHeader(parseVary('producers.acks=1,all'))).toBe('acks');
  });

  it('uses the codes docs/anomalies.md gives', () => {
    const docs = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'anomalies.md'), 'utf8');
    const documented = Object.fromEntries([...docs.matchAll(/^\| \[`([a-z-]+)`\]\([^)]*\) \| `([A-Z]+)` \|/gm)].map((m) => [m[1], m[2]]));
    expect(documented).toEqual(ANOMALY_CODES);
  });
});
