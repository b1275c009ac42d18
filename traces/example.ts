// A plausible synthetic trace of 4.5 simulated seconds, for documentation and for trying the views
// without running a simulation: three brokers (b1 leads partition 0), the controller c1, a
// producer p1 (acks=all, one record every 100 ms) and a consumer k1. b3 pauses for 0.9 s and drops
// out of the ISR, then rejoins; then the network splits {b1, p1} from the rest for 1.8 s: the
// controller fences b1 and elects b2, while b1 keeps taking p1's records alone. None of those is
// acked (the producer's outcome is unknown) and b1 truncates them when it rejoins as a follower.
import type { TraceRecord } from '../sim/trace-record.js';
import { acknowledge, followerHighWatermarks } from './example/acks.js';
import { producerTimeouts, runConsumer, runProducer } from './example/clients.js';
import { control } from './example/control.js';
import { deriveIsr, Replication } from './example/replication.js';
import { World } from './example/world.js';

export function exampleTrace(): TraceRecord[] {
  const w = new World();
  const times = control(w);
  const replication = new Replication(w, times);
  runProducer(replication, times);
  deriveIsr(w, replication, times);
  const { acked, hws } = acknowledge(w, replication);
  followerHighWatermarks(w, replication, hws);
  runConsumer(w, hws, acked, times);
  producerTimeouts(w, replication, acked);
  return w.sorted();
}
