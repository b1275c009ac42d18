// Targeted faults (faults.targets roles): each role hits the nodes the trace says hold it at that
// moment, and the scripts they resolve to replay the run exactly. The acceptance check of the
// targeted nemesis is here too: unclean election loses acknowledged writes, clean election does not.
import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../sim/trace-record.js';
import { runScenario } from '../../scenario/run.js';
import { parseScenario } from '../../scenario/schema.js';

const REPLICAS = ['b1', 'b2', 'b3'];

function targeted(target: string, kinds: string[], extra: Record<string, unknown> = {}) {
  return parseScenario({
    durationMs: 30000, brokers: 3, producers: [{ messagesPerSec: 50 }],
    faults: { mode: 'random', kinds, targets: [target], swarm: false, meanIntervalMs: 3000 }, ...extra,
  }, `target-${target}`);
}

/** The cluster as the trace has told it so far: partition 0's leader and ISR. */
class Seen {
  leader: string | null = null;
  isr: readonly string[] = REPLICAS;
  observe(r: TraceRecord): void {
    if (r['partition'] !== 0) return;
    if (r.kind === 'election') {
      this.leader = (r['leader'] as string | null) ?? null;
      this.isr = r['isr'] as string[];
    } else if (r.kind === 'isr-change' || (r.kind === 'isr' && r.node === this.leader)) {
      this.isr = r['isr'] as string[];
    }
  }
}

/** Every fault record of `fault`, grouped by time, with the cluster as seen just before it. */
function faultsWithView(trace: readonly TraceRecord[], fault: string): { nodes: string[]; record: TraceRecord; leader: string | null; isr: readonly string[] }[] {
  const seen = new Seen();
  const out: { nodes: string[]; record: TraceRecord; leader: string | null; isr: readonly string[] }[] = [];
  for (const r of trace) {
    seen.observe(r);
    if (r.kind !== 'fault' || r['fault'] !== fault) continue;
    const last = out[out.length - 1];
    if (last !== undefined && last.record.t === r.t && 'node' in r) last.nodes.push(r['node'] as string);
    else out.push({ nodes: 'node' in r ? [r['node'] as string] : [], record: r, leader: seen.leader, isr: seen.isr });
  }
  return out;
}

function trace(target: string, kinds: string[], seed: number, extra: Record<string, unknown> = {}): readonly TraceRecord[] {
  return runScenario(targeted(target, kinds, extra), seed, { recordTrace: true }).trace ?? [];
}

/** Long enough for a cascade's first node to be back before the faults stop. */
const CASCADING = { durationMs: 60000 };

