// The messages of Raft-replicated partitions besides the fetch path they share with ISR replication
// (KIP-595's Vote and BeginQuorumEpoch, with KIP-996's pre-vote flag), and the leader's notice to
// the controller, which only spreads the news: it elects no one.
import type { NodeId } from '../../sim/env.js';

/** Vote (KIP-595), or with `preVote` the pre-vote of KIP-996: would you vote for me in `term`? */
export interface RaftVote {
  readonly type: 'raft-vote';
  readonly partition: number;
  readonly term: number;
  readonly candidate: NodeId;
  /** Epoch and offset after the candidate's last entry: a voter grants only if the candidate's log is at least as up to date. */
  readonly lastEpoch: number;
  readonly logEnd: number;
  readonly preVote: boolean;
}
export interface RaftVoteResponse {
  readonly type: 'raft-vote-resp';
  readonly partition: number;
  /** The voter's term after handling the request. */
  readonly term: number;
  readonly granted: boolean;
  readonly preVote: boolean;
}
/** BeginQuorumEpoch: the new leader tells the voters (again, until each fetches from it). */
export interface RaftBeginEpoch { readonly type: 'raft-begin-epoch'; readonly partition: number; readonly term: number; readonly leader: NodeId }
/** To the controller: `leader` leads `partition` in `term` (so clients' metadata names it). */
export interface RaftLeaderNotice { readonly type: 'raft-leader'; readonly partition: number; readonly term: number; readonly leader: NodeId }
export interface RaftLeaderNoticeAck { readonly type: 'raft-leader-ok'; readonly partition: number; readonly term: number }

export type RaftInbound = RaftVote | RaftVoteResponse | RaftBeginEpoch | RaftLeaderNoticeAck;
