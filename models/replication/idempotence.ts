// The idempotent producer's sequence bookkeeping, as Kafka's TransactionManager and TxnPartitionEntry
// keep it for a producer without a transactional.id (Kafka ≥ 2.5, KIP-360). Per partition: the
// epoch its sequences run under, the next sequence, the last acknowledged one, and the batches sent
// and not yet completed, by sequence. A batch gets its sequence when first drained and keeps it
// through retries. A real gap in the sequences (OUT_OF_ORDER_SEQUENCE_NUMBER for the next batch,
// UNKNOWN_PRODUCER_ID, a batch that failed for good) bumps the producer epoch locally: the
// partition's unfinished batches are renumbered from 0 under the new epoch and retried, and other
// partitions move to it once their own batches sent under the old one are done.
import type { ErrorCode } from '../messages.js';
import type { ProducerBatch } from '../clients/accumulator.js';

/** Errors a producer may retry (Kafka's RetriableException subclasses among the model's codes). */
export const RETRIABLE: ReadonlySet<string> = new Set<ErrorCode>([
  'NOT_LEADER_OR_FOLLOWER', 'NOT_ENOUGH_REPLICAS', 'NOT_ENOUGH_REPLICAS_AFTER_APPEND', 'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH',
]);

interface PartitionSequences {
  /** The producer epoch this partition's sequences run under; -1 before the first batch. */
  epoch: number;
  nextSequence: number;
  lastAckedSequence: number;
  /** Batches with a sequence, sent and not yet completed, by sequence (inflightBatchesBySequence). */
  inFlight: ProducerBatch[];
  /** partitionsWithUnresolvedSequences: the next sequence after a batch that expired mid-retry, or -1. */
  unresolvedNext: number;
}

export class IdempotenceState {
  producerId = -1;
  epoch = 0;
  private epochBumpRequired = false;
  private readonly toRewrite = new Set<number>();
  private readonly partitions: PartitionSequences[];

  constructor(partitions: number) {
    this.partitions = Array.from({ length: partitions }, () => ({ epoch: -1, nextSequence: 0, lastAckedSequence: -1, inFlight: [], unresolvedNext: -1 }));
  }

  /** The negation of RecordAccumulator.shouldStopDrainBatchesForPartition for a partition's first batch. */
  mayDrain(first: ProducerBatch): boolean {
    if (this.producerId < 0) return false;
    const entry = this.partitions[first.partition]!;
    if (first.baseSequence < 0) {
      // A new batch waits for the batches sent under an older epoch, and for unresolved sequences.
      if (entry.inFlight.length > 0 && entry.epoch !== this.epoch) return false;
      if (entry.unresolvedNext >= 0) return false;
    }
    // A retried batch goes only when it is the first in flight: effectively one request at a time.
    const firstInFlight = entry.inFlight[0];
    return firstInFlight === undefined || first.baseSequence < 0 || first.baseSequence === firstInFlight.baseSequence;
  }

  /** At drain, a batch without a sequence gets the next one (maybeUpdateProducerIdAndEpoch, setProducerState). */
  assign(batch: ProducerBatch): void {
    if (batch.baseSequence >= 0) return;
    const entry = this.partitions[batch.partition]!;
    if (entry.epoch !== this.epoch && entry.inFlight.length === 0) this.startAtBeginning(entry);
    batch.baseSequence = entry.nextSequence;
    batch.producerEpoch = this.epoch;
    entry.nextSequence += batch.values.length;
    entry.inFlight.push(batch);
  }

  /** handleCompletedBatch */
  completed(batch: ProducerBatch): void {
    const entry = this.partitions[batch.partition]!;
    entry.lastAckedSequence = Math.max(entry.lastAckedSequence, batch.baseSequence + batch.values.length - 1);
    this.remove(entry, batch);
  }

