// A small hand-built trace of a 3-broker run: boot, one produce replicated and acked, b1 isolated
// (a fetch and a produce dropped), b1 fenced and b2 elected, b3 crashed and restarted, the heal,
// b1 truncating and rejoining, producer outcomes ok / info / fail, a consumer, machinery records
// (a timer, a disk write, a poll), a message still in flight at the end, and an unknown kind.
import type { TraceRecord } from '../../sim/trace-record.js';

export const V1 = 10_000_001;
export const V2 = 10_000_002;
export const V3 = 10_000_003;

export const FIXTURE: readonly TraceRecord[] = [
  { t: 0, kind: 'node', node: 'b1', state: 'up', incarnation: 1 },
  { t: 0, kind: 'node', node: 'b2', state: 'up', incarnation: 1 },
  { t: 0, kind: 'node', node: 'b3', state: 'up', incarnation: 1 },
  { t: 0, kind: 'node', node: 'c1', state: 'up', incarnation: 1 },
  { t: 0, kind: 'node', node: 'p1', state: 'up', incarnation: 1 },
  { t: 0, kind: 'node', node: 'k1', state: 'up', incarnation: 1 },
  { t: 100, kind: 'assign', node: 'k1', partitions: [0], generation: 1 },
  { t: 1000, kind: 'election', node: 'c1', partition: 0, leader: 'b1', epoch: 1, how: 'clean' },
  { t: 1500, kind: 'leader', node: 'b1', partition: 0, epoch: 1, isr: ['b1', 'b2', 'b3'] },
  { t: 1600, kind: 'follower', node: 'b2', partition: 0, epoch: 1, leader: 'b1' },
  { t: 1600, kind: 'follower', node: 'b3', partition: 0, epoch: 1, leader: 'b1' },
  { t: 2000, kind: 'send', node: 'p1', value: V1, partition: 0 },
  { t: 2000, kind: 'send', node: 'p1', to: 'b1', msg: 'Produce', id: 1, bytes: 200 },
  { t: 2500, kind: 'deliver', node: 'b1', from: 'p1', msg: 'Produce', id: 1 },
  { t: 2550, kind: 'disk-write', node: 'b1', file: 'p0.log', entries: 1, bytes: 200 },
  { t: 2600, kind: 'send', node: 'b1', to: 'b2', msg: 'FetchResponse', id: 2, bytes: 300 },
  { t: 2600, kind: 'send', node: 'b1', to: 'b3', msg: 'FetchResponse', id: 3, bytes: 300 },
  { t: 3100, kind: 'deliver', node: 'b2', from: 'b1', msg: 'FetchResponse', id: 2 },
  { t: 3200, kind: 'deliver', node: 'b3', from: 'b1', msg: 'FetchResponse', id: 3 },
  { t: 3300, kind: 'send', node: 'b2', to: 'b1', msg: 'Fetch', id: 4, bytes: 64 },
  { t: 3400, kind: 'send', node: 'b3', to: 'b1', msg: 'Fetch', id: 5, bytes: 64 },
  { t: 3800, kind: 'deliver', node: 'b1', from: 'b2', msg: 'Fetch', id: 4 },
  { t: 3900, kind: 'deliver', node: 'b1', from: 'b3', msg: 'Fetch', id: 5 },
  { t: 4000, kind: 'hw', node: 'b1', partition: 0, hw: 1 },
  { t: 4000, kind: 'send', node: 'b1', to: 'p1', msg: 'ProduceResponse', id: 6, bytes: 48 },
  { t: 4400, kind: 'deliver', node: 'p1', from: 'b1', msg: 'ProduceResponse', id: 6 },
  { t: 4400, kind: 'send-ok', node: 'p1', value: V1, partition: 0, offset: 0 },
  { t: 5000, kind: 'fault', fault: 'partition', isolate: ['b1'] },
  { t: 5100, kind: 'send', node: 'b2', to: 'b1', msg: 'Fetch', id: 7, bytes: 64 },
  { t: 5100, kind: 'drop', node: 'b1', from: 'b2', msg: 'Fetch', id: 7, reason: 'cut' },
  { t: 5200, kind: 'send', node: 'p1', value: V2, partition: 0 },
  { t: 5200, kind: 'send', node: 'p1', to: 'b1', msg: 'Produce', id: 8, bytes: 200 },
  { t: 5300, kind: 'drop', node: 'b1', from: 'p1', msg: 'Produce', id: 8, reason: 'cut' },
  { t: 5800, kind: 'isr', node: 'b1', partition: 0, isr: ['b1'], partitionEpoch: 2 },
  { t: 6000, kind: 'fenced', node: 'c1', broker: 'b1' },
  { t: 6000, kind: 'election', node: 'c1', partition: 0, leader: 'b2', epoch: 2, how: 'clean' },
  { t: 6100, kind: 'send', node: 'c1', to: 'b2', msg: 'LeaderAndIsr', id: 9, bytes: 90 },
  { t: 6500, kind: 'deliver', node: 'b2', from: 'c1', msg: 'LeaderAndIsr', id: 9 },
  { t: 6500, kind: 'leader', node: 'b2', partition: 0, epoch: 2, isr: ['b2', 'b3'] },
  { t: 7000, kind: 'fault', node: 'b3', fault: 'crash' },
  { t: 7000, kind: 'node', node: 'b3', state: 'crashed', incarnation: 1 },
  { t: 7200, kind: 'send-info', node: 'p1', value: V2, partition: 0, error: 'REQUEST_TIMED_OUT' },
  { t: 8000, kind: 'fault', fault: 'heal' },
  { t: 8500, kind: 'fault', node: 'b3', fault: 'restart' },
  { t: 8500, kind: 'node', node: 'b3', state: 'up', incarnation: 2 },
  { t: 9000, kind: 'truncate', node: 'b1', partition: 0, from: 2, to: 1 },
  { t: 9100, kind: 'follower', node: 'b1', partition: 0, epoch: 2, leader: 'b2' },
  { t: 9200, kind: 'isr', node: 'b2', partition: 0, isr: ['b2', 'b3', 'b1'], partitionEpoch: 4 },
  { t: 9300, kind: 'hw', node: 'b2', partition: 0, hw: 2 },
  { t: 9400, kind: 'send-fail', node: 'p1', value: V3, partition: 0, error: 'NOT_LEADER_OR_FOLLOWER' },
  { t: 9500, kind: 'timer', node: 'b1', id: 3 },
  { t: 9600, kind: 'poll', node: 'k1', partition: 0, from: 0, count: 2 },
  { t: 9700, kind: 'send', node: 'b2', to: 'b3', msg: 'FetchResponse', id: 10, bytes: 80 },
  { t: 9800, kind: 'commit', node: 'k1', partition: 0, offset: 2, ok: true },
  { t: 10000, kind: 'mystery', node: 'b3', colour: 'teal', level: 3 },
];

/** What the fixture holds, for tests to compare against. */
export const FIXTURE_COUNTS = {
  lanes: ['b1', 'b2', 'b3', 'c1', 'p1', 'k1'],
  messages: 10,
  dropped: 2,
  inFlight: 1,
  faultPeriods: 2,
};
