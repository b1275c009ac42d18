// Runs every checker over one run and sorts out which anomalies the configuration allows.
import type { FinalState } from '../models/history/history.js';
import type { AnomalyReport, AnomalyType } from './anomaly.js';
import type { CheckOptions, Checker, HistoryInput } from './check-input.js';
import { makeCheckInput } from './check-input.js';
import { checkAbortedRead } from './checkers/aborted-read.js';
import { checkCommittedRecordLost } from './checkers/committed-record-lost.js';
import { checkDuplicate } from './checkers/duplicate.js';
import { checkDuplicateDelivery } from './checkers/duplicate-delivery.js';
import { checkInconsistentOffsets } from './checkers/inconsistent-offsets.js';
import { checkIntermediateRead } from './checkers/intermediate-read.js';
import { checkLogDivergence } from './checkers/log-divergence.js';
import { checkLostDelivery } from './checkers/lost-delivery.js';
import { checkLostWrite } from './checkers/lost-write.js';
import { checkNonmonotonicPoll } from './checkers/nonmonotonic-poll.js';
import { checkNonmonotonicSend } from './checkers/nonmonotonic-send.js';
import { checkPipelineDuplicate, checkPipelineLost } from './checkers/pipeline.js';
import { checkPollSkip } from './checkers/poll-skip.js';
import { checkUnseen } from './checkers/unseen.js';
import { checkElectionSafety, checkLeaderCompleteness, checkLogMatching, checkStateMachineSafety } from './checkers/raft.js';

/** Every checker, sorted by anomaly name (the order of ANOMALY_TYPES). */
export const CHECKERS: readonly { readonly type: AnomalyType; readonly check: Checker }[] = [
  { type: 'aborted-read', check: checkAbortedRead },
  { type: 'committed-record-lost', check: checkCommittedRecordLost },
  { type: 'duplicate', check: checkDuplicate },
  { type: 'duplicate-delivery', check: checkDuplicateDelivery },
  { type: 'election-safety', check: checkElectionSafety },
  { type: 'inconsistent-offsets', check: checkInconsistentOffsets },
  { type: 'intermediate-read', check: checkIntermediateRead },
  { type: 'leader-completeness', check: checkLeaderCompleteness },
  { type: 'log-divergence', check: checkLogDivergence },
  { type: 'log-matching', check: checkLogMatching },
  { type: 'lost-delivery', check: checkLostDelivery },
  { type: 'lost-write', check: checkLostWrite },
  { type: 'nonmonotonic-poll', check: checkNonmonotonicPoll },
  { type: 'nonmonotonic-send', check: checkNonmonotonicSend },
  { type: 'pipeline-duplicate', check: checkPipelineDuplicate },
  { type: 'pipeline-lost', check: checkPipelineLost },
  { type: 'poll-skip', check: checkPollSkip },
  { type: 'state-machine-safety', check: checkStateMachineSafety },
  { type: 'unseen', check: checkUnseen },
];

export interface CheckOutcome {
  /** Every anomaly the run shows, sorted by type. */
  readonly anomalies: readonly AnomalyReport[];
  /** Those not in `options.allowed`: what should fail a test or a seed search. */
  readonly unexpected: readonly AnomalyReport[];
  /** No unexpected anomaly. */
  readonly ok: boolean;
}

/** All anomalies of a run, sorted by type name; only those with at least one case. */
export function checkAll(history: HistoryInput, final: FinalState, options: CheckOptions): AnomalyReport[] {
  const input = makeCheckInput(history, final, options);
  const reports: AnomalyReport[] = [];
  for (const { check } of CHECKERS) {
    const report = check(input);
    if (report !== null) reports.push(report);
  }
  return reports;
}

/** checkAll, then split off the anomalies `options.allowed` does not list (none allowed by default). */
export function checkRun(history: HistoryInput, final: FinalState, options: CheckOptions): CheckOutcome {
  const anomalies = checkAll(history, final, options);
  const unexpected = unexpectedAnomalies(anomalies, options.allowed ?? []);
  return { anomalies, unexpected, ok: unexpected.length === 0 };
}

export function unexpectedAnomalies(reports: readonly AnomalyReport[], allowed: readonly AnomalyType[]): AnomalyReport[] {
  const expected = new Set<AnomalyType>(allowed);
  return reports.filter((r) => !expected.has(r.type));
}
