// The settle phase's cap: derived from the scenario's timeouts when settleMs is absent (Kafka's
// defaults give room for a dead member's session to expire twice), kept as given when present.
import { describe, expect, test } from 'vitest';
import { parseScenario } from '../../scenario/schema.js';
import { derivedSettleCapMs, drainCapMs, settleCapMs } from '../../scenario/settle-cap.js';

const parse = (raw: unknown) => parseScenario(raw, 'cap');

describe('settle cap', () => {
  test('settleMs is optional: {} has none, and an explicit one is kept as the cap', () => {
    expect(parse({}).settleMs).toBeUndefined();
    expect(settleCapMs(parse({ settleMs: 1234 }))).toBe(1234);
    expect(settleCapMs(parse({ settleMs: 0 }))).toBe(0);
  });

  test("with Kafka's defaults the derived cap covers every timeout the recovery may wait out", () => {
    const s = parse({});
    // 9 s broker session + 30 s replica lag + 120 s delivery timeout + 2 × 45 s session + 45 + 5 s
    // lost join + 10 s lost coordinator request + 3 s initial rebalance delay + 6,000 values × 1 ms
    // + 12 fetches × 4.04 ms + 10 s margin.
    expect(derivedSettleCapMs(s)).toBe(9000 + 30000 + 120000 + 90000 + 50000 + 10000 + 3000 + 6000 + Math.ceil(12 * 4.04) + 10000);
    expect(settleCapMs(s)).toBe(derivedSettleCapMs(s));
  });

  test('each timeout moves the derived cap', () => {
    const base = derivedSettleCapMs(parse({}));
    expect(derivedSettleCapMs(parse({ broker: { 'broker.session.timeout.ms': 19000 } }))).toBe(base + 10000);
    expect(derivedSettleCapMs(parse({ broker: { 'replica.lag.time.max.ms': 40000 } }))).toBe(base + 10000);
    expect(derivedSettleCapMs(parse({ producers: [{ 'delivery.timeout.ms': 130000 }] }))).toBe(base + 10000);
    // A longer session counts twice (failover) and once more in the lost join's wait.
    expect(derivedSettleCapMs(parse({ consumers: [{ 'session.timeout.ms': 55000 }] }))).toBe(base + 30000);
    // Slower processing: the backlog of 6,000 values takes a second more per ms of processing.
    expect(derivedSettleCapMs(parse({ consumers: [{ processingMs: 2 }] }))).toBe(base + 6000);
  });

  test('without consumers the group terms and the backlog drop out', () => {
    expect(derivedSettleCapMs(parse({ consumers: [] }))).toBe(9000 + 30000 + 120000 + 10000);
    expect(derivedSettleCapMs(parse({ consumers: [], producers: [] }))).toBe(9000 + 30000 + 10000);
  });

  test('the drain bound grows with the values to read', () => {
    expect(drainCapMs(parse({ producers: [] }))).toBe(10000);
    expect(drainCapMs(parse({ producers: [{ messagesPerSec: 1000 }] }))).toBeGreaterThan(drainCapMs(parse({})));
  });
});
