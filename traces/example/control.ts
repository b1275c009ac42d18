// The example's control plane: boot, broker heartbeats to the controller, the faults, fencing b1
// and electing b2 when b1's session expires, clients refreshing metadata, and b1 rejoining as a
// follower after the heal.
import { CUT, END, MS, PAUSE, type World } from './world.js';

const BROKERS = ['b1', 'b2', 'b3'];
const SESSION_TIMEOUT = 1200 * MS;
export const REQUEST_TIMEOUT = 1000 * MS;
/** The first produce the cut strands is sent at this time (the producer ticks at 98.5 ms + k·100 ms). */
const FIRST_STRANDED_SEND = 1998.5 * MS;

export interface ControlTimes {
  /** b2 learns it leads (epoch 2) and b3 that it follows b2. */
  readonly b2LeaderAt: number;
  readonly b3FollowsB2At: number;
  /** The producer and the consumer learn from metadata that b2 leads. */
  readonly producerSwitchAt: number;
  readonly consumerSwitchAt: number;
  /** b1 learned where its log diverges and starts following b2. */
  readonly b1FollowsAt: number;
}

export function boot(w: World): void {
  for (const node of [...BROKERS, 'c1', 'p1', 'k1']) w.add(0, 'node', node, { state: 'up', incarnation: 1 });
  w.add(5 * MS, 'election', 'c1', { partition: 0, leader: 'b1', epoch: 1, how: 'clean' });
  for (const broker of BROKERS) {
    const at = w.send('c1', broker, 'LeaderAndIsr', 5 * MS) ?? 0;
    if (broker === 'b1') w.add(at, 'leader', broker, { partition: 0, epoch: 1, isr: BROKERS });
    else w.add(at, 'follower', broker, { partition: 0, epoch: 1, leader: 'b1' });
  }
  const joined = w.roundTrip('k1', 'b2', 'JoinGroup', 'JoinGroupResponse', 20 * MS) ?? 0;
  w.add(joined + 200, 'assign', 'k1', { partitions: [0], generation: 1 });
}

export function faults(w: World): void {
  w.add(PAUSE.from, 'fault', PAUSE.node, { fault: 'pause' });
  w.add(PAUSE.from, 'node', PAUSE.node, { state: 'paused', incarnation: 1 });
  w.add(PAUSE.to, 'fault', PAUSE.node, { fault: 'resume' });
  w.add(PAUSE.to, 'node', PAUSE.node, { state: 'resumed', incarnation: 1 });
  w.add(CUT.from, 'fault', undefined, { fault: 'partition', groups: [CUT.side.join(','), 'b2,b3,c1,k1'] });
  w.add(CUT.to, 'fault', undefined, { fault: 'heal' });
}

/** Heartbeats every 400 ms per broker; returns when each of b1's reached the controller. */
function heartbeats(w: World): number[] {
  const b1Arrivals: number[] = [];
  BROKERS.forEach((broker, i) => {
    for (let t = 150 * MS + i * 110 * MS; t < END; t += 400 * MS) {
      if (w.isPaused(broker, t)) continue;
      const at = w.send(broker, 'c1', 'BrokerHeartbeat', t);
      if (at === undefined) continue;
      w.send('c1', broker, 'BrokerHeartbeatResponse', at + w.jitter(20, 60));
      if (broker === 'b1') b1Arrivals.push(at);
    }
  });
  return b1Arrivals;
}

function electB2(w: World, at: number): { b2LeaderAt: number; b3FollowsB2At: number } {
  w.add(at, 'fenced', 'c1', { broker: 'b1' });
  w.add(at + 40, 'election', 'c1', { partition: 0, leader: 'b2', epoch: 2, how: 'clean' });
  const b2LeaderAt = w.send('c1', 'b2', 'LeaderAndIsr', at + 60) ?? at;
  const b3FollowsB2At = w.send('c1', 'b3', 'LeaderAndIsr', at + 70) ?? at;
  w.send('c1', 'b1', 'LeaderAndIsr', at + 80);
  w.add(b2LeaderAt, 'leader', 'b2', { partition: 0, epoch: 2, isr: ['b2', 'b3'] });
  w.add(b3FollowsB2At, 'follower', 'b3', { partition: 0, epoch: 2, leader: 'b2' });
  return { b2LeaderAt, b3FollowsB2At };
}

/** Clients time out on b1, ask the controller for metadata until it names b2. */
function refreshMetadata(w: World, client: string, from: number, leaderKnownAt: number): number {
  for (let t = from; t < END; t += 250 * MS) {
    const at = w.roundTrip(client, 'c1', 'Metadata', 'MetadataResponse', t);
    if (at !== undefined && t > leaderKnownAt) return at;
  }
  return END;
}

function rejoinB1(w: World, heartbeatAt: number): number {
  w.add(heartbeatAt + 30, 'unfenced', 'c1', { broker: 'b1' });
  const told = w.send('c1', 'b1', 'LeaderAndIsr', heartbeatAt + 60) ?? heartbeatAt;
  w.add(told, 'follower', 'b1', { partition: 0, epoch: 2, leader: 'b2' });
  return w.roundTrip('b1', 'b2', 'OffsetsForLeaderEpoch', 'OffsetsForLeaderEpochResponse', told + 50) ?? told;
}

export function control(w: World): ControlTimes {
  boot(w);
  faults(w);
  const arrivals = heartbeats(w);
  const lastBeforeCut = arrivals.filter((t) => t < CUT.from).at(-1) ?? 0;
  const firstAfterHeal = arrivals.find((t) => t >= CUT.to) ?? END;
  const { b2LeaderAt, b3FollowsB2At } = electB2(w, lastBeforeCut + SESSION_TIMEOUT);
  return {
    b2LeaderAt, b3FollowsB2At,
    producerSwitchAt: refreshMetadata(w, 'p1', FIRST_STRANDED_SEND + REQUEST_TIMEOUT, b2LeaderAt),
    consumerSwitchAt: refreshMetadata(w, 'k1', FIRST_STRANDED_SEND + REQUEST_TIMEOUT + 37 * MS, b2LeaderAt),
    b1FollowsAt: rejoinB1(w, firstAfterHeal),
  };
}
