// The shared models under the views: message pairing, fault periods, lane order.
import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.js';
import { faultPeriods } from '../../traces/faults.js';
import { laneOrder } from '../../traces/lanes.js';
import { pairMessages } from '../../traces/messages.js';
import { FIXTURE, FIXTURE_COUNTS } from './fixture.js';

describe('laneOrder', () => {
  it('sorts brokers, controller, producers, consumers by number, then the rest', () => {
    const records: TraceRecord[] = ['k2', 'b10', 'p1', 'zed', 'c1', 'b2', 'k1', 'b1'].map((node) => ({ t: 0, kind: 'x', node }));
    expect(laneOrder(records)).toEqual(['b1', 'b2', 'b10', 'c1', 'p1', 'k1', 'k2', 'zed']);
  });

  it('finds nodes named only as peers or fault targets', () => {
    expect(laneOrder(FIXTURE)).toEqual(FIXTURE_COUNTS.lanes);
    expect(laneOrder([{ t: 0, kind: 'fault', fault: 'partition', groups: ['b1,p1', 'b2,b3'] }])).toEqual(['b1', 'b2', 'b3', 'p1']);
  });
});

describe('pairMessages', () => {
  const arrows = pairMessages(FIXTURE, 10_000);

  it('pairs each send with its delivery or drop, in send order', () => {
    expect(arrows).toHaveLength(FIXTURE_COUNTS.messages);
    expect(arrows.map((a) => a.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(arrows[0]).toMatchObject({ from: 'p1', to: 'b1', msg: 'Produce', sentAt: 2000, endAt: 2500, outcome: 'delivered', bytes: 200 });
    expect(arrows[6]).toMatchObject({ from: 'b2', to: 'b1', msg: 'Fetch', endAt: 5100, outcome: 'dropped', reason: 'cut' });
    expect(arrows[9]).toMatchObject({ outcome: 'in-flight', endAt: 10_000 });
  });

  it('marks a second delivery of one send as a duplicate', () => {
    const records: TraceRecord[] = [
      { t: 0, kind: 'send', node: 'b1', to: 'b2', msg: 'Fetch', id: 1 },
      { t: 1, kind: 'duplicate', node: 'b1', to: 'b2', msg: 'Fetch', id: 1 },
      { t: 5, kind: 'deliver', node: 'b2', from: 'b1', msg: 'Fetch', id: 1 },
      { t: 9, kind: 'deliver', node: 'b2', from: 'b1', msg: 'Fetch', id: 1 },
    ];
    expect(pairMessages(records, 9).map((a) => [a.outcome, a.endAt])).toEqual([['delivered', 5], ['duplicate', 9]]);
  });

  it('keeps ids apart per sender', () => {
    const records: TraceRecord[] = [
      { t: 0, kind: 'send', node: 'b1', to: 'b3', msg: 'A', id: 1 },
      { t: 0, kind: 'send', node: 'b2', to: 'b3', msg: 'B', id: 1 },
      { t: 4, kind: 'deliver', node: 'b3', from: 'b2', msg: 'B', id: 1 },
      { t: 6, kind: 'deliver', node: 'b3', from: 'b1', msg: 'A', id: 1 },
    ];
    expect(pairMessages(records, 6).map((a) => [a.msg, a.endAt])).toEqual([['A', 6], ['B', 4]]);
  });

  it('ignores producer sends (a value, not a message) and deliveries of unknown sends', () => {
    const records: TraceRecord[] = [
      { t: 0, kind: 'send', node: 'p1', value: 7, partition: 0 },
      { t: 3, kind: 'deliver', node: 'b3', from: 'b2', msg: 'B', id: 99 },
    ];
    expect(pairMessages(records, 3)).toEqual([]);
  });
});

describe('faultPeriods', () => {
  it('finds the partition and the crash of the fixture', () => {
    expect(faultPeriods(FIXTURE, 10_000)).toEqual([
      { kind: 'partition', nodes: ['b1'], startAt: 5000, endAt: 8000, label: 'partition: isolate b1', open: false },
      { kind: 'crash', nodes: ['b3'], startAt: 7000, endAt: 8500, label: 'crash b3', open: false },
    ]);
  });

  it('shades the minority of a split, a one-way cut\'s sender, and heals only what the heal names', () => {
    const records: TraceRecord[] = [
      { t: 0, kind: 'fault', fault: 'partition', groups: ['b1,p1', 'b2,b3,c1'] },
      { t: 1, kind: 'fault', fault: 'partition', from: 'b3', to: 'c1' },
      { t: 5, kind: 'fault', fault: 'heal', nodes: ['b3'] },
      { t: 9, kind: 'fault', fault: 'heal' },
    ];
    expect(faultPeriods(records, 20).map((p) => [p.nodes, p.startAt, p.endAt, p.label])).toEqual([
      [['b1', 'p1'], 0, 9, 'partition: {b1,p1} | {b2,b3,c1}'],
      [['b3'], 1, 5, 'partition: b3 ↛ c1 (one way)'],
    ]);
  });

  it('reads groups however they are spelled', () => {
    for (const groups of [[['b1'], ['b2', 'b3']], ['b1', 'b2,b3'], 'b1|b2,b3', '[["b1"],["b2","b3"]]']) {
      const record = { t: 0, kind: 'fault', fault: 'partition', groups } as unknown as TraceRecord;
      expect(faultPeriods([record], 1)[0]?.nodes).toEqual(['b1']);
    }
  });

  it('runs power loss and pause from the node records alone, and slow or skewed settings until reset', () => {
    const records: TraceRecord[] = [
      { t: 0, kind: 'node', node: 'b1', state: 'up', incarnation: 1 },
      { t: 2, kind: 'node', node: 'b1', state: 'powered-off', incarnation: 1 },
      { t: 3, kind: 'node', node: 'b2', state: 'paused', incarnation: 1 },
      { t: 4, kind: 'fault', node: 'b3', fault: 'slow-disk', factor: 10 },
      { t: 5, kind: 'fault', node: 'b3', fault: 'clock-skew', offsetMs: -200 },
      { t: 6, kind: 'node', node: 'b2', state: 'resumed', incarnation: 1 },
      { t: 7, kind: 'fault', node: 'b3', fault: 'slow-disk', factor: 1 },
      { t: 8, kind: 'node', node: 'b1', state: 'up', incarnation: 2 },
    ];
    expect(faultPeriods(records, 12).map((p) => [p.kind, p.nodes[0], p.startAt, p.endAt, p.open, p.label])).toEqual([
      ['power-loss', 'b1', 2, 8, false, 'power-loss b1'],
      ['pause', 'b2', 3, 6, false, 'pause b2'],
      ['slow-disk', 'b3', 4, 7, false, 'slow-disk b3 ×10'],
      ['clock-skew', 'b3', 5, 12, true, 'clock-skew b3 -200 ms'],
    ]);
  });

  it('keeps one period when a fault step and the node record report the same crash', () => {
    const records: TraceRecord[] = [
      { t: 2, kind: 'fault', node: 'b1', fault: 'crash' },
      { t: 2, kind: 'node', node: 'b1', state: 'crashed', incarnation: 1 },
      { t: 7, kind: 'fault', node: 'b1', fault: 'restart' },
      { t: 7, kind: 'node', node: 'b1', state: 'up', incarnation: 2 },
    ];
    expect(faultPeriods(records, 9).map((p) => [p.kind, p.startAt, p.endAt])).toEqual([['crash', 2, 7]]);
  });
});
