// How long the settle phase may take before a run counts as not settled (the cap), and how long the
// final drain may read: both derived from the scenario's own timeouts and load, so that a scenario
// with Kafka's defaults gets a cap that Kafka's own recovery fits in. docs/settle.md explains each
// term; a run stops as soon as it is quiescent, so a generous cap costs only the runs that are stuck.
import { MAX_FETCH_RECORDS } from '../models/config.js';
import { recordBytes } from '../models/replication/records.js';
import { COORDINATOR_REQUEST_TIMEOUT_US } from '../models/groups/group-calls.js';
import { INITIAL_REBALANCE_DELAY_US } from '../models/groups/group-membership.js';
import type { Scenario } from './schema.js';

/** Slack on top of the derived terms: metadata refreshes, backoffs, the 100 ms check grid. */
const MARGIN_MS = 10_000;
/** The Java client's JOIN_GROUP_TIMEOUT_LAPSE: a JoinGroup waits this much beyond its timeout. */
const JOIN_LAPSE_MS = 5_000;
/** The drain's own fixed allowance: finding leaders, a few long polls. */
const DRAIN_BASE_MS = 10_000;

/** Every value the load phase offers, over all producers. */
export function valuesOffered(s: Scenario): number {
  return Math.ceil(s.producers.reduce((sum, p) => sum + p.messagesPerSec * p.count, 0) * s.durationMs / 1000);
}

/** One fetch of MAX_FETCH_RECORDS records: a round trip at the slowest latency plus its transfer on the NIC. */
function fetchRoundTripMs(s: Scenario): number {
  // A record on the wire, the largest producer's.
  const bytes = recordBytes(Math.max(0, ...s.producers.map((p) => p.valueBytes)));
  const transferMs = (MAX_FETCH_RECORDS * bytes * 8) / (s.network.nicMbps * 1000);
  return 2 * s.network.latencyMs.max + transferMs;
}

/** The consumer-group terms: the longest any group may take to lose a dead member and rebalance. */
function groupTermsMs(s: Scenario): number {
  if (s.consumers.length === 0) return 0;
  let worst = 0;
  for (const k of s.consumers) {
    const session = k['session.timeout.ms'];
    const joinWait = Math.min(session, k['max.poll.interval.ms']) + JOIN_LAPSE_MS;
    // A dead member expires after a session; a coordinator failover restarts the wait (Kafka's
    // GroupCoordinator.onGroupLoaded), so allow it twice. A JoinGroup lost to a cut is asked again
    // after joinWait; one coordinator request may be lost; a group forming from empty waits
    // group.initial.rebalance.delay.ms.
    const terms = 2 * session + joinWait + COORDINATOR_REQUEST_TIMEOUT_US / 1000 + INITIAL_REBALANCE_DELAY_US / 1000;
    worst = Math.max(worst, terms);
  }
  return worst;
}

/** Time for one consumer to process every value of the run: the backlog of a group stuck all along. */
function backlogMs(s: Scenario): number {
  if (s.consumers.length === 0) return 0;
  const values = valuesOffered(s);
  const processingMs = Math.max(...s.consumers.map((k) => k.processingMs));
  return values * processingMs + Math.ceil(values / MAX_FETCH_RECORDS) * fetchRoundTripMs(s);
}

/**
 * The settle cap when the scenario gives no settleMs: broker.session.timeout.ms (fencing and
 * re-registration) + replica.lag.time.max.ms (a lagging follower leaves the ISR, then rejoins) +
 * the longest delivery.timeout.ms (outstanding sends end) + the group terms + the backlog + margin.
 */
export function derivedSettleCapMs(s: Scenario): number {
  const deliveryMs = Math.max(0, ...s.producers.map((p) => p['delivery.timeout.ms']));
  const total = s.broker['broker.session.timeout.ms'] + s.broker['replica.lag.time.max.ms'] + deliveryMs + groupTermsMs(s) + backlogMs(s) + MARGIN_MS;
  return Math.ceil(total);
}

/** The cap in force: the scenario's settleMs, else the derived one. */
export function settleCapMs(s: Scenario): number {
  return s.settleMs ?? derivedSettleCapMs(s);
}

/** How long the final drain may read: a fixed allowance plus one fetch round trip per MAX_FETCH_RECORDS values. */
export function drainCapMs(s: Scenario): number {
  return Math.ceil(DRAIN_BASE_MS + Math.ceil(valuesOffered(s) / MAX_FETCH_RECORDS) * fetchRoundTripMs(s));
}
