// One partition's replica as a member of the partition's Raft group (protocol.replication raft,
// the Redpanda design; Kafka's own KRaft runs the same protocol for its metadata log). The election
// state follows Kafka's QuorumState with its Unattached, Prospective (KIP-996 pre-vote), Candidate,
// Leader and Follower states, persisted like its quorum-state file; replication is KIP-595's pull:
// followers fetch (./follower.ts) and the leader answers through the ISR leader's fetch path with
// Raft's rules in place of the ISR's (./leader-quorum.ts). The term is the leader epoch, so clients
// see a Raft leader as they see an ISR leader. No controller takes part in an election: the leader
// only tells the controller, which spreads it in the metadata clients read.
import type { Env, NodeId, Random } from '../../sim/env.js';
import type { RaftConfig } from '../config.js';
import { HEADER_BYTES } from '../config.js';
import type { ReplicaState } from '../history/history.js';
import { VALUE_STRIDE } from '../history/history.js';
import { LeaderRole } from '../replication/leader.js';
import { answerListOffsets } from '../replication/list-offsets.js';
import type {
  ConsumerFetch, EpochQuery, ErrorCode, FetchRequest, FetchResponse, ListOffsetsRequest, PartitionMeta,
} from '../messages.js';
import { batchBytes, finalRecordsOf } from '../replication/records.js';
import type { BrokerContext } from '../replication/replica.js';
import { ReplicaCore } from '../replication/replica.js';
import { LeaderRoutes } from '../replication/leader-routes.js';
import { txnState } from '../transactions/txn-records.js';
import { RaftFollower, lastEntryEpoch } from './follower.js';
import { RaftLeaderQuorum } from './leader-quorum.js';
import type { RaftBeginEpoch, RaftInbound, RaftVote, RaftVoteResponse } from './messages.js';

export type RaftState = 'unattached' | 'prospective' | 'candidate' | 'leader' | 'follower';

/** KafkaRaftClient resends the leader's notice this often until the controller has it. */
const NOTICE_RETRY_US = 1_000_000;
/** Terms a no-op value can name (see noopValue). */
const MAX_TERM = 9999;

/**
 * The value of the no-op entry (KRaft's LeaderChangeMessage control record) a leader of `term`
 * appends: producer 0's value range, which no producer uses (they count from 1), one value per
 * partition and term. Consumers read it as any record; checkers see a value no one sent.
 */
export function noopValue(partition: number, term: number): number {
  return 1 + partition * (MAX_TERM + 1) + term;
}

export function isNoopValue(value: number): boolean {
  return value > 0 && value < VALUE_STRIDE;
}

interface QuorumStateFile {
  readonly term: number;
  readonly votedFor: NodeId | null;
}

function quorumFile(partition: number): string {
  return `quorum-state-${partition}`;
}

/**
 * What a Raft group other than a data partition's wants to hear (the controllers' metadata quorum,
 * ../controller.ts): with hooks, a new leader calls onLeader instead of telling the controller, and
 * onLeave when it stops leading.
 */
export interface RaftHooks {
  onLeader(term: number): void;
  onLeave(): void;
}

export class RaftReplica extends LeaderRoutes {
  readonly core: ReplicaCore;
  private role: RaftState = 'unattached';
  private votedFor: NodeId | null = null;
  private leader: NodeId | null = null;
  private quorum: RaftLeaderQuorum | null = null;
  private follower: RaftFollower | null = null;
  private readonly random: Random;
  private electionTimer = -1;
  private fetchTimer = -1;
  private checkQuorumTimer = -1;
  private beginTimer = -1;
  private noticeTimer = -1;
  private lastContactUs = -Infinity;
  private votes = new Set<NodeId>();
  /** Bumped on every state change: timers and disk callbacks of an older one do nothing. */
  private generation = 0;

  constructor(
    ctx: BrokerContext, partition: number, private readonly config: RaftConfig, private readonly voters: readonly NodeId[],
    private readonly hooks: RaftHooks | null = null,
  ) {
    super();
    this.core = new ReplicaCore(ctx, partition);
    this.random = ctx.env.random.fork(`raft-election-${partition}`);
  }

