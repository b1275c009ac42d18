import { describe, expect, it } from 'vitest';
import { renderPerfetto } from '../../traces/index.js';
import { FIXTURE, FIXTURE_COUNTS } from './fixture.js';

interface Event {
  ph: string;
  pid: number;
  tid?: number;
  ts?: number;
  dur?: number;
  name?: string;
  cat?: string;
  id?: number;
  bp?: string;
  args?: Record<string, unknown>;
}

const trace = JSON.parse(renderPerfetto(FIXTURE)) as { traceEvents: Event[]; displayTimeUnit: string };
const events = trace.traceEvents;

function pidOf(node: string): number {
  const meta = events.find((e) => e.ph === 'M' && e.name === 'process_name' && String(e.args?.['name']).startsWith(`${node} `));
  if (meta === undefined) throw new Error(`no process for ${node}`);
  return meta.pid;
}

describe('renderPerfetto', () => {
  it('is Chrome trace-event JSON shown in milliseconds', () => {
    expect(trace.displayTimeUnit).toBe('ms');
    expect(Array.isArray(events)).toBe(true);
    for (const event of events) expect(typeof event.ph).toBe('string');
  });

  it('names a process per node, sorted b…, c…, p…, k…, and its threads', () => {
    const names = events.filter((e) => e.ph === 'M' && e.name === 'process_name').map((e) => e.args?.['name']);
    expect(names).toEqual(['world (faults, phases)', 'b1 (broker)', 'b2 (broker)', 'b3 (broker)', 'c1 (controller)', 'p1 (producer)', 'k1 (consumer)']);
    for (const node of FIXTURE_COUNTS.lanes) {
      const pid = pidOf(node);
      expect(events.some((e) => e.ph === 'M' && e.name === 'process_sort_index' && e.pid === pid)).toBe(true);
      expect(events.some((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.tid === 1)).toBe(true);
    }
  });

  it('pairs every flow start with one finish, later, on the receiver', () => {
    const starts = events.filter((e) => e.ph === 's');
    const finishes = events.filter((e) => e.ph === 'f');
    expect(starts).toHaveLength(FIXTURE_COUNTS.messages - FIXTURE_COUNTS.inFlight);
    expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
    for (const start of starts) {
      const ends = finishes.filter((e) => e.id === start.id);
      expect(ends).toHaveLength(1);
      expect(ends[0]!.ts).toBeGreaterThanOrEqual(start.ts!);
      expect(ends[0]!.bp).toBe('e');
    }
    expect(finishes).toHaveLength(starts.length);
  });

  it('binds each flow end to a slice on the receiver: a delivery or a drop', () => {
    const fetch = events.find((e) => e.ph === 's' && e.ts === 5100)!;
    const end = events.find((e) => e.ph === 'f' && e.id === fetch.id)!;
    expect(end.pid).toBe(pidOf('b1'));
    const slice = events.find((e) => e.ph === 'X' && e.pid === end.pid && e.ts === end.ts && e.cat === 'message');
    expect(slice?.name).toBe('drop Fetch (cut)');
    const delivered = events.filter((e) => e.ph === 'X' && e.name?.startsWith('recv '));
    expect(delivered).toHaveLength(FIXTURE_COUNTS.messages - FIXTURE_COUNTS.dropped - FIXTURE_COUNTS.inFlight);
  });

  it('draws fault periods as complete events with their durations, on the nodes they hit', () => {
    const faults = events.filter((e) => e.ph === 'X' && e.cat === 'fault');
    expect(faults).toHaveLength(FIXTURE_COUNTS.faultPeriods);
    const partition = faults.find((e) => e.args?.['kind'] === 'partition')!;
    expect(partition).toMatchObject({ pid: pidOf('b1'), ts: 5000, dur: 3000, name: 'partition: isolate b1' });
    const crash = faults.find((e) => e.args?.['kind'] === 'crash')!;
    expect(crash).toMatchObject({ pid: pidOf('b3'), ts: 7000, dur: 1500, name: 'crash b3' });
    expect(partition.tid).not.toBe(1);
  });

  it('counts each replica\'s high watermark per partition', () => {
    const counters = events.filter((e) => e.ph === 'C');
    expect(counters.map((e) => [e.pid, e.ts, e.name, e.args?.['hw']])).toEqual([
      [pidOf('b1'), 4000, 'hw partition 0', 1],
      [pidOf('b2'), 9300, 'hw partition 0', 2],
    ]);
  });

  it('marks state changes as instants with their words and fields, and skips the machinery', () => {
    const instants = events.filter((e) => e.ph === 'i');
    const election = instants.find((e) => e.cat === 'election' && e.ts === 6000)!;
    expect(election.pid).toBe(pidOf('c1'));
    expect(election.args).toMatchObject({ leader: 'b2', epoch: 2, detail: 'partition 0: b2 elected leader, epoch 2 (clean)' });
    const heal = instants.find((e) => e.cat === 'fault' && e.ts === 8000)!;
    expect(heal.pid).toBe(1);
    expect(instants.some((e) => e.cat === 'timer' || e.cat === 'disk-write' || e.cat === 'deliver')).toBe(false);
    expect(instants.some((e) => e.cat === 'mystery')).toBe(true);
  });

  it('nests message slices properly: none overlaps another on its thread without containing it', () => {
    const slices = events.filter((e) => e.ph === 'X');
    const byThread = new Map<string, Event[]>();
    for (const s of slices) byThread.set(`${s.pid}/${s.tid}`, [...(byThread.get(`${s.pid}/${s.tid}`) ?? []), s]);
    for (const list of byThread.values()) {
      for (const a of list) {
        for (const b of list) {
          const overlap = a.ts! < b.ts! + b.dur! && b.ts! < a.ts! + a.dur!;
          const nested = (a.ts! <= b.ts! && b.ts! + b.dur! <= a.ts! + a.dur!) || (b.ts! <= a.ts! && a.ts! + a.dur! <= b.ts! + b.dur!);
          expect(!overlap || nested).toBe(true);
        }
      }
    }
  });
});
