// network.partitionMode 'retransmit': a cut holds what meets it and the sender's TCP delivers it
// after the heal at its next retransmission (exponential backoff from when it was lost); an actor
// that closes its connection (Env.closeConnection) sends later messages on a new one, which does not
// queue behind the old one's held data. The default, 'drop', is unchanged.
import { describe, expect, it } from 'vitest';
import { RTO_MAX_US, RTO_MIN_US, SYN_RTO_US, nextRetransmitUs } from '../../sim/network.js';
import type { World } from '../../sim/world.js';
import { msg, probe, probeWorld } from './helpers.js';

const RETRANSMIT = { network: { partitionMode: 'retransmit' as const } }; // latency 1000 µs

function sendAt(world: World, t: number, from: string, to: string, n: number): void {
  world.at(t, () => probe(world, from).env.send(to, msg(n)));
}

function arrivals(world: World, at: string): [number, number][] {
  return probe(world, at).received.map((r) => [r.msg.n ?? -1, r.t]);
}

describe('nextRetransmitUs: Linux backoff', () => {
  it('doubles from 200 ms (1 s for a SYN) and caps each wait at 120 s', () => {
    // Retransmissions at 0.2, 0.6, 1.4, 3.0, 6.2, 12.6, 25.4, 51.0 s after the loss …
    expect(nextRetransmitUs(0, true, 0)).toBe(RTO_MIN_US);
    expect(nextRetransmitUs(0, true, 40_000_000)).toBe(51_000_000);
    expect(nextRetransmitUs(1_000, true, 25_401_000)).toBe(25_401_000);
    // … 102.2, 204.6, then 120 s apart (TCP_RTO_MAX).
    expect(nextRetransmitUs(0, true, 204_600_001)).toBe(204_600_000 + RTO_MAX_US);
    // A SYN: 1, 3, 7, 15, 31, 63 s.
    expect(nextRetransmitUs(0, false, 10_000_000)).toBe(15_000_000);
    expect(nextRetransmitUs(0, false, 0)).toBe(SYN_RTO_US);
    // Given up: after tcp_retries2 (15) retransmissions, after tcp_syn_retries (6).
    expect(nextRetransmitUs(0, true, 804_600_000)).toBe(804_600_000);
    expect(nextRetransmitUs(0, true, 804_600_001)).toBe(-1);
    expect(nextRetransmitUs(0, false, 63_000_001)).toBe(-1);
  });
});

