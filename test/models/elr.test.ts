// Eligible leader replicas (KIP-966) under scripted faults: which replica the controller may elect
// once the ISR is empty, and that electing it keeps what was committed.
import { describe, expect, test } from 'vitest';
import { count, ops, records, run, safetyHolds, scripted } from './harness.js';

const ELR = { 'eligible.leader.replicas.enable': true, 'min.insync.replicas': 2, 'broker.session.timeout.ms': 3000 };

describe('eligible leader replicas', () => {
  test('every ISR member restarting after a crash: the last known leader leads again and nothing committed is lost', () => {
    // A process crash is an unclean shutdown to Kafka (no controlled shutdown): each broker's new
    // incarnation leaves the ISR and the ELR on registering, so both end empty. Kafka then elects
    // the last known leader once it is unfenced (PartitionChangeBuilder.canElectLastKnownLeader),
    // with unclean.leader.election.enable off. ksim kept the partition offline, and its final log
    // fell back to a follower whose high watermark was behind the leader's.
    const steps = [
      { atMs: 6000, fault: 'crash', node: 'b1' },
      { atMs: 6000, fault: 'crash', node: 'b2' },
      { atMs: 6000, fault: 'crash', node: 'b3' },
      { atMs: 7000, fault: 'restart', node: 'b3' },
      { atMs: 7050, fault: 'restart', node: 'b2' },
      { atMs: 7100, fault: 'restart', node: 'b1' },
    ];
    const out = run(scripted({ durationMs: 14000, settleMs: 6000, broker: ELR, producers: [{ messagesPerSec: 200 }] }, steps));
    const after = records(out, 'election').filter((r) => r.t > 6_000_000);
    const leader = after.find((r) => r.leader !== null);
    expect(leader).toBeDefined();
    expect(leader!.how).toBe('last-known-leader');
    expect(leader!.leader).toBe('b1');
    expect(ops(out, 'send-ok').filter((op) => op.t > 9_000_000).length).toBeGreaterThan(100);
    expect(count(out, 'lost-write')).toBe(0);
    expect(safetyHolds(out)).toBe(true);
  });
});
