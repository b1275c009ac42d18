// ListOffsets as a partition's leader answers a consumer's auto.offset.reset (Kafka's
// Partition.fetchOffsetForTimestamp): `earliest` is the log start (always 0 here: no retention),
// `latest` the high watermark, or for a read_committed consumer the last stable offset (so that it
// does not start past the records of a transaction still open, which it would never read). A leader whose high watermark has not
// yet reached the start of its own epoch (just elected, followers not caught up) answers `latest`
// with OFFSET_NOT_AVAILABLE, so a consumer never starts below records the new leader may still
// truncate; the consumer retries.
import type { ErrorCode, ListOffsetsRequest, ListOffsetsResponse } from '../messages.js';
import type { ReplicaCore } from './replica.js';

/** The answer of this replica; `leads` says whether it is the partition's leader now. */
export function answerListOffsets(core: ReplicaCore, leads: boolean, req: ListOffsetsRequest): ListOffsetsResponse {
  const answer = (error: ErrorCode | null, offset = -1, leaderEpoch = -1): ListOffsetsResponse =>
    ({ type: 'list-offsets-resp', id: req.id, partition: core.partition, error, offset, leaderEpoch });
  // KIP-320 fencing, as for fetches; -1 (a client before KIP-320) skips it.
  if (req.currentLeaderEpoch > core.leaderEpoch) return answer('UNKNOWN_LEADER_EPOCH');
  if (!leads) return answer('NOT_LEADER_OR_FOLLOWER');
  if (req.currentLeaderEpoch >= 0 && req.currentLeaderEpoch < core.leaderEpoch) return answer('FENCED_LEADER_EPOCH');
  if (req.timestamp === 'earliest') return answer(null, 0, epochAtLogStart(core));
  const epochStart = core.log.startOffsetOf(core.leaderEpoch);
  if (epochStart > core.highWatermark) return answer('OFFSET_NOT_AVAILABLE');
  const unstable = req.readCommitted === true ? core.producers.firstUnstableOffset() : null;
  return answer(null, unstable === null ? core.highWatermark : Math.min(unstable, core.highWatermark), core.leaderEpoch);
}

/** The epoch the log's first offset belongs to (the last cache entry starting at or before it), or -1. */
function epochAtLogStart(core: ReplicaCore): number {
  let epoch = -1;
  for (const entry of core.log.epochs) {
    if (entry.startOffset > 0) break;
    epoch = entry.epoch;
  }
  return epoch;
}