describe('partitionMode retransmit', () => {
  it('holds a message sent into a cut and delivers it after the heal at the next retransmission', () => {
    const world = probeWorld(['a', 'b'], RETRANSMIT);
    sendAt(world, 0, 'a', 'b', 0); // establishes the connection
    world.at(10_000, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    sendAt(world, 20_000, 'a', 'b', 1);
    sendAt(world, 30_000, 'a', 'b', 2);
    world.at(40_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    world.runUntil(100_000_000);
    // Lost at 20 ms: retransmitted at 20 ms + 51.0 s, the first backoff point after the heal; in order.
    expect(arrivals(world, 'b')).toEqual([[0, 1000], [1, 51_021_000], [2, 51_021_000]]);
    expect(world.trace.records?.filter((r) => r.kind === 'hold').map((r) => r.id)).toHaveLength(2);
    expect(world.trace.records?.some((r) => r.kind === 'drop')).toBe(false);
  });

  it('holds a message in flight when the cut comes, and does not break the connection', () => {
    const world = probeWorld(['a', 'b'], RETRANSMIT);
    sendAt(world, 0, 'a', 'b', 1);
    world.at(500, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    world.at(2_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    world.runUntil(10_000_000);
    // Lost on arrival at 1 ms: retransmitted at 1 ms + 3.0 s.
    expect(arrivals(world, 'b')).toEqual([[1, 3_002_000]]);
    // No reset on the heal: the connection never broke.
    expect(world.trace.records?.some((r) => r.msg === 'disconnect')).toBe(false);
  });

  it('a message on a new connection overtakes the old connection\'s held data', () => {
    const world = probeWorld(['a', 'b'], RETRANSMIT);
    sendAt(world, 0, 'a', 'b', 0);
    world.at(10_000, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    sendAt(world, 20_000, 'a', 'b', 1); // the request that will time out
    world.at(30_000_000, () => probe(world, 'a').env.closeConnection('b')); // NetworkClient's timeout
    world.at(40_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    sendAt(world, 40_100_000, 'a', 'b', 2); // the retry, on a new connection after the heal
    sendAt(world, 40_200_000, 'b', 'a', 3); // b answers on the new connection
    world.runUntil(100_000_000);
    expect(arrivals(world, 'b')).toEqual([[0, 1000], [2, 40_101_000], [1, 51_021_000]]);
    expect(arrivals(world, 'a')).toEqual([[3, 40_201_000]]);
  });

  it('without a close, later messages queue behind the held ones (one connection, FIFO)', () => {
    const world = probeWorld(['a', 'b'], RETRANSMIT);
    sendAt(world, 0, 'a', 'b', 0);
    world.at(10_000, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    sendAt(world, 20_000, 'a', 'b', 1);
    world.at(40_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    sendAt(world, 40_100_000, 'a', 'b', 2);
    world.runUntil(100_000_000);
    expect(arrivals(world, 'b')).toEqual([[0, 1000], [1, 51_021_000], [2, 51_021_000]]);
  });

  it('a connection closed before its handshake sent nothing; the peer\'s answers on a closed connection are lost', () => {
    const world = probeWorld(['a', 'b'], RETRANSMIT);
    sendAt(world, 0, 'a', 'b', 0);
    sendAt(world, 5_000, 'b', 'a', 10); // b → a, in flight when the cut comes
    world.at(5_500, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    world.at(1_000_000, () => probe(world, 'a').env.closeConnection('b'));
    sendAt(world, 2_000_000, 'a', 'b', 1); // a new connection opened across the cut: SYNs only
    world.at(5_000_000, () => probe(world, 'a').env.closeConnection('b')); // closed while connecting
    world.at(6_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    world.runUntil(100_000_000);
    expect(arrivals(world, 'b')).toEqual([[0, 1000]]);
    expect(arrivals(world, 'a')).toEqual([]);
    const drops = world.trace.records?.filter((r) => r.kind === 'drop').map((r) => [r.node, r.reason]);
    expect(drops).toEqual([['b', 'closed'], ['a', 'closed']]);
  });

  it('a connection opened across the cut delivers once its SYN gets through; TCP gives up after ~925 s', () => {
    const world = probeWorld(['a', 'b'], RETRANSMIT);
    world.at(0, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    sendAt(world, 1_000_000, 'a', 'b', 1); // never connected: SYNs at 2, 4, 8, 16 s …
    world.at(10_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    world.runUntil(100_000_000);
    expect(arrivals(world, 'b')).toEqual([[1, 16_001_000]]);

    const long = probeWorld(['a', 'b'], RETRANSMIT);
    sendAt(long, 0, 'a', 'b', 0);
    long.at(10_000, () => long.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    sendAt(long, 20_000, 'a', 'b', 1);
    long.at(1_000_000_000, () => long.applyFault({ atMs: 0, fault: 'heal' }));
    sendAt(long, 1_000_100_000, 'a', 'b', 2); // a new connection: not behind the dead one
    long.runUntil(1_100_000_000);
    expect(arrivals(long, 'b')).toEqual([[0, 1000], [2, 1_000_101_000]]);
    expect(long.trace.records?.filter((r) => r.kind === 'drop').map((r) => r.reason)).toEqual(['timed-out']);
  });

  it('a crash still breaks the connection: held messages are lost', () => {
    const world = probeWorld(['a', 'b'], RETRANSMIT);
    sendAt(world, 0, 'a', 'b', 0);
    world.at(10_000, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    sendAt(world, 20_000, 'a', 'b', 1);
    world.at(1_000_000, () => world.applyFault({ atMs: 0, fault: 'crash', node: 'b' }));
    world.at(2_000_000, () => world.applyFault({ atMs: 0, fault: 'restart', node: 'b' }));
    world.at(3_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    world.runUntil(100_000_000);
    expect(arrivals(world, 'b')).toEqual([]);
    expect(world.trace.records?.filter((r) => r.kind === 'drop' && r.msg === 'm').map((r) => r.reason)).toEqual(['crashed']);
  });
});

describe('partitionMode drop (the default) is unchanged', () => {
  it('drops what meets a cut, resets on the heal, and closeConnection does nothing', () => {
    const world = probeWorld(['a', 'b']);
    sendAt(world, 0, 'a', 'b', 0);
    world.at(10_000, () => world.applyFault({ atMs: 0, fault: 'partition', isolate: ['b'] }));
    sendAt(world, 20_000, 'a', 'b', 1);
    world.at(30_000, () => probe(world, 'a').env.closeConnection('b'));
    world.at(40_000_000, () => world.applyFault({ atMs: 0, fault: 'heal' }));
    sendAt(world, 40_100_000, 'a', 'b', 2);
    world.runUntil(100_000_000);
    expect(arrivals(world, 'b').map(([n]) => n)).toEqual([0, 2]);
    const records = world.trace.records ?? [];
    expect(records.some((r) => r.kind === 'hold')).toBe(false);
    expect(records.filter((r) => r.kind === 'drop' && r.msg === 'm').map((r) => r.reason)).toEqual(['cut']);
    expect(records.filter((r) => r.kind === 'send' && r.msg === 'disconnect')).toHaveLength(2);
  });

  it('closeConnection leaves the run byte-identical', () => {
    const run = (close: boolean) => {
      const world = probeWorld(['a', 'b'], { network: { latencyMinUs: 100, latencyMaxUs: 5000 } });
      for (let i = 0; i < 50; i++) sendAt(world, i * 1000, 'a', 'b', i);
      if (close) for (let i = 0; i < 50; i += 7) world.at(i * 1000 + 1, () => probe(world, 'a').env.closeConnection('b'));
      world.runUntil(1_000_000);
      return world.trace.hash();
    };
    expect(run(true)).toBe(run(false));
  });
});
