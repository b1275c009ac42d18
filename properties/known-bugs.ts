// The known anomalies of KAFKA.md that ksim must rediscover, as data: which preset allows each,
// which anomaly a seed search hunts there, and which setting fixes it. The known-bug tests and the
// properties benchmark both read this table, so a preset retuned here is retuned everywhere.
import { readScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { parseScenario } from '../scenario/schema.js';
import type { AnomalyType, Json } from './anomaly.js';
import type { SearchResult } from './search.js';
import { searchSeeds } from './search.js';
import type { ShrinkResult } from './shrink.js';
import { shrinkFailure } from './shrink.js';

export interface KnownBug {
  /** KAFKA.md's number for it ("Known anomalies ksim must be able to rediscover"). */
  readonly number: number;
  readonly title: string;
  /**
   * The preset (scenario/presets/NAME.json) where a seed search finds it: random faults, or a fault
   * script whose outcome varies with the seed's latencies where random faults rarely build the case.
   */
  readonly preset: string;
  /** The anomaly that search hunts (found whether or not the preset allows it). */
  readonly target: AnomalyType;
  /** The setting that prevents it, in words. */
  readonly fix: string;
  /** That setting as a patch on the preset's JSON (applySettings). */
  readonly fixSettings: Json;
  /** Seeds a search may spend: the known-bug tests search seeds 1 … seedBudget. */
  readonly seedBudget: number;
  /** Most fault steps its shrunk case may keep where four cannot build it (the known-bug tests' default is four). */
  readonly maxShrunkSteps?: number;
}

export const KNOWN_BUGS: readonly KnownBug[] = [
  {
    number: 1, title: 'ISR shrinks to the leader, then unclean election', preset: 'jepsen-unclean-election', target: 'lost-write',
    fix: 'unclean election off and min.insync.replicas=2',
    fixSettings: { broker: { 'unclean.leader.election.enable': false, 'min.insync.replicas': 2 } }, seedBudget: 100,
  },
  {
    number: 2, title: 'acks=1, leader crash', preset: 'acks1-leader-crash', target: 'lost-write',
    fix: 'acks=all', fixSettings: { producers: [{ acks: 'all' }] }, seedBudget: 50,
  },
  {
    number: 3, title: 'acks=all with min.insync.replicas=1, then power loss', preset: 'acks-all-min-isr-1', target: 'lost-write',
    fix: 'flush.messages=1', fixSettings: { broker: { 'flush.messages': 1 } }, seedBudget: 50,
  },
  {
    number: 4, title: 'HW truncation then immediate election (KIP-101 #1)', preset: 'kip101-hw-truncation', target: 'lost-write',
    fix: 'leader-epoch truncation', fixSettings: { protocol: { truncation: 'leader-epoch' } }, seedBudget: 100,
  },
  {
    number: 5, title: 'divergence after a double power loss (KIP-101 #2)', preset: 'kip101-double-power-loss', target: 'log-divergence',
    fix: 'leader-epoch truncation', fixSettings: { protocol: { truncation: 'leader-epoch' } }, seedBudget: 50,
  },
  {
    number: 6, title: 'fast failover divergence (KIP-279)', preset: 'kip279-fast-failover', target: 'log-divergence',
    fix: 'the common-prefix walk', fixSettings: { protocol: { truncation: 'leader-epoch' } }, seedBudget: 30,
  },
  {
    number: 7, title: 'missed epoch change (KAFKA-7164)', preset: 'kafka7164-missed-epoch-change', target: 'log-divergence',
    fix: 'truncation on every epoch change', fixSettings: { protocol: { truncateOnEpochChange: true } }, seedBudget: 10,
  },
  {
    // Five steps, each needed (the shrinker drops none): the lagging follower cut from the leader and
    // a second ISR member cut from the next leader, that leader's answers to the follower lost, the
    // old leader's answers to it lost, and two crashes.
    number: 8, title: 'stale high watermark admits a lagging follower (KAFKA-7128)', preset: 'kafka7128-stale-hw-isr-join', target: 'lost-write',
    fix: 'joining the ISR only past the leader\'s epoch start', fixSettings: { protocol: { isrJoinPastEpochStart: true } }, seedBudget: 10,
    maxShrunkSteps: 5,
  },
  {
    number: 9, title: 'last replica standing (KIP-966)', preset: 'kip966-last-replica-standing', target: 'committed-record-lost',
    fix: 'flush.messages=1', fixSettings: { broker: { 'flush.messages': 1 } }, seedBudget: 50,
  },
  {
    number: 10, title: 'producer retry duplicates', preset: 'retry-duplicates', target: 'duplicate',
    fix: 'enable.idempotence=true', fixSettings: { producers: [{ 'enable.idempotence': true }] }, seedBudget: 50,
  },
  {
    number: 11, title: 'consumer commit order: commit before processing', preset: 'commit-before-process', target: 'lost-delivery',
    fix: 'commit after processing', fixSettings: { consumers: [{ commit: 'after-process' }] }, seedBudget: 50,
  },
  {
    // Three steps, each needed: the producer's slow links, the 40 s cut from the coordinator, the heal
    // (after which the held EndTxn arrives). Seed 8 is the first with an intermediate read (seed 1
    // shows an aborted read).
    number: 12, title: 'delayed EndTxn of an earlier transaction (KAFKA-17754)', preset: 'kafka17754-delayed-endtxn', target: 'intermediate-read',
    fix: 'KIP-890 part 2 (an epoch bump per transaction)', fixSettings: { protocol: { transactionEpochBump: true } }, seedBudget: 10,
  },
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Patches raw scenario JSON: objects merge key by key, arrays element by element (so
 * `{ producers: [{ acks: 'all' }] }` changes the first producer's acks only), anything else replaces.
 * Neither input is modified.
 */
export function applySettings(raw: unknown, patch: unknown): unknown {
  if (Array.isArray(patch)) {
    const base: unknown[] = Array.isArray(raw) ? raw : [];
    const length = Math.max(base.length, patch.length);
    return Array.from({ length }, (_, i) => (i < patch.length ? applySettings(base[i], patch[i]) : base[i]));
  }
  if (!isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = isPlainObject(raw) ? { ...raw } : {};
  for (const [key, value] of Object.entries(patch)) out[key] = applySettings(out[key], value);
  return out;
}

/** The bug's preset as a Scenario; with `fixed`, with its fix applied (named `<preset>+fix`). */
export function knownBugScenario(bug: KnownBug, fixed = false): Scenario {
  const { source, raw } = readScenario(bug.preset);
  if (!fixed) return parseScenario(raw, source);
  const patched = applySettings(raw, bug.fixSettings) as Record<string, unknown>;
  return parseScenario({ ...patched, name: `${bug.preset}+fix` }, `${source} with ${bug.fix}`);
}

export interface HuntOptions {
  /** First seed (default 1). */
  readonly from?: number;
  /** Seeds to search (default the bug's seedBudget). */
  readonly count?: number;
  /** Search the fixed configuration instead. */
  readonly fixed?: boolean;
  /** Shrink the first failure within this many runs; 0 skips shrinking (default 0). */
  readonly shrinkRuns?: number;
}

export interface Hunt {
  readonly scenario: Scenario;
  readonly search: SearchResult;
  /** The first failure shrunk, when asked for and found. */
  readonly shrunk?: ShrinkResult;
}

/** A seed search for the bug's target in its preset (or its fixed preset), then optionally a shrink. */
export function huntKnownBug(bug: KnownBug, opts: HuntOptions = {}): Hunt {
  const scenario = knownBugScenario(bug, opts.fixed ?? false);
  const search = searchSeeds(scenario, { from: opts.from ?? 1, count: opts.count ?? bug.seedBudget, stopAtFirst: true, target: bug.target });
  const shrinkRuns = opts.shrinkRuns ?? 0;
  if (search.first === undefined || shrinkRuns <= 0) return { scenario, search };
  const shrunk = shrinkFailure(scenario, search.first.seed, search.first.output.plan, bug.target, { maxRuns: shrinkRuns });
  return { scenario, search, shrunk };
}
