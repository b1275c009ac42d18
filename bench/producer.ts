// Producer section: what the producer model delivers, in simulated time (the figures are results of
// deterministic runs, not machine speed: the same tree gives the same table on any machine). With
// no faults, RF 3, acks=all and 100-byte values: ack latency p50/p99 (of the sends after the
// cluster's first second) and acknowledged throughput (acks per second of the 10 s load) at 100 to
// 10,000 sends/s for linger.ms 0, 5 and 50. After an 8 s producer outage at 1,000 sends/s
// (p1 cut off from 5 s to 13 s of a 20 s load): how long the backlog takes to drain after the heal,
// and the run's ack latency p50.
import type { History } from '../models/history/history-log.js';
import { percentileOfSorted, simulate } from '../scenario/run.js';
import { parseScenario } from '../scenario/schema.js';
import { registerBench } from './sections.js';

const RATES = [100, 1000, 4000, 10000];
const LINGERS = [0, 5, 50];
const LOAD_MS = 10000;
/**
 * Sends before this are left out of the no-fault figures: the cluster's start (brokers registering,
 * the first elections, the producer's first metadata and producer id) takes about 0.9 s, and at
 * 100 sends/s its first values would be the whole 1 % tail.
 */
const WARM_UP_MS = 1000;
const OUTAGE = { fromMs: 5000, toMs: 13000, loadMs: 20000, rate: 1000 };
const SEED = 1;

/** Ack latencies (µs) of the sends invoked in [fromUs, toUs), and the acks that came before `loadEndUs`. */
function acks(history: History, fromUs: number, toUs: number, loadEndUs: number): { latencies: number[]; lastAckUs: number; ackedInLoad: number; sent: number } {
  const invoked = new Map<number, number>();
  const latencies: number[] = [];
  let lastAckUs = 0;
  let ackedInLoad = 0;
  for (let i = 0; i < history.length; i++) {
    const kind = history.kind(i);
    if (kind === 'send-invoke') {
      const t = history.time(i);
      if (t >= fromUs && t < toUs) invoked.set(history.value(i), t);
    } else if (kind === 'send-ok') {
      const t = history.time(i);
      if (t < loadEndUs) ackedInLoad++;
      const start = invoked.get(history.value(i));
      if (start === undefined) continue;
      latencies.push(t - start);
      lastAckUs = Math.max(lastAckUs, t);
    }
  }
  latencies.sort((a, b) => a - b);
  return { latencies, lastAckUs, ackedInLoad, sent: invoked.size };
}

/** As the run's stats take a percentile (scenario/run.ts), but NaN, not 0, when nothing was acknowledged. */
function percentileMs(sorted: readonly number[], q: number): number {
  return sorted.length === 0 ? NaN : percentileOfSorted(sorted, q);
}

function noFaults(rate: number, linger: number): Record<string, number> {
  const scenario = parseScenario({
    name: 'bench-producer', durationMs: LOAD_MS, settleMs: 10000, consumers: [], faults: { mode: 'none' },
    producers: [{ messagesPerSec: rate, 'linger.ms': linger }],
  }, 'bench');
  const { history } = simulate(scenario, SEED);
  const { latencies, ackedInLoad, sent } = acks(history, WARM_UP_MS * 1000, Infinity, LOAD_MS * 1000);
  return {
    p50Ms: percentileMs(latencies, 0.5), p99Ms: percentileMs(latencies, 0.99),
    ackedPerSec: Math.round(ackedInLoad / (LOAD_MS / 1000)), ackedPct: Math.round(latencies.length / sent * 1000) / 10,
  };
}

function afterOutage(linger: number): Record<string, number> {
  const scenario = parseScenario({
    name: 'bench-producer-outage', durationMs: OUTAGE.loadMs, settleMs: 10000, consumers: [],
    producers: [{ messagesPerSec: OUTAGE.rate, 'linger.ms': linger }],
    faults: { mode: 'script', steps: [{ atMs: OUTAGE.fromMs, fault: 'partition', isolate: ['p1'] }, { atMs: OUTAGE.toMs, fault: 'heal' }] },
  }, 'bench');
  const { history } = simulate(scenario, SEED);
  const backlog = acks(history, OUTAGE.fromMs * 1000, OUTAGE.toMs * 1000, Infinity);
  const all = acks(history, 0, Infinity, Infinity);
  return {
    drainMs: Math.round((backlog.lastAckUs - OUTAGE.toMs * 1000) / 1000),
    backlogAckedPct: Math.round(backlog.latencies.length / backlog.sent * 1000) / 10,
    p50Ms: percentileMs(all.latencies, 0.5),
  };
}

function measure(): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const rate of RATES) {
    for (const linger of LINGERS) {
      for (const [k, v] of Object.entries(noFaults(rate, linger))) metrics[`r${rate}.linger${linger}.${k}`] = v;
    }
  }
  for (const linger of LINGERS) {
    for (const [k, v] of Object.entries(afterOutage(linger))) metrics[`outage.linger${linger}.${k}`] = v;
  }
  return metrics;
}

registerBench('producer', 'ack latency and throughput (simulated), no faults, RF 3, acks=all; drain after an 8 s outage at 1,000 sends/s', measure);