  private get env(): Env {
    return this.core.env;
  }

  private get me(): NodeId {
    return this.core.ctx.id;
  }

  private get term(): number {
    return this.core.leaderEpoch;
  }

  /** After the broker recovered the log: the term and vote the quorum-state file kept; then unattached, with an election timeout. */
  start(): void {
    const saved = this.env.disk.read(quorumFile(this.core.partition))[0] as QuorumStateFile | undefined;
    const term = Math.max(saved?.term ?? 0, this.core.log.lastEpoch(), 0);
    this.core.leaderEpoch = term;
    this.votedFor = saved !== undefined && saved.term === term ? saved.votedFor : null;
    this.becomeUnattached();
  }

  private majority(): number {
    return Math.floor(this.voters.length / 2) + 1;
  }

  private persist(then?: () => void): void {
    const entry: QuorumStateFile = { term: this.term, votedFor: this.votedFor };
    this.env.disk.replace(quorumFile(this.core.partition), [entry], 64, then);
  }

  /** Ends whatever role this replica had (leader's waiting requests are answered, the follower stops). */
  private leaveState(): number {
    if (this.leaderRole !== null) this.hooks?.onLeave();
    this.leaderRole?.stop();
    this.follower?.stop();
    this.leaderRole = null;
    this.quorum = null;
    this.follower = null;
    for (const timer of [this.electionTimer, this.fetchTimer, this.checkQuorumTimer, this.beginTimer, this.noticeTimer]) this.env.cancelTimer(timer);
    this.core.role = 'none';
    this.core.session++;
    return ++this.generation;
  }

  /** A newer term seen in any message: adopt it, vote for no one yet, persist. */
  private stepTo(term: number, leader: NodeId | null): void {
    this.env.assert(term > this.term, `p${this.core.partition}: term ${term} not above ${this.term}`);
    this.core.leaderEpoch = term;
    this.votedFor = null;
    this.persist();
    if (leader === null || leader === this.me) this.becomeUnattached();
    else this.becomeFollower(leader);
  }

  private armElectionTimer(then: () => void): void {
    const generation = this.generation;
    const timeout = this.config.electionTimeoutUs;
    this.electionTimer = this.env.setTimer(timeout + this.random.int(0, timeout - 1), () => {
      if (this.generation === generation) then();
    });
  }

  private becomeUnattached(): void {
    this.leaveState();
    this.role = 'unattached';
    this.leader = null;
    this.core.leader = null;
    this.armElectionTimer(() => this.becomeProspective());
  }

  // ---------------------------------------------------------------- elections

  /** KIP-996: ask for pre-votes in term + 1 without changing anything; a majority makes a candidate. */
  private becomeProspective(): void {
    this.leaveState();
    this.role = 'prospective';
    this.leader = null;
    this.core.leader = null;
    this.votes = new Set([this.me]);
    this.env.trace('raft-prevote', { partition: this.core.partition, term: this.term + 1 });
    this.requestVotes(this.term + 1, true);
    this.armElectionTimer(() => this.becomeProspective());
    this.maybeWon();
  }

  private becomeCandidate(): void {
    this.leaveState();
    const generation = this.generation;
    this.role = 'candidate';
    this.core.leaderEpoch = this.term + 1;
    this.votedFor = this.me;
    this.votes = new Set([this.me]);
    this.env.trace('raft-candidate', { partition: this.core.partition, term: this.term });
    this.armElectionTimer(() => this.becomeProspective());
    // The vote for itself is durable before it asks for others'.
    this.persist(() => {
      if (this.generation !== generation) return;
      this.requestVotes(this.term, false);
      this.maybeWon();
    });
  }

  private requestVotes(term: number, preVote: boolean): void {
    const core = this.core;
    const vote: RaftVote = {
      type: 'raft-vote', partition: core.partition, term, candidate: this.me,
      lastEpoch: lastEntryEpoch(core), logEnd: core.log.logEndOffset, preVote,
    };
    for (const voter of this.voters) if (voter !== this.me) this.env.send(voter, vote, HEADER_BYTES);
  }

