import { describe, expect, it } from 'vitest';
import { KERNEL_TRACE_KINDS } from '../../sim/trace-record.js';
import { runBusy } from './workload.js';

describe('determinism', () => {
  it('the same seed gives the same trace hash; different seeds different hashes', () => {
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const first = runBusy(seed);
      const second = runBusy(seed);
      expect(second.hash, `seed ${seed}`).toBe(first.hash);
      expect(second.events).toBe(first.events);
      expect(first.events).toBeGreaterThan(1000);
      hashes.add(first.hash);
    }
    expect(hashes.size).toBe(30);
  });

  it('recording the trace does not change the hash, and the workload exercises every kernel kind', () => {
    const kinds = new Set<string>();
    for (let seed = 1; seed <= 5; seed++) {
      const quiet = runBusy(seed);
      const recorded = runBusy(seed, { recordTrace: true });
      expect(recorded.hash).toBe(quiet.hash);
      expect(recorded.traced).toBe(quiet.traced);
      for (const k of recorded.kinds) kinds.add(k);
    }
    for (const k of KERNEL_TRACE_KINDS) expect(kinds, k).toContain(k);
    expect(kinds).toContain('pong');
  });

  it('the hash covers every event: a different world size changes it', () => {
    expect(runBusy(3, { nodes: 5 }).hash).not.toBe(runBusy(3, { nodes: 6 }).hash);
    expect(runBusy(3, { durationMs: 1999 }).hash).not.toBe(runBusy(3, { durationMs: 2000 }).hash);
  });
});
