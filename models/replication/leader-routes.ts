// What a hosted partition, ISR or Raft, does with writes addressed to its leader: hands them to its
// leader role, or refuses them at once when it has none (NOT_LEADER_OR_FOLLOWER, as Kafka's
// ReplicaManager answers a partition this broker does not lead).
import type { Acks } from '../config.js';
import type { ProduceBatch } from '../messages.js';
import type { InternalPayload, MarkerPayload } from '../transactions/txn-records.js';
import type { AppendDone, LeaderRole } from './leader.js';

export abstract class LeaderRoutes {
  protected leaderRole: LeaderRole | null = null;

  /** A client's batch for this partition: refused at once unless this replica leads. */
  appendClient(batch: ProduceBatch, acks: Acks, timeoutUs: number, done: AppendDone): void {
    if (this.leaderRole === null) return done('NOT_LEADER_OR_FOLLOWER', -1);
    this.leaderRole.appendClient(batch, acks, timeoutUs, done);
  }

  /** A coordinator's local append (acks=all); refused at once unless this replica leads. */
  appendInternal(payloads: readonly InternalPayload[], timeoutUs: number, done: AppendDone): void {
    if (this.leaderRole === null) return done('NOT_LEADER_OR_FOLLOWER', -1);
    this.leaderRole.appendInternal(payloads, timeoutUs, done);
  }

  /** A transaction marker (WriteTxnMarkers); refused at once unless this replica leads. */
  appendMarker(marker: MarkerPayload, timeoutUs: number, done: AppendDone): void {
    if (this.leaderRole === null) return done('NOT_LEADER_OR_FOLLOWER', -1);
    this.leaderRole.appendMarker(marker, timeoutUs, done);
  }
}