  private maybeWon(): void {
    if (this.votes.size < this.majority()) return;
    if (this.role === 'prospective') this.becomeCandidate();
    else if (this.role === 'candidate') this.becomeLeader();
  }

  /** Raft §5.4.1: the candidate's log is at least as up to date as ours (last entry's epoch, then length). */
  private upToDate(lastEpoch: number, logEnd: number): boolean {
    if (this.config.plantedBug === 'vote-any-log') return true;
    const mine = lastEntryEpoch(this.core);
    return lastEpoch > mine || (lastEpoch === mine && logEnd >= this.core.log.logEndOffset);
  }

  /** Hearing from a leader within the fetch timeout (or leading): no pre-vote is granted then (KIP-996). */
  private hasLeader(): boolean {
    if (this.role === 'leader') return true;
    return this.role === 'follower' && this.env.now() - this.lastContactUs < this.config.fetchTimeoutUs;
  }

  private onVote(from: NodeId, m: RaftVote): void {
    // The term is the one the answer was decided in: a grant goes out only once persisted, and by
    // then this replica may have moved to a later term, where the grant must not count.
    const answer = (granted: boolean, term = this.term): void => {
      const resp: RaftVoteResponse = { type: 'raft-vote-resp', partition: m.partition, term, granted, preVote: m.preVote };
      this.env.send(from, resp, HEADER_BYTES);
    };
    if (m.term < this.term) return answer(false);
    if (m.preVote) return answer(m.term > this.term && !this.hasLeader() && this.upToDate(m.lastEpoch, m.logEnd));
    if (m.term > this.term) this.stepTo(m.term, null);
    const grant = (this.votedFor === null || this.votedFor === m.candidate) && this.upToDate(m.lastEpoch, m.logEnd) && this.role !== 'leader';
    if (!grant) return answer(false);
    this.votedFor = m.candidate;
    const generation = this.generation;
    const term = this.term;
    // The vote is durable before the candidate hears of it; granting restarts the election timeout.
    this.persist(() => answer(true, term));
    if (this.role === 'unattached') {
      this.env.cancelTimer(this.electionTimer);
      this.armElectionTimer(() => { if (this.generation === generation) this.becomeProspective(); });
    }
  }

  private onVoteResponse(from: NodeId, m: RaftVoteResponse): void {
    if (m.term > this.term) return this.stepTo(m.term, null);
    if (!m.granted) return;
    // A pre-vote answer carries the voter's term (at most ours); a vote answer ours.
    if (m.preVote ? this.role !== 'prospective' : this.role !== 'candidate' || m.term !== this.term) return;
    this.votes.add(from);
    this.maybeWon();
  }

  // ---------------------------------------------------------------- leader

  private becomeLeader(): void {
    const generation = this.leaveState();
    const core = this.core;
    const term = this.term;
    this.role = 'leader';
    this.leader = this.me;
    core.leader = this.me;
    core.whenDiskIdle(() => {
      if (this.generation !== generation) return;
      const epochStart = core.log.logEndOffset;
      core.log.assignEpoch(term, epochStart);
      core.persistEpochs();
      core.role = 'leader';
      const quorum = new RaftLeaderQuorum(core, this.config, this.voters.length, epochStart, core.session);
      const meta: PartitionMeta = {
        partition: core.partition, leader: this.me, leaderEpoch: term, partitionEpoch: 0, isr: this.voters, elr: [],
        replicas: this.voters, lastKnownLeader: this.me,
      };
      const role = new LeaderRole(core, meta, quorum);
      quorum.onDurable = () => role.maybeAdvanceHighWatermark();
      this.leaderRole = role;
      this.quorum = quorum;
      core.ctx.history.record({ kind: 'leader-elected', t: this.env.now(), process: this.me, partition: core.partition, term, logEnd: epochStart });
      // What the nemesis's cluster view reads as a new leader (as the controller's election record).
      this.env.trace('election', { partition: core.partition, leader: this.me, epoch: term, how: 'raft', isr: [...this.voters] });
      this.env.assert(term <= MAX_TERM, `p${core.partition}: term ${term} past ${MAX_TERM}`);
      this.env.assert(noopValue(core.partition, term) < VALUE_STRIDE, `p${core.partition}: no-op value past producer 0's range`);
      role.appendEntry([noopValue(core.partition, term)], batchBytes(1, 0));
      this.beginEpoch(generation);
      if (this.hooks === null) this.notifyController(generation);
      else this.hooks.onLeader(term);
      this.scheduleCheckQuorum(generation);
    });
  }

