// Eligible leader replicas (KIP-966) under scripted faults: which replica the controller may elect
// once the ISR is empty, and that electing it keeps what was committed.
import { describe, expect, test } from 'vitest';
import { count, ops, records, run, safetyHolds, scripted } from './harness.js';

const ELR = { 'eligible.leader.replicas.enable': true, 'min.insync.replicas': 2, 'broker.session.timeout.ms': 3000 };
const crashAll = (atMs: number) => ['b1', 'b2', 'b3'].map((node) => ({ atMs, fault: 'crash', node }));

describe('eligible leader replicas', () => {
  // A process crash is an unclean shutdown to Kafka (no controlled shutdown): each broker's new
  // incarnation leaves the ISR and the ELR on registering, so both end empty. Kafka then elects the
  // last known leader once it is unfenced (PartitionChangeBuilder.canElectLastKnownLeader) with
  // unclean.leader.election.enable off. Electing nobody would keep the partition offline, and the
  // final log would fall back to a follower whose high watermark is behind the leader's.
  test.each([
    ['before their sessions expire (re-registration fences them)', 7000],
    ['after their sessions expired (fenced by the session timeout)', 12000],
  ])('every ISR member restarting after a crash %s: the last known leader leads again, nothing committed is lost', (_, restartMs) => {
    const steps = [
      ...crashAll(6000),
      { atMs: restartMs, fault: 'restart', node: 'b3' },
      { atMs: restartMs + 50, fault: 'restart', node: 'b2' },
      { atMs: restartMs + 100, fault: 'restart', node: 'b1' },
    ];
    const out = run(scripted({ durationMs: restartMs + 7000, settleMs: 6000, broker: ELR, producers: [{ messagesPerSec: 200 }] }, steps));
    expect(count(out, 'lost-write')).toBe(0);
    expect(count(out, 'committed-record-lost')).toBe(0);
    const leader = records(out, 'election').find((r) => r.t > 6_000_000 && r.leader !== null);
    expect(leader).toBeDefined();
    expect(leader!.how).toBe('last-known-leader');
    expect(leader!.leader).toBe('b1');
    expect(leader!.t).toBeGreaterThan((restartMs + 100) * 1000);
    expect(ops(out, 'send-ok').filter((op) => op.t > (restartMs + 2000) * 1000).length).toBeGreaterThan(100);
    expect(safetyHolds(out)).toBe(true);
  });

  test('a fenced ELR member keeps the last known leader out; it leads itself once it is back', () => {
    // min ISR 3: b2, cut off, leaves the ISR into the ELR and the HW stops (strict min ISR). b1 and
    // b3 crash and restart: out of ISR and ELR. The ELR still names b2, so b1 (the last known
    // leader) may not lead (canElectLastKnownLeader wants the ELR empty); b2 leads on its return.
    const steps = [
      { atMs: 2000, fault: 'partition', groups: [['b1', 'b3', 'p1', 'c1'], ['b2']] },
      { atMs: 8000, fault: 'crash', node: 'b1' },
      { atMs: 8000, fault: 'crash', node: 'b3' },
      // b3 re-registers first, then b1 (the leader): had b1 gone first, b3's old incarnation, still
      // in its session, would be the ISR's last member and be elected cleanly.
      { atMs: 8500, fault: 'restart', node: 'b3' },
      { atMs: 8700, fault: 'restart', node: 'b1' },
      { atMs: 14000, fault: 'heal' },
    ];
    const out = run(scripted({ durationMs: 20000, settleMs: 8000, broker: { ...ELR, 'min.insync.replicas': 3 } }, steps));
    const elections = records(out, 'election').filter((r) => r.t > 8_000_000);
    expect(elections.filter((r) => r.t < 14_000_000 && r.leader !== null)).toEqual([]);
    const back = elections.find((r) => r.leader !== null)!;
    expect(back).toBeDefined();
    expect([back.leader, back.how]).toEqual(['b2', 'elr']);
    expect(safetyHolds(out)).toBe(true);
  });

  test('a controller restart takes nobody out of the ELR: the surviving ELR member leads, not the last known leader that lost power', () => {
    // b3 then b2 are cut off and fenced: ISR {b1}, ELR {b2}. b1 (no fsync) loses power and returns
    // without its unflushed tail, out of ISR and ELR. The controller restarts: every broker
    // registers again, but only b1's incarnation is new. Taking b2 out of the ELR as well would let
    // b1, the last known leader, lead and the others truncate to its shortened log.
    const steps = [
      { atMs: 2000, fault: 'partition', groups: [['b1', 'b2', 'p1', 'c1'], ['b3']] },
      { atMs: 3000, fault: 'partition', groups: [['b1', 'p1', 'c1'], ['b3'], ['b2']] },
      { atMs: 8000, fault: 'power-loss', node: 'b1' },
      { atMs: 9000, fault: 'restart', node: 'b1' },
      { atMs: 10000, fault: 'crash', node: 'c1' },
      { atMs: 10500, fault: 'restart', node: 'c1' },
      { atMs: 11000, fault: 'heal' },
    ];
    const out = run(scripted({ durationMs: 20000, settleMs: 8000, broker: ELR }, steps));
    expect(count(out, 'lost-write')).toBe(0);
    const leader = records(out, 'election').find((r) => r.t > 8_000_000 && r.leader !== null)!;
    expect(leader).toBeDefined();
    expect([leader.leader, leader.how]).toEqual(['b2', 'elr']);
    expect(safetyHolds(out)).toBe(true);
  });
});
