// Which consumer group a process belongs to, as the checkers learn it from the history: process and
// reset ops carry no group, so a consumer's group is the one of its latest assign or commit.
import type { NodeId } from '../../sim/env.js';
import type { HistoryOp } from '../../models/history/history.js';
import type { History } from '../../models/history/history-log.js';

type GroupOp = Extract<HistoryOp, { kind: 'assign' | 'commit-ok' | 'commit-fail' }>;

export class ConsumerGroups {
  private readonly groupOf = new Map<NodeId, string>();

  /** Learns from row i when it names a group (assign, commit-ok, commit-fail); says whether it did. */
  observe(history: History, i: number): boolean {
    const kind = history.kind(i);
    if (kind !== 'assign' && kind !== 'commit-ok' && kind !== 'commit-fail') return false;
    const op = history.at(i) as GroupOp;
    this.groupOf.set(op.process, op.group);
    return true;
  }

  /** The process's group as of the rows observed so far; undefined before it named one. */
  of(process: NodeId): string | undefined {
    return this.groupOf.get(process);
  }
}
