// A consumer's offset commits and committed-offset lookups. Every commit's fate goes to the history
// Jepsen-style: commit-ok when the coordinator answered success, commit-fail only when it definitely
// did not happen (rejected before any attempt could have been written), nothing when nobody can know
// (a timeout, or a retriable coordinator error: Kafka returns those also after appending).
import type { Env } from '../../sim/env.js';
import type { GroupCalls } from './group-calls.js';
import { CLIENT_RETRY_BACKOFF_US, COORDINATOR_REQUEST_TIMEOUT_US } from './group-calls.js';
import type { CommittedOffset, OffsetCommitResponse, OffsetFetchResponse } from './group-messages.js';
import type { HistoryRecorder } from '../history/history.js';
import type { ErrorCode } from '../messages.js';

/** default.api.timeout.ms: how long commitSync keeps retrying. */
export const DEFAULT_API_TIMEOUT_US = 60_000_000;

/** Errors the coordinator returns only after validating, before writing anything. */
const REJECTED: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID', 'REBALANCE_IN_PROGRESS']);

export type CommitOutcome = 'ok' | 'fail' | 'unknown';

export interface CommitRequest {
  readonly generation: number;
  readonly memberId: string;
  /** Positions with the leader epoch of the last record read before each (KIP-320). */
  readonly offsets: readonly CommittedOffset[];
  /** commitSync retries retriable errors until default.api.timeout.ms; commitAsync tries once. */
  readonly sync: boolean;
}

export class GroupOffsets {
  constructor(
    private readonly env: Env,
    private readonly calls: GroupCalls,
    private readonly history: HistoryRecorder,
    private readonly group: string,
    private readonly groupInstanceId: string | null,
  ) {}

  commit(req: CommitRequest, done: (outcome: CommitOutcome) => void): void {
    const deadline = this.env.now() + (req.sync ? DEFAULT_API_TIMEOUT_US : COORDINATOR_REQUEST_TIMEOUT_US);
    let finished = false;
    /** Some earlier attempt may have been written: a later rejection then proves nothing. */
    let maybeApplied = false;
    let inFlight = false;
    const finish = (outcome: CommitOutcome) => {
      if (finished) return;
      finished = true;
      this.record(req, outcome);
      done(outcome);
    };
    const deadlineTimer = this.env.setTimer(deadline - this.env.now(), () => finish(maybeApplied || inFlight ? 'unknown' : 'fail'));
    const attempt = (): void => this.calls.withCoordinator((coordinator) => {
      if (finished) return;
      const { group, groupInstanceId } = this;
      inFlight = true;
      this.calls.call(coordinator, (id) => ({ type: 'offset-commit', id, group, generation: req.generation, memberId: req.memberId, groupInstanceId, offsets: req.offsets }),
        Math.max(1, Math.min(COORDINATOR_REQUEST_TIMEOUT_US, deadline - this.env.now())), (resp) => {
          inFlight = false;
          if (finished) return;
          const error = resp === null ? 'REQUEST_TIMED_OUT' : (resp as OffsetCommitResponse).error;
          if (error === null || REJECTED.has(error)) {
            this.env.cancelTimer(deadlineTimer);
            return finish(error === null ? 'ok' : maybeApplied ? 'unknown' : 'fail');
          }
          maybeApplied = true;
          if (error === 'NOT_COORDINATOR' || error === 'COORDINATOR_NOT_AVAILABLE') this.calls.markCoordinatorUnknown(error);
          if (!req.sync) {
            this.env.cancelTimer(deadlineTimer);
            return finish('unknown');
          }
          this.env.setTimer(CLIENT_RETRY_BACKOFF_US, attempt);
        }, 64 + 16 * req.offsets.length);
    });
    attempt();
  }

  private record(req: CommitRequest, outcome: CommitOutcome): void {
    this.env.trace('commit', { group: this.group, generation: req.generation, outcome, offsets: req.offsets.flatMap((o) => [o.partition, o.offset]) });
    if (outcome === 'unknown') return;
    this.history.record({
      kind: outcome === 'ok' ? 'commit-ok' : 'commit-fail', t: this.env.now(), process: this.env.node, group: this.group,
      generation: req.generation, offsets: req.offsets.map(({ partition, offset }) => ({ partition, offset })),
    });
  }

  /** OffsetFetch, retried until answered or `current()` says the assignment it was for is gone. */
  fetchCommitted(partitions: readonly number[], current: () => boolean, done: (offsets: readonly CommittedOffset[]) => void, requireStable = false): void {
    const attempt = (): void => this.calls.withCoordinator((coordinator) => {
      if (!current()) return;
      const { group } = this;
      // KIP-447 require_stable: UNSTABLE_OFFSET_COMMIT is retried below like any other error.
      const stable = requireStable ? { requireStable: true as const } : {};
      this.calls.call(coordinator, (id) => ({ type: 'offset-fetch', id, group, partitions, ...stable }), COORDINATOR_REQUEST_TIMEOUT_US, (resp) => {
        if (!current()) return;
        const answer = resp as OffsetFetchResponse | null;
        if (answer !== null && answer.error === null) return done(answer.offsets);
        if (answer?.error === 'NOT_COORDINATOR' || answer?.error === 'COORDINATOR_NOT_AVAILABLE') this.calls.markCoordinatorUnknown(answer.error);
        this.env.setTimer(CLIENT_RETRY_BACKOFF_US, attempt);
      });
    });
    attempt();
  }
}