  /** BeginQuorumEpoch to every voter, again every fetch timeout / 2 (Kafka's LeaderState.beginQuorumEpochTimeoutMs). */
  private beginEpoch(generation: number): void {
    if (this.generation !== generation) return;
    const msg: RaftBeginEpoch = { type: 'raft-begin-epoch', partition: this.core.partition, term: this.term, leader: this.me };
    for (const voter of this.voters) if (voter !== this.me) this.env.send(voter, msg, HEADER_BYTES);
    this.beginTimer = this.env.setTimer(this.config.fetchTimeoutUs / 2, () => this.beginEpoch(generation));
  }

  private notifyController(generation: number): void {
    if (this.generation !== generation) return;
    this.env.send(this.core.ctx.controller, { type: 'raft-leader', partition: this.core.partition, term: this.term, leader: this.me }, HEADER_BYTES);
    this.noticeTimer = this.env.setTimer(NOTICE_RETRY_US, () => this.notifyController(generation));
  }

  private scheduleCheckQuorum(generation: number): void {
    this.checkQuorumTimer = this.env.setTimer(Math.round(this.config.fetchTimeoutUs * 1.5), () => {
      if (this.generation !== generation || this.quorum === null) return;
      if (this.quorum.takeCheckQuorum()) return this.scheduleCheckQuorum(generation);
      // LeaderState.timeUntilCheckQuorumExpires ran out: resign, and let a majority elect.
      this.env.trace('raft-resign', { partition: this.core.partition, term: this.term });
      this.becomeUnattached();
    });
  }

  // ---------------------------------------------------------------- follower

  private becomeFollower(leader: NodeId): void {
    const generation = this.leaveState();
    const core = this.core;
    this.role = 'follower';
    this.leader = leader;
    core.leader = leader;
    core.role = 'follower';
    this.lastContactUs = this.env.now();
    this.env.trace('follower', { partition: core.partition, epoch: this.term, leader });
    this.armFetchTimer(generation);
    core.whenDiskIdle(() => {
      if (this.generation !== generation) return;
      this.follower = new RaftFollower(core, leader, this.config, () => { this.lastContactUs = this.env.now(); });
      this.follower.start();
    });
  }

  /** FollowerState's fetch timeout: nothing from the leader for quorum.fetch.timeout.ms starts a pre-vote. */
  private armFetchTimer(generation: number): void {
    const left = this.lastContactUs + this.config.fetchTimeoutUs - this.env.now();
    this.fetchTimer = this.env.setTimer(Math.max(1, left), () => {
      if (this.generation !== generation) return;
      if (this.env.now() - this.lastContactUs >= this.config.fetchTimeoutUs) this.becomeProspective();
      else this.armFetchTimer(generation);
    });
  }

  private onBeginEpoch(m: RaftBeginEpoch): void {
    if (m.term < this.term) return;
    if (m.term > this.term) return this.stepTo(m.term, m.leader);
    if (this.role === 'leader') return this.env.assert(m.leader === this.me, `p${m.partition}: two leaders in term ${m.term}: ${this.me} and ${m.leader}`);
    if (this.role !== 'follower' || this.leader !== m.leader) this.becomeFollower(m.leader);
  }

  // ---------------------------------------------------------------- routing (as PartitionReplica's)