  /** handleFailedBatch: a gap is left where the batch was, so the partition starts again under a new epoch. */
  failed(batch: ProducerBatch, error: string, adjustSequences: boolean): void {
    const entry = this.partitions[batch.partition]!;
    this.remove(entry, batch);
    if (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER' || (error !== 'UNKNOWN_PRODUCER_ID' && adjustSequences)) this.requestEpochBump(batch.partition);
    // resetSequenceForPartition: the broker has no state for us, so the partition starts from scratch.
    else if (error === 'UNKNOWN_PRODUCER_ID') this.partitions[batch.partition] = { epoch: -1, nextSequence: 0, lastAckedSequence: -1, inFlight: [], unresolvedNext: -1 };
  }

  /**
   * TransactionManager.canRetry for an idempotent producer: sequence errors are retried, bumping the
   * epoch when the batch is the next one after the last acknowledged (a real gap: the broker lost
   * or never had what came before); other errors when retriable.
   */
  canRetry(batch: ProducerBatch, error: ErrorCode): boolean {
    const entry = this.partitions[batch.partition]!;
    if (error === 'UNKNOWN_PRODUCER_ID') {
      if (!batch.sequenceReset) this.requestEpochBump(batch.partition);
      return true;
    }
    if (error === 'OUT_OF_ORDER_SEQUENCE_NUMBER') {
      const unresolved = entry.unresolvedNext >= 0;
      const isNext = batch.baseSequence - entry.lastAckedSequence === 1;
      if (!unresolved && (batch.sequenceReset || !isNext)) return true;
      if (!unresolved || batch.baseSequence === entry.unresolvedNext) this.requestEpochBump(batch.partition);
      return true;
    }
    return RETRIABLE.has(error);
  }

  /** markSequenceUnresolved: a batch expired after being sent; nothing new goes until its fate is known. */
  markUnresolved(batch: ProducerBatch): void {
    const entry = this.partitions[batch.partition]!;
    entry.unresolvedNext = Math.max(entry.unresolvedNext, batch.baseSequence + batch.values.length);
    this.remove(entry, batch);
  }

  /**
   * maybeResolveSequences, then bumpIdempotentEpochAndResetIdIfNeeded: once an unresolved
   * partition has nothing in flight, it is resolved if its acknowledged sequences reach the next
   * one, and otherwise starts over under a new epoch.
   */
  maybeResolveAndBump(): void {
    this.partitions.forEach((entry, p) => {
      if (entry.unresolvedNext < 0 || entry.inFlight.length > 0) return;
      if (entry.nextSequence - entry.lastAckedSequence !== 1) this.requestEpochBump(p);
      entry.unresolvedNext = -1;
    });
    if (!this.epochBumpRequired) return;
    // bumpIdempotentProducerEpoch (an exhausted epoch, 32,767 bumps, would need a new producer id: not modelled).
    this.epoch++;
    for (const p of this.toRewrite) {
      const entry = this.partitions[p]!;
      this.startAtBeginning(entry);
      entry.unresolvedNext = -1;
    }
    this.toRewrite.clear();
    this.epochBumpRequired = false;
  }

  /** TxnPartitionEntry.startSequencesAtBeginning: unfinished batches renumbered from 0 under the current epoch. */
  private startAtBeginning(entry: PartitionSequences): void {
    let sequence = 0;
    for (const batch of entry.inFlight) {
      batch.baseSequence = sequence;
      batch.producerEpoch = this.epoch;
      batch.sequenceReset = true;
      sequence += batch.values.length;
    }
    entry.epoch = this.epoch;
    entry.nextSequence = sequence;
    entry.lastAckedSequence = -1;
  }

  private requestEpochBump(partition: number): void {
    this.epochBumpRequired = true;
    this.toRewrite.add(partition);
  }

  private remove(entry: PartitionSequences, batch: ProducerBatch): void {
    const i = entry.inFlight.indexOf(batch);
    if (i >= 0) entry.inFlight.splice(i, 1);
  }
}
