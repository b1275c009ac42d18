// The public face of properties/: anomaly reports, final logs, and the checkers.
//
// After a run (load phase, settle phase and final drain), judge it with:
//   const outcome = checkRun(run.history, run.final, {
//     consumers: true,                            // the final drain read every partition
//     allowed: ['duplicate-delivery'],            // anomalies this configuration may show
//     maxExamples: 5,                             // optional
//   });
//   outcome.anomalies  → the `anomalies` array of `ksim run --json` ({ type, count, examples })
//   outcome.ok         → false when any anomaly outside `allowed` occurred
// Single checkers: checkLostWrite(makeCheckInput(history, final, { consumers })).
export { ANOMALY_TYPES, CASE_LIST_CAP, CaseCollector, DEFAULT_MAX_EXAMPLES, isAnomalyType } from './anomaly.js';
export type { AnomalyCase, AnomalyReport, AnomalyType, Json } from './anomaly.js';
export { buildFinalLogs, finalLogOf, hasValue, offsetsOf, recordIndexRange, recordsBetween } from './final-log.js';
export type { FinalLog, FinalLogs, FinalRecord } from './final-log.js';
export { makeCheckInput } from './check-input.js';
export type { CheckInput, CheckOptions, Checker, HistoryInput } from './check-input.js';
export { History } from '../models/history/history-log.js';
export { CHECKERS, checkAll, checkRun, unexpectedAnomalies } from './check.js';
export type { CheckOutcome } from './check.js';
export { checkAbortedRead } from './checkers/aborted-read.js';
export { checkCommittedRecordLost } from './checkers/committed-record-lost.js';
export { checkDuplicate } from './checkers/duplicate.js';
export { checkDuplicateDelivery } from './checkers/duplicate-delivery.js';
export { checkInconsistentOffsets } from './checkers/inconsistent-offsets.js';
export { checkIntermediateRead } from './checkers/intermediate-read.js';
export { checkLogDivergence } from './checkers/log-divergence.js';
export { checkLostDelivery } from './checkers/lost-delivery.js';
export { checkLostWrite } from './checkers/lost-write.js';
export { checkNonmonotonicPoll } from './checkers/nonmonotonic-poll.js';
export { checkNonmonotonicSend } from './checkers/nonmonotonic-send.js';
export { checkPollSkip } from './checkers/poll-skip.js';
export { checkUnseen } from './checkers/unseen.js';