describe('faults.targets roles', () => {
  it('leader: a crash hits the partition\'s leader as last elected', () => {
    let checked = 0;
    for (const seed of [1, 2, 3]) {
      for (const f of faultsWithView(trace('leader', ['crash'], seed), 'crash')) {
        expect(f.nodes).toEqual([f.leader]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(3);
  });

  /** A run's first cascade of `fault`: its first `size` records, `size` read from the view at its first. */
  function firstCascade(seen: ReturnType<typeof faultsWithView>, size: (f: (typeof seen)[number]) => number) {
    expect(seen.length).toBeGreaterThan(0);
    return seen.slice(0, size(seen[0]!));
  }

  /** One node each, CASCADE_GAP_FACTOR times broker.session.timeout.ms (9 s) apart. */
  function expectCascade(stages: ReturnType<typeof faultsWithView>): void {
    stages.forEach((f, i) => {
      expect(f.nodes).toHaveLength(1);
      if (i > 0) {
        const gapUs = f.record.t - stages[i - 1]!.record.t;
        expect(gapUs).toBeGreaterThanOrEqual(1.1 * 9_000_000 - 1000);
        expect(gapUs).toBeLessThanOrEqual(1.5 * 9_000_000 + 1000);
      }
    });
  }

  it('followers: a crash takes down every replica but the leader, one at a time', () => {
    for (const seed of [1, 2, 3]) {
      const all = faultsWithView(trace('followers', ['crash'], seed, CASCADING), 'crash');
      for (const f of all) expect(f.nodes).not.toContain(f.leader);
      const stages = firstCascade(all, () => REPLICAS.length - 1);
      expectCascade(stages);
      expect(stages.flatMap((f) => f.nodes).sort()).toEqual(REPLICAS.filter((b) => b !== stages[0]!.leader));
    }
  });

  it('isr: a pause freezes the in-sync replicas one at a time, the leader last', () => {
    let led = 0;
    for (const seed of [1, 2, 3, 4]) {
      const stages = firstCascade(faultsWithView(trace('isr', ['pause'], seed, CASCADING), 'pause'), (f) => f.isr.length);
      expectCascade(stages);
      const { isr, leader } = stages[0]!;
      // Leaderless (before the first election, or offline), the ISR as announced.
      if (leader !== null) led++;
      expect(stages.map((f) => f.nodes[0])).toEqual(leader === null ? isr : [...isr.filter((b) => b !== leader), leader]);
    }
    expect(led).toBeGreaterThan(1);
  });

  it('controller: a crash hits c1', () => {
    const crashes = faultsWithView(trace('controller', ['crash'], 1), 'crash');
    expect(crashes.length).toBeGreaterThan(1);
    for (const f of crashes) expect(f.nodes).toEqual(['c1']);
  });

  it('a role partition cuts the role off (from everyone, or from its peers only) and heals only its links', () => {
    const cuts = new Set<string>();
    for (const seed of [1, 2, 3]) {
      for (const f of faultsWithView(trace('leader', ['partition'], seed), 'partition')) {
        const [side, others] = f.record['groups'] as string[];
        expect(side).toBe(f.leader);
        cuts.add(others!.split(',').includes('c1') ? 'everyone' : others!.split(',').sort().join(','));
      }
      const heals = trace('leader', ['partition'], seed).filter((r) => r.kind === 'fault' && r['fault'] === 'heal');
      for (const h of heals) expect((h['nodes'] as string[]).length).toBe(1);
    }
    // Peers: the two followers only; everyone: the controller and the clients too.
    expect(cuts).toContain('everyone');
    expect([...cuts].filter((c) => c !== 'everyone').every((c) => c.split(',').length === 2)).toBe(true);
    expect(cuts.size).toBeGreaterThan(1);
  });

  it('slow-disk on the leader slows the leader, and its end restores factor 1', () => {
    const slows = faultsWithView(trace('leader', ['slow-disk'], 2), 'slow-disk');
    const starts = slows.filter((f) => f.record['factor'] !== 1);
    expect(starts.length).toBeGreaterThan(1);
    for (const f of starts) expect(f.nodes).toEqual([f.leader]);
    // Each start is undone on the same node, unless the settle phase came first.
    for (const f of starts) {
      const undone = slows.some((u) => u.record['factor'] === 1 && u.record.t > f.record.t && u.nodes[0] === f.nodes[0]);
      expect(undone || f.record.t > 30_000_000 - 3 * 9_000_000).toBe(true);
    }
  });

  it('a targeted run replays from the script it resolved to, with the same trace hash', () => {
    const scenario = parseScenario({
      durationMs: 30000, brokers: 4, topic: { partitions: 2, replicationFactor: 3 }, producers: [{ messagesPerSec: 50 }],
      consumers: [{ count: 1 }], faults: { mode: 'random', meanIntervalMs: 2000 },
    }, 'targeted-replay');
    let roles = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const first = runScenario(scenario, seed);
      const again = runScenario(scenario, seed);
      const replay = runScenario(scenario, seed, { plan: first.plan });
      expect(again.result.traceHash).toBe(first.result.traceHash);
      expect(replay.result.traceHash).toBe(first.result.traceHash);
      expect(replay.result.events).toBe(first.result.events);
      if (first.result.nemesis?.targets.some((t) => t !== 'any')) roles++;
    }
    expect(roles).toBeGreaterThan(2);
  });
});

describe('the new-leader target', () => {
  const scenario = (replication: string) => parseScenario({
    durationMs: 30000, brokers: 5, topic: { partitions: 1, replicationFactor: 5 }, protocol: { replication },
    producers: [{ messagesPerSec: 50 }], consumers: [],
    faults: { mode: 'random', kinds: ['crash', 'partition'], targets: ['any', 'new-leader'], swarm: false, meanIntervalMs: 3000 },
  }, `new-leader-${replication}`);

  it('strikes the leader just elected, within 100 ms of its election, and the run replays from its script', () => {
    for (const replication of ['raft', 'isr']) {
      let strikes = 0;
      for (const seed of [1, 2, 3]) {
        const first = runScenario(scenario(replication), seed, { recordTrace: true });
        const trace = first.trace ?? [];
        const elections = trace.filter((r) => r.kind === 'election' && r['partition'] === 0 && typeof r['leader'] === 'string');
        // The planned episodes start on whole milliseconds; a strike lands where the election put it.
        for (const f of trace.filter((r) => r.kind === 'fault' && (r['fault'] === 'crash' || r['fault'] === 'partition') && r.t % 1000 !== 0)) {
          // Elected at most 100 ms before (a later election in between may have replaced it).
          const recent = elections.filter((e) => e.t <= f.t && f.t - e.t <= 100_000);
          expect(recent.length).toBeGreaterThan(0);
          if (f['fault'] === 'crash') expect(recent.map((e) => e['leader'])).toContain(f.node);
          strikes++;
        }
        const replay = runScenario(scenario(replication), seed, { plan: first.plan });
        expect(replay.result.traceHash).toBe(first.result.traceHash);
      }
      expect(strikes).toBeGreaterThan(1);
    }
  });
});

describe('a controller quorum: the nemesis starts once the cluster is set up', () => {
  const quorum = (controllers: number) => parseScenario({
    durationMs: 20000, brokers: 3, controllers, topic: { partitions: 1, replicationFactor: 3 }, producers: [{ messagesPerSec: 50 }],
    consumers: [{ count: 1 }], faults: { mode: 'random', kinds: ['crash', 'partition', 'pause'], meanIntervalMs: 1000 },
  }, `quorum-${controllers}`);
  /** When the trace says the cluster was set up: every broker registered, every partition led, a controller active. */
  const setUpAt = (trace: readonly TraceRecord[]): number => {
    const registered = new Set<string>();
    const led = new Set<unknown>();
    for (const r of trace) {
      if (r.kind === 'registered') registered.add(String(r.node));
      // Partition 0 holds the data, 1 the group's offsets (2 is the metadata log).
      if (r.kind === 'election' && typeof r['leader'] === 'string') led.add(r['partition']);
      if (registered.size === 3 && led.has(0) && led.has(1)) return r.t;
    }
    return Infinity;
  };

  it('controllers: 3: no fault before every broker registered and every partition had a leader; the script replays', () => {
    let early = 0;
    for (const seed of [1, 2, 3, 4]) {
      const first = runScenario(quorum(3), seed, { recordTrace: true });
      const trace = first.trace ?? [];
      const faults = trace.filter((r) => r.kind === 'fault');
      expect(faults.length).toBeGreaterThan(0);
      expect(faults[0]!.t).toBeGreaterThan(setUpAt(trace));
      const replay = runScenario(quorum(3), seed, { plan: first.plan });
      expect(replay.result.traceHash).toBe(first.result.traceHash);
      // The same plan without the gate (one controller) strikes within the quorum's first election.
      const one = runScenario(quorum(1), seed, { recordTrace: true });
      if ((one.trace ?? []).some((r) => r.kind === 'fault' && r.t < 2_000_000)) early++;
    }
    expect(early).toBeGreaterThan(0);
  });
});

describe('the default nemesis and unclean election', () => {
  // RF 3, min.insync.replicas=1, acks=all, random partitions and crashes, no targets set (issue 18's
  // acceptance scenario). Of seeds 1-60 unclean election loses acknowledged writes in 16 and clean
  // election in none (README, Reliability); of seeds 1-15, in 6, 7 and 12. Before role episodes
  // cascaded (sim/nemesis.ts) it was 8 of 60, and 1 of these 15.
  const unclean = (on: boolean) => parseScenario({
    brokers: 3, topic: { partitions: 1, replicationFactor: 3 },
    broker: { 'min.insync.replicas': 1, 'unclean.leader.election.enable': on },
    producers: [{ acks: 'all' }], faults: { mode: 'random', kinds: ['partition', 'crash'] },
  }, `unclean-${on ? 'on' : 'off'}`);
  const seeds = Array.from({ length: 15 }, (_, i) => i + 1);
  const losing = (on: boolean) => seeds.filter((seed) => runScenario(unclean(on), seed).result.anomalies.some((a) => a.type === 'lost-write'));

  it('loses acknowledged writes in at least a fifth of the seeds with unclean election on, and in none with it off', () => {
    expect(losing(true).length).toBeGreaterThanOrEqual(seeds.length / 5);
    expect(losing(false)).toEqual([]);
  });
});
