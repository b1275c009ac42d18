// `ksim explore`: rows over the cross product, their JSON, the table and its reading.
import { beforeAll, describe, expect, test } from 'vitest';
import { ensureBuilt, ksim, SHORT_LOSSY, tempDir, writeJson } from './helpers.js';

interface Row {
  label: string;
  settings: Record<string, unknown>;
  runs: number;
  anomalyRuns: Record<string, number>;
  lostWrites: number;
  duplicates: number;
  unavailableShare: number;
  refusedShare: number;
  ackLatencyMs: { p50: number | null; p99: number | null };
}

let dir = '';
beforeAll(() => {
  ensureBuilt();
  dir = tempDir('explore');
  writeJson(dir, 'lossy.json', SHORT_LOSSY);
});

describe('ksim explore', () => {
  test('--json has one row per combination, in nested-loop order, with counts and stats', () => {
    const result = ksim(['explore', 'lossy.json', '--vary', 'producers.acks=1,all', '--vary', 'broker.min.insync.replicas=1,2', '--seeds', '4', '--json'], dir);
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { scenario: string; seeds: { from: number; count: number }; vary: string[]; rows: Row[] };
    expect(report.scenario).toBe('short-lossy');
    expect(report.seeds).toEqual({ from: 1, count: 4 });
    expect(report.vary).toEqual(['producers.acks', 'broker.min.insync.replicas']);
    expect(report.rows.map((row) => row.label)).toEqual([
      'producers.acks=1 broker.min.insync.replicas=1', 'producers.acks=1 broker.min.insync.replicas=2',
      'producers.acks=all broker.min.insync.replicas=1', 'producers.acks=all broker.min.insync.replicas=2',
    ]);
    for (const row of report.rows) {
      expect(row.runs).toBe(4);
      expect(row.unavailableShare).toBeGreaterThanOrEqual(0);
      expect(row.unavailableShare).toBeLessThanOrEqual(1);
      expect(row.refusedShare).toBeGreaterThanOrEqual(0);
      expect(Object.values(row.anomalyRuns).every((n) => n >= 1 && n <= 4)).toBe(true);
      expect(row.lostWrites > 0).toBe((row.anomalyRuns['lost-write'] ?? 0) > 0);
    }
    expect(report.rows[0]?.settings).toEqual({ 'producers.acks': 1, 'broker.min.insync.replicas': 1 });
    expect(result.stderr).toMatch(/explore: 16\/16 runs/);
  });

  test('the table has a column per varied setting and per anomaly seen, then a reading of it', () => {
    const result = ksim(['explore', 'lossy.json', '--vary', 'broker.unclean.leader.election.enable=false,true', '--seeds', '3'], dir);
    expect(result.code, result.stderr).toBe(0);
    const [title = '', , header = '', rule = '', first = '', second = ''] = result.stdout.split('\n');
    expect(title).toContain('2 combinations × 3 seeds');
    expect(header).toMatch(/^unclean +runs .*lost +dup +unavail +refused +p50 +p99 +settle$/);
    expect(rule).toMatch(/^-+( +-+)+$/);
    expect(first).toMatch(/^false +3 /);
    expect(second).toMatch(/^true +3 /);
    // The reading is wrapped: compare it with line breaks as spaces.
    expect(result.stdout).toContain('settings: unclean = unclean.leader.election.enable');
    expect(result.stdout.replace(/\s+/g, ' ')).toMatch(/Changing unclean\.leader\.election\.enable from false to true: /);
  });

  test('protocol.version gives one row per release, each named as written', () => {
    const result = ksim(['explore', 'lossy.json', '--vary', 'protocol.version=0.10,0.11,2.0,2.1,4.0', '--seeds', '2'], dir);
    expect(result.code, result.stderr).toBe(0);
    const rows = result.stdout.split('\n').slice(4, 9).map((line) => line.split(/ +/)[0]);
    expect(rows).toEqual(['0.10', '0.11', '2.0', '2.1', '4.0']);
    // The reading found each release's rows: no release reads as having no runs ("-" latency).
    const reading = result.stdout.replace(/\s+/g, ' ');
    expect(reading).toMatch(/Across version = 0\.10 \/ 0\.11 \/ 2\.0 \/ 2\.1 \/ 4\.0: /);
    expect(reading).toMatch(/ack p99( [\d.]+ \/){4} [\d.]+ ms|no change in [^.]*ack p99/);
  });

  test('the same seeds give the same table', () => {
    const args = ['explore', 'lossy.json', '--vary', 'producers.acks=1,all', '--seeds', '3', '--json'];
    expect(ksim([...args, '--workers', '1'], dir).stdout).toBe(ksim([...args, '--workers', '2'], dir).stdout);
  });
});
