// A replica's producer-state snapshots on disk (Kafka's <offset>.snapshot files beside the log
// segments, written by ProducerStateManager.takeSnapshot): one file whose entries are the snapshots
// in offset order. A snapshot is written when a segment rolls, and after recovery or a truncation,
// then synced; a restart or a truncation deletes those above the log end, loads the latest left and
// replays only the batches after it. One file stands for Kafka's directory of snapshot files: a
// deletion (a truncation of the file) is durable once the file is next synced, as a deleted
// snapshot file's directory entry is once the next snapshot's fsync commits the filesystem journal.
import type { Env } from '../../sim/env.js';
import type { ProducerSnapshot } from './producer-state.js';

export function snapshotFile(partition: number): string {
  return `producer-snapshots-${partition}`;
}

/** Bytes a snapshot takes on disk: a header, and per producer its id, epoch, timestamp and five batches. */
function snapshotBytes(snapshot: ProducerSnapshot): number {
  return 32 + snapshot.producers.length * (24 + 16 * 5);
}

export class ProducerSnapshots {
  /** What the file holds as the process sees it (its page cache), oldest first. */
  private snapshots: ProducerSnapshot[];

  constructor(private readonly env: Env, private readonly partition: number) {
    this.snapshots = [...(env.disk.read(snapshotFile(partition)) as readonly ProducerSnapshot[])];
  }

  /** The newest snapshot, or null. */
  latest(): ProducerSnapshot | null {
    return this.snapshots[this.snapshots.length - 1] ?? null;
  }

  /** Deletes the snapshots above `offset`: they describe batches the log no longer has. */
  dropAbove(offset: number): void {
    let keep = this.snapshots.length;
    while (keep > 0 && this.snapshots[keep - 1]!.offset > offset) keep--;
    if (keep === this.snapshots.length) return;
    this.snapshots.length = keep;
    this.env.disk.truncate(snapshotFile(this.partition), keep);
  }

  /** Writes a snapshot and syncs it (takeSnapshot); one at the same offset as the newest is not written again. */
  take(snapshot: ProducerSnapshot): void {
    if (this.latest()?.offset === snapshot.offset) return;
    this.env.assert(snapshot.offset >= (this.latest()?.offset ?? 0), `p${this.partition}: producer snapshot at ${snapshot.offset} below the newest`);
    this.snapshots.push(snapshot);
    const file = snapshotFile(this.partition);
    this.env.disk.append(file, [snapshot], snapshotBytes(snapshot));
    this.env.disk.fsync(file);
  }
}
