// A consumer's requests to the group coordinator: finding the coordinator (FindCoordinator to any
// broker, in turn), and request/response pairing with a timeout. When the coordinator is marked
// unknown (NOT_COORDINATOR, a session without heartbeat answers) every call in flight to it fails
// at once, as the Java client's disconnect does, and the next call looks it up again.
//
// The simulated network never reports a broken connection, where a real client learns within a
// round trip that the coordinator's process died (a reset connection) and looks again. So while
// calls wait, the client asks FindCoordinator now and then; if the answer names another broker, the
// coordinator moved and the waiting calls fail as a disconnect would fail them. Without this, a
// JoinGroup parked on a dead coordinator would wait out max.poll.interval.ms + 5 s.
import type { Env, Message, NodeId } from '../../sim/env.js';
import { HEADER_BYTES } from '../config.js';
import type { FindCoordinatorResponse, GroupResponse } from './group-messages.js';
import { firstRequestId } from '../request-ids.js';

/**
 * How long a request to the coordinator waits for its answer (JoinGroup excepted: it may be parked
 * for a whole rebalance). The Java client waits request.timeout.ms (30 s) because TCP tells it at
 * once of a broken connection; the simulated network drops what a cut catches without telling. A
 * live coordinator answers at once, or for a commit within offsets.commit.timeout.ms (5 s): no
 * answer after twice that means the request or its answer was lost.
 */
export const COORDINATOR_REQUEST_TIMEOUT_US = 10_000_000;
/** retry.backoff.ms */
export const CLIENT_RETRY_BACKOFF_US = 100_000;
/**
 * A FindCoordinator that is not answered this soon is asked of the next broker: the simulated network
 * reports no broken connection, where the real client would fail over to another node at once.
 */
const FIND_COORDINATOR_TIMEOUT_US = 1_000_000;
/** How often calls that wait on the coordinator check that it has not moved. */
const COORDINATOR_CHECK_US = 1_000_000;

/** The response, or null when it timed out or the coordinator was marked unknown. */
type Handler = (resp: GroupResponse | null) => void;

interface PendingCall {
  readonly to: NodeId;
  readonly handler: Handler;
  readonly timer: number;
}

export class GroupCalls {
  private coordinator: NodeId | null = null;
  private readonly pending = new Map<number, PendingCall>();
  private waiters: (() => void)[] = [];
  private findId = -1;
  private nextId: number;
  private nextBroker = 0;
  private checkTimer = -1;

  constructor(private readonly env: Env, private readonly brokers: readonly NodeId[], private readonly group: string) {
    this.nextId = firstRequestId(env);
  }

  /** Runs `fn` once the coordinator is known (at once if it is). */
  withCoordinator(fn: (coordinator: NodeId) => void): void {
    if (this.coordinator !== null) return fn(this.coordinator);
    this.waiters.push(() => fn(this.coordinator!));
    this.lookup();
  }

  knowsCoordinator(): boolean {
    return this.coordinator !== null;
  }

  /** Sends a request to the coordinator; `handler` gets its response, or null. */
  call(to: NodeId, build: (id: number) => Message, timeoutUs: number, handler: Handler, bytes = HEADER_BYTES): void {
    const id = this.nextId++;
    const timer = this.env.setTimer(timeoutUs, () => this.settle(id, null));
    this.pending.set(id, { to, handler, timer });
    this.env.send(to, build(id), bytes);
    if (this.checkTimer < 0) this.checkTimer = this.env.setTimer(COORDINATOR_CHECK_US, () => this.checkCoordinator());
  }

  private checkCoordinator(): void {
    this.checkTimer = -1;
    if (this.pending.size === 0) return;
    if (this.coordinator !== null) this.lookup();
    this.checkTimer = this.env.setTimer(COORDINATOR_CHECK_US, () => this.checkCoordinator());
  }

  receive(resp: GroupResponse): void {
    if (resp.type === 'find-coordinator-resp') return this.onFindCoordinator(resp);
    this.settle(resp.id, resp);
  }

  /** NOT_COORDINATOR, or no heartbeat answer for a whole session: forget it and fail what waits on it. */
  markCoordinatorUnknown(reason: string): void {
    if (this.coordinator === null) return;
    this.env.trace('coordinator-unknown', { group: this.group, coordinator: this.coordinator, reason });
    this.coordinator = null;
    for (const id of [...this.pending.keys()]) this.settle(id, null);
  }

  /** The connection to `peer` broke: calls waiting on it fail now (their callers retry). */
  disconnected(peer: NodeId): void {
    for (const [id, call] of [...this.pending]) if (call.to === peer) this.settle(id, null);
  }

  private settle(id: number, resp: GroupResponse | null): void {
    const call = this.pending.get(id);
    if (call === undefined) return;
    this.pending.delete(id);
    this.env.cancelTimer(call.timer);
    call.handler(resp);
  }

  private lookup(): void {
    if (this.findId >= 0 || this.brokers.length === 0) return;
    const id = this.nextId++;
    this.findId = id;
    const broker = this.brokers[this.nextBroker++ % this.brokers.length]!;
    this.env.send(broker, { type: 'find-coordinator', id, group: this.group }, HEADER_BYTES);
    this.env.setTimer(FIND_COORDINATOR_TIMEOUT_US, () => {
      if (this.findId !== id) return;
      this.findId = -1;
      if (this.coordinator === null && this.waiters.length > 0) this.lookup();
    });
  }

  private onFindCoordinator(resp: FindCoordinatorResponse): void {
    if (resp.id !== this.findId) return;
    this.findId = -1;
    if (resp.error !== null || resp.coordinator === null) {
      this.env.setTimer(CLIENT_RETRY_BACKOFF_US, () => {
        if (this.coordinator === null && this.waiters.length > 0) this.lookup();
      });
      return;
    }
    if (this.coordinator === resp.coordinator) return;
    if (this.coordinator !== null) this.markCoordinatorUnknown(`moved to ${resp.coordinator}`);
    this.coordinator = resp.coordinator;
    this.env.trace('coordinator-found', { group: this.group, coordinator: resp.coordinator });
    const waiters = this.waiters;
    this.waiters = [];
    for (const fn of waiters) fn();
  }
}
