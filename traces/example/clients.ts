// The example's clients: the producer sends every 100 ms to the leader it knows; the consumer
// polls the leader every 250 ms, processes what is below the high watermark, and commits each
// second to the group coordinator (b2). Produces without an answer end as send-info.
import { VALUE_STRIDE } from '../../models/history/history.js';
import { hwAt, type Acked, type HighWatermarks } from './acks.js';
import { REQUEST_TIMEOUT, type ControlTimes } from './control.js';
import type { Replication } from './replication.js';
import { END, MS, type World } from './world.js';

/** Runs the producer's ticks, letting the brokers follow their new leaders at the right moments. */
export function runProducer(r: Replication, times: ControlTimes): void {
  const transitions = [
    { at: times.b3FollowsB2At, run: () => r.follow('b3', 'b2', times.b3FollowsB2At) },
    { at: times.b1FollowsAt, run: () => r.truncateB1(times.b1FollowsAt) },
  ];
  let n = 0;
  for (let t = 98.5 * MS; t < END - 100 * MS; t += 100 * MS) {
    while (transitions[0] !== undefined && transitions[0].at <= t) transitions.shift()?.run();
    r.produce(t, ++n, t < times.producerSwitchAt ? 'b1' : 'b2');
  }
  for (const transition of transitions) transition.run();
}

export function producerTimeouts(w: World, r: Replication, acked: readonly Acked[]): void {
  const answered = new Set(acked.map((a) => a.value));
  const unanswered = [...r.stranded, ...r.appends.filter((a) => !answered.has(a.value))];
  for (const { value, sentAt } of unanswered) {
    if (sentAt + REQUEST_TIMEOUT < END) w.add(sentAt + REQUEST_TIMEOUT, 'send-info', 'p1', { value, partition: 0, error: 'REQUEST_TIMED_OUT' });
  }
}

export function runConsumer(w: World, hws: HighWatermarks, acked: readonly Acked[], times: ControlTimes): void {
  const valueAt = new Map(acked.map((a) => [a.offset, a.value]));
  let position = 0;
  for (let t = 200 * MS; t < END - 50 * MS; t += 250 * MS) {
    const leader = t < times.consumerSwitchAt ? 'b1' : 'b2';
    const asked = w.send('k1', leader, 'Fetch', t, 64);
    if (asked === undefined) continue;
    const hw = hwAt(hws, leader, asked);
    const back = w.send(leader, 'k1', 'FetchResponse', asked + w.jitter(40, 120), 80 + Math.max(0, hw - position) * 240);
    if (back === undefined) continue;
    if (hw > position) {
      w.add(back, 'poll', 'k1', { partition: 0, from: position, count: hw - position });
      for (let offset = position; offset < hw; offset++) {
        w.add(back + 200 + (offset - position) * 1000, 'process', 'k1', { partition: 0, offset, value: valueAt.get(offset) ?? VALUE_STRIDE });
      }
      position = hw;
    }
    // The consumer commits what it processed about once a second (auto-commit).
    if (Math.floor((t + 250 * MS) / (1000 * MS)) > Math.floor(t / (1000 * MS))) commit(w, back + 20 * MS, position);
  }
}

function commit(w: World, t: number, offset: number): void {
  const at = w.roundTrip('k1', 'b2', 'OffsetCommit', 'OffsetCommitResponse', t);
  if (at !== undefined) w.add(at, 'commit', 'k1', { partition: 0, offset, ok: true });
}
