import { describe, expect, it } from 'vitest';
import { ANOMALY_TYPES, CHECKERS, checkAll, checkRun, isAnomalyType } from '../../properties/index.js';
import { cleanRun, finalState, history, replica, v } from './builders.js';

const oneLostWrite = () => {
  const run = cleanRun({ partitions: 1, sends: [{ producer: 0, partition: 0 }], pollBatch: 1 });
  return { ...run, history: [...run.history, ...history().send('p0', v(99), 1).build().map((op) => ({ ...op, t: op.t + 1_000_000 }))] };
};

describe('checkAll', () => {
  it('has one checker per anomaly name of KAFKA.md, sorted by name', () => {
    expect(CHECKERS.map((c) => c.type)).toEqual([...ANOMALY_TYPES]);
    expect([...ANOMALY_TYPES].sort()).toEqual([...ANOMALY_TYPES]);
    expect(ANOMALY_TYPES).toHaveLength(19);
    expect(isAnomalyType('lost-write')).toBe(true);
    expect(isAnomalyType('lost')).toBe(false);
  });

  it('returns nothing for a clean run', () => {
    const run = cleanRun({ partitions: 2, sends: [{ producer: 0, partition: 0 }, { producer: 0, partition: 1 }, { producer: 1, partition: 0 }], pollBatch: 2 });
    expect(checkAll(run.history, run.final, { consumers: true })).toEqual([]);
  });

  it('returns only the anomalies present, sorted by type, as JSON', () => {
    // p0:99 is acknowledged and lost; the divergent replica b2 adds log-divergence.
    const run = oneLostWrite();
    const final = finalState([{
      state: { partition: 0, leader: 'b1', leaderEpoch: 1, isr: ['b1'], replicas: ['b1', 'b2'] },
      replicas: [replica('b1', [v(0)], { isLeader: true }), replica('b2', [v(7)])],
    }]);
    const reports = checkAll(run.history, final, { consumers: true });
    expect(reports.map((r) => r.type)).toEqual(['log-divergence', 'lost-write']);
    expect(JSON.parse(JSON.stringify(reports))).toEqual(reports);
  });

  it('honours maxExamples for every checker and rejects a bad one', () => {
    const run = oneLostWrite();
    const [report] = checkAll(run.history, run.final, { consumers: true, maxExamples: 0 });
    expect(report).toMatchObject({ type: 'lost-write', count: 1, examples: [] });
    expect(() => checkAll(run.history, run.final, { consumers: true, maxExamples: -1 })).toThrow(RangeError);
  });
});

describe('checkRun', () => {
  it('splits allowed from unexpected anomalies', () => {
    const run = oneLostWrite();
    const strict = checkRun(run.history, run.final, { consumers: true });
    expect(strict.ok).toBe(false);
    expect(strict.unexpected.map((r) => r.type)).toEqual(['lost-write']);
    const lenient = checkRun(run.history, run.final, { consumers: true, allowed: ['lost-write', 'duplicate'] });
    expect(lenient).toMatchObject({ ok: true, unexpected: [] });
    expect(lenient.anomalies.map((r) => r.type)).toEqual(['lost-write']);
  });
});
