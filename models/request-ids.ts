// Request ids unique to one incarnation of a process. Replies are matched to requests by id; a reply
// to a request of an earlier incarnation (a coordinator answering a parked JoinGroup after the
// client restarted, a leader answering a long-polled fetch) arrives at the same node name, and over
// real TCP it would belong to a connection that died with the old process. Starting each incarnation
// at its own random base (its random stream is fresh per incarnation) keeps such a reply from ever
// matching a request of the new one.
import type { Env } from '../sim/env.js';

/** Ids step by 1 from here; 2^20 requests fit before the next base could be reached. */
export function firstRequestId(env: Env): number {
  return env.random.int(1, 2 ** 30) * 2 ** 20;
}