  onRaft(from: NodeId, m: RaftInbound): void {
    switch (m.type) {
      case 'raft-vote': return this.onVote(from, m);
      case 'raft-vote-resp': return this.onVoteResponse(from, m);
      case 'raft-begin-epoch': return this.onBeginEpoch(m);
      case 'raft-leader-ok':
        if (m.term >= this.term) this.env.cancelTimer(this.noticeTimer);
        return;
    }
  }

  /** The controller's metadata elects nothing here. */
  applyMeta(_meta: PartitionMeta): void {}

  /** What this replica knows of the leader, for clients' metadata: null unless it follows or leads one. */
  leaderMeta(): PartitionMeta | null {
    if (this.leader === null || (this.role !== 'leader' && this.role !== 'follower')) return null;
    return {
      partition: this.core.partition, leader: this.leader, leaderEpoch: this.term, partitionEpoch: 0, isr: this.voters, elr: [],
      replicas: this.voters, lastKnownLeader: this.leader,
    };
  }

  onFetch(from: NodeId, req: FetchRequest): void {
    if (this.leaderRole !== null) {
      // A voter fetching in a newer term knows of a leader we do not: not ours to answer.
      if (req.currentLeaderEpoch > this.term) return this.refuseFetch(from, req, 'UNKNOWN_LEADER_EPOCH');
      return this.leaderRole.onFetch(from, req);
    }
    this.refuseFetch(from, req, req.currentLeaderEpoch > this.term ? 'UNKNOWN_LEADER_EPOCH' : 'NOT_LEADER_OR_FOLLOWER');
  }

  private refuseFetch(from: NodeId, req: FetchRequest, error: ErrorCode): void {
    this.env.send(from, {
      type: 'fetch-resp', partition: this.core.partition, session: req.session, error, batches: [], highWatermark: -1, leaderLogEnd: -1,
    }, HEADER_BYTES);
  }

  onEpochQuery(from: NodeId, req: EpochQuery): void {
    if (this.leaderRole !== null) return this.leaderRole.onEpochQuery(from, req);
    const error: ErrorCode = req.currentLeaderEpoch > this.term ? 'UNKNOWN_LEADER_EPOCH' : 'NOT_LEADER_OR_FOLLOWER';
    this.env.send(from, { type: 'epoch-query-resp', partition: this.core.partition, session: req.session, error, epoch: -1, endOffset: -1 }, HEADER_BYTES);
  }

  onConsumerFetch(from: NodeId, req: ConsumerFetch): void {
    if (this.leaderRole !== null) return this.leaderRole.onConsumerFetch(from, req);
    this.env.send(from, {
      type: 'consumer-fetch-resp', id: req.id, partition: this.core.partition, error: 'NOT_LEADER_OR_FOLLOWER', records: [], highWatermark: -1,
    }, HEADER_BYTES);
  }

  onListOffsets(from: NodeId, req: ListOffsetsRequest): void {
    this.env.send(from, answerListOffsets(this.core, this.leaderRole !== null, req), HEADER_BYTES);
  }

  onFetchResponse(resp: FetchResponse): void {
    this.follower?.onFetchResponse(resp);
  }

  onEpochQueryResponse(): void {}

  onAlterPartitionResponse(): void {}

  disconnected(peer: NodeId): void {
    this.follower?.disconnected(peer);
  }

  shrinkCheck(): void {}

  /** The leader this replica follows or is, if any (a hint for who answers in its place). */
  knownLeader(): NodeId | null {
    return this.role === 'leader' || this.role === 'follower' ? this.leader : null;
  }

  /** Where this replica stands in its Raft group (for tests and the settle check). */
  raftState(): RaftState {
    return this.role;
  }

  state(up: boolean): ReplicaState {
    const core = this.core;
    return {
      node: core.ctx.id, partition: core.partition, up, isLeader: core.role === 'leader', leaderEpoch: core.leaderEpoch,
      logStartOffset: 0, logEndOffset: core.log.logEndOffset, highWatermark: core.highWatermark,
      records: finalRecordsOf(core.log.batches),
      ...txnState(core.log.batches),
    };
  }
}

