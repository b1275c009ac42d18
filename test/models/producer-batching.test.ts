// The producer as Kafka's client batches (RecordAccumulator, Sender, NetworkClient): while the
// in-flight limit is reached, or the producer is cut off, records keep joining batches, so a high
// rate or a backlog leaves in full batches whatever linger.ms is; one produce request per broker
// carries a batch of each partition it leads; max.in.flight.requests.per.connection counts requests
// per broker connection; buffer.memory bounds what waits and max.block.ms fails the rest.
import { describe, expect, test } from 'vitest';
import type { RunOutput } from '../../scenario/run.js';
import { batchBytes } from '../../models/replication/records.js';
import { HEADER_BYTES } from '../../models/config.js';
import type { Raw } from './clients-harness.js';
import { ops, run, scripted, traced } from './clients-harness.js';

const noFaults = (producer: Raw, extra: Raw = {}): Raw => ({
  durationMs: 10000, settleMs: 5000, consumers: [], producers: [producer], faults: { mode: 'none' }, ...extra,
});
/** p1 cut off from everyone for 8 s, from 5 s to 13 s of a 20 s load. */
const OUTAGE = [{ atMs: 5000, fault: 'partition', isolate: ['p1'] }, { atMs: 13000, fault: 'heal' }];

/** Records per acknowledged batch (the producer's send-ok trace events carry their counts). */
function batchCounts(out: RunOutput, fromUs = 0, toUs = Infinity): number[] {
  return traced(out, 'send-ok', 'p1').filter((r) => r.t >= fromUs && r.t < toUs).map((r) => r['count'] as number);
}

function median(xs: readonly number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('batching under load', () => {
  test('4,000 sends/s with linger.ms 0, RF 3, acks=all: nearly all acknowledged within milliseconds', () => {
    const out = run(noFaults({ messagesPerSec: 4000, 'linger.ms': 0 }));
    const { stats } = out.result;
    expect(stats.acked / stats.sent).toBeGreaterThanOrEqual(0.99);
    expect(stats.ackLatencyMs.p50).toBeLessThan(20);
    expect(stats.ackLatencyMs.p99).toBeLessThan(200);
    // With linger.ms 0 a batch leaves at once when a request slot is free; with all five in flight
    // the next batch keeps filling, so batches hold several records at this rate and one at a slow one.
    expect(median(batchCounts(out))).toBeGreaterThan(1);
    expect(median(batchCounts(run(noFaults({ messagesPerSec: 50, 'linger.ms': 0 }))))).toBe(1);
  });

  test.each([0, 5, 50])('after an 8 s outage at 1,000 sends/s with linger.ms %i, every send is acknowledged and the backlog leaves in full batches', (linger) => {
    const out = run(scripted({ durationMs: 20000, settleMs: 10000, consumers: [], producers: [{ messagesPerSec: 1000, 'linger.ms': linger }] }, OUTAGE));
    const { stats } = out.result;
    expect(stats.acked).toBe(stats.sent);
    expect(stats.ackLatencyMs.p50).toBeLessThan(50);
    // 8,000 records wait; a full batch holds 148 of them (16,384 bytes of 110-byte records).
    const afterHeal = batchCounts(out, 13_000_000, 14_000_000);
    expect(afterHeal.filter((n) => n === 148).length).toBeGreaterThanOrEqual(50);
  });
});

describe('requests per broker connection', () => {
  // One broker leads all four partitions: its produce requests carry a batch of each.
  const oneBroker = noFaults({ messagesPerSec: 2000, 'linger.ms': 0 }, { brokers: 1, topic: { partitions: 4, replicationFactor: 1 } });

  test('a produce request carries the first batch of each partition the broker leads', () => {
    // One request at a time: while it is out, every partition's batch fills, and the next takes them all.
    const out = run({ ...oneBroker, producers: [{ messagesPerSec: 4000, 'linger.ms': 0, 'max.in.flight.requests.per.connection': 1 }] });
    const requests = traced(out, 'send', 'p1').filter((r) => r['msg'] === 'produce');
    const batches = traced(out, 'send-ok', 'p1').length;
    expect(batches / requests.length).toBeGreaterThan(3);
    // A request's size on the wire: its header, and per batch the batch header and 110 bytes a record.
    const sent = ops(out, 'send-invoke').length;
    const total = requests.reduce((sum, r) => sum + (r['bytes'] as number), 0);
    expect(total).toBe(requests.length * HEADER_BYTES + batches * batchBytes(0, 100) + sent * 110);
  });

  test.each([1, 3, 5])('at most max.in.flight.requests.per.connection = %i requests are out to the broker at once', (maxInFlight) => {
    const out = run({ ...oneBroker, producers: [{ messagesPerSec: 2000, 'linger.ms': 0, 'max.in.flight.requests.per.connection': maxInFlight }] });
    let out_ = 0;
    let most = 0;
    for (const r of out.trace ?? []) {
      if (r.kind === 'send' && r.node === 'p1' && r['msg'] === 'produce') most = Math.max(most, ++out_);
      if (r.kind === 'deliver' && r.node === 'p1' && r['msg'] === 'produce-resp') out_--;
    }
    expect(most).toBe(maxInFlight);
    expect(out.result.stats.acked).toBe(out.result.stats.sent);
  });
});

describe('buffer.memory and max.block.ms', () => {
  test('a producer cut off with little memory fails the sends that waited max.block.ms for it, definitely; the rest are acknowledged', () => {
    const out = run(scripted({
      durationMs: 10000, settleMs: 5000, consumers: [],
      producers: [{ messagesPerSec: 1000, 'buffer.memory': 4 * 16384, 'max.block.ms': 1000 }],
    }, [{ atMs: 2000, fault: 'partition', isolate: ['p1'] }, { atMs: 6000, fault: 'heal' }]));
    const failed = ops(out, 'send-fail');
    expect(failed.length).toBeGreaterThan(1000);
    expect(new Set(failed.map((op) => op.error))).toEqual(new Set(['BUFFER_EXHAUSTED']));
    expect(ops(out, 'send-info')).toHaveLength(0);
    const { stats } = out.result;
    expect(stats.acked + stats.failed).toBe(stats.sent);
    // Four batches of 148 records were waiting and went out after the heal.
    expect(stats.acked).toBeGreaterThan(10000 - failed.length - 10);
  });
});

describe('sizes are bytes', () => {
  test('larger values make larger requests, and a slow NIC makes them slower', () => {
    const small = run(noFaults({ messagesPerSec: 500, valueBytes: 100 }));
    const large = run(noFaults({ messagesPerSec: 500, valueBytes: 10000 }));
    const bytes = (out: RunOutput) => traced(out, 'send', 'p1').filter((r) => r['msg'] === 'produce').reduce((sum, r) => sum + (r['bytes'] as number), 0);
    expect(bytes(large) / bytes(small)).toBeGreaterThan(50);
    const slowNic = run(noFaults({ messagesPerSec: 500, valueBytes: 10000 }, { network: { nicMbps: 100 } }));
    expect(slowNic.result.stats.ackLatencyMs.p50).toBeGreaterThan(large.result.stats.ackLatencyMs.p50 + 1);
  });
});
