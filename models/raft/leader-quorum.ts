// A Raft leader's rules where an ISR leader has the ISR's (the LeaderQuorum of ../leader.ts), after
// Kafka's LeaderState and KafkaRaftClient (KIP-595): the commit index (Kafka's high watermark) is the
// largest offset a majority of the voters has, the leader counting only what it has itself made
// durable; it moves only past the start of the leader's own epoch (its no-op entry), so entries of
// earlier terms are committed only by committing one of the current term (Raft §5.4.2, Figure 8). A
// fetch whose last epoch and offset are not on the leader's log is answered with the diverging epoch
// (validateOffsetAndEpoch), and the follower truncates. Check-quorum: a leader that has not heard a
// fetch from a majority within 1.5 × quorum.fetch.timeout.ms resigns.
import type { NodeId } from '../../sim/env.js';
import type { RaftConfig } from '../config.js';
import type { LeaderQuorum } from '../replication/leader.js';
import type { ReplicaCore } from '../replication/replica.js';
import { logFile } from '../replication/replica.js';

export class RaftLeaderQuorum implements LeaderQuorum {
  /** The leader's log end that counts toward the quorum: fsynced (raft.fsync), else the page cache's. */
  private durableEnd: number;
  private syncing = false;
  private syncAgain = false;
  private fetchedVoters = new Set<NodeId>();
  /** Asked for once the leader's durable end moved (LeaderRole.maybeAdvanceHighWatermark). */
  onDurable: () => void = () => undefined;

  constructor(
    private readonly core: ReplicaCore,
    private readonly config: RaftConfig,
    private readonly voters: number,
    /** The log end when this leader's epoch began: its first entry (the no-op) goes here. */
    private readonly epochStartOffset: number,
    private readonly session: number,
  ) {
    this.durableEnd = config.fsync ? -1 : core.log.logEndOffset;
  }

  diverging(fetchOffset: number, lastFetchedEpoch: number): { epoch: number; endOffset: number } | null {
    if (fetchOffset === 0 && lastFetchedEpoch < 0) return null;
    const end = this.core.log.endOffsetFor(lastFetchedEpoch);
    if (end.epoch === lastFetchedEpoch && end.endOffset >= fetchOffset) return null;
    return end;
  }

  fetched(from: NodeId): void {
    this.fetchedVoters.add(from);
  }

  /** Check-quorum, every 1.5 × fetch timeout: did a majority (the leader counts) fetch since the last check? */
  takeCheckQuorum(): boolean {
    const ok = this.fetchedVoters.size + 1 >= Math.floor(this.voters / 2) + 1;
    this.fetchedVoters = new Set();
    return ok;
  }

  commitIndex(followerEnds: readonly number[]): number {
    const ends = [Math.min(this.durableEnd, this.core.log.logEndOffset), ...followerEnds].sort((a, b) => b - a);
    const majority = ends[Math.floor(this.voters / 2)] ?? -1;
    // The planted bug (tests only): commit whatever a majority holds, of any term.
    if (this.config.plantedBug === 'commit-old-term') return majority;
    return majority > this.epochStartOffset ? majority : this.core.highWatermark;
  }

  appended(): void {
    const core = this.core;
    if (!this.config.fsync) {
      this.durableEnd = core.log.logEndOffset;
      return;
    }
    if (this.syncing) {
      this.syncAgain = true;
      return;
    }
    // Group commit: one fsync at a time; appends that land meanwhile share the next one.
    this.syncing = true;
    const upTo = core.log.logEndOffset;
    core.env.disk.fsync(logFile(core.partition), () => {
      this.syncing = false;
      if (core.session !== this.session) return;
      this.durableEnd = Math.max(this.durableEnd, upTo);
      if (this.syncAgain) {
        this.syncAgain = false;
        this.appended();
      }
      this.onDurable();
    });
  }
}
