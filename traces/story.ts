// The story of a lost write, read from a trace alone (so `ksim trace --format html` can draw it
// without the run's verdict): acknowledged offsets that a new leader does not have. When a replica
// becomes leader of a partition (its `leader` record carries its log end offset, leo), every offset
// at or past that leo which a producer had been told was written (`send-ok`: offset and count) before
// that moment is gone from the partition's log: the new leader's log is the log from now on, and it
// will write other records at those offsets. Each such group is one Loss, linked to the controller's
// election that made the leader (clean or unclean) and to the truncations on other replicas that
// cut the same offsets from their logs. This is how KAFKA.md's lost writes happen in ksim (unclean
// election, a leader that lost unsynced data, HW truncation before KIP-101); the lost-write checker,
// which reads the final logs, remains the judge — the view shows the mechanism.
import type { TraceRecord } from '../sim/trace-record.js';
import { num, str } from './fields.js';

export interface Truncation {
  readonly t: number;
  readonly node: string;
  readonly from: number;
  readonly to: number;
}

export interface Loss {
  readonly partition: number;
  /** Lost acknowledged offsets, [from, to). */
  readonly from: number;
  readonly to: number;
  /** How many acknowledged offsets in that range (acks may leave holes). */
  readonly offsets: number;
  /** When the first and the last of them were acknowledged, and to which producers. */
  readonly ackStart: number;
  readonly ackEnd: number;
  readonly producers: readonly string[];
  /** The replica that became leader without them. */
  readonly leader: string;
  readonly leaderAt: number;
  readonly leaderEpoch: number;
  readonly leaderLogEnd: number;
  /** The controller's election of that leader, when the trace has it. */
  readonly election: { readonly t: number; readonly node: string; readonly how: string } | null;
  readonly truncations: readonly Truncation[];
}

interface Acked {
  offset: number;
  end: number;
  readonly t: number;
  readonly node: string;
}

interface Election {
  readonly t: number;
  readonly epoch: number;
  readonly node: string;
  readonly leader: string;
  readonly how: string;
}

class LossFinder {
  readonly losses: Loss[] = [];
  private readonly acked = new Map<number, Acked[]>();
  private readonly elections = new Map<number, Election>();
  /** Truncations not yet part of a loss: a replica may cut its log (to its HW, KIP-101) before it becomes leader. */
  private readonly earlier = new Map<number, Truncation[]>();

  onAck(record: TraceRecord, partition: number): void {
    const offset = num(record, 'offset');
    if (offset === undefined || offset < 0) return;
    const count = num(record, 'count') ?? 1;
    const list = this.acked.get(partition) ?? [];
    list.push({ offset, end: offset + count, t: record.t, node: record.node ?? '?' });
    this.acked.set(partition, list);
  }

  onElection(record: TraceRecord, partition: number): void {
    const leader = str(record, 'leader');
    if (leader !== undefined) this.elections.set(partition, { t: record.t, epoch: num(record, 'epoch') ?? -1, node: record.node ?? '?', leader, how: str(record, 'how') ?? '?' });
  }

  onLeader(record: TraceRecord, partition: number): void {
    const leo = num(record, 'leo');
    const list = this.acked.get(partition);
    if (leo === undefined || list === undefined) return;
    const lost: Acked[] = [];
    for (const a of list) {
      if (a.end <= leo) continue;
      lost.push({ ...a, offset: Math.max(a.offset, leo) });
      a.end = Math.max(a.offset, leo);
    }
    this.acked.set(partition, list.filter((a) => a.end > a.offset));
    if (lost.length === 0) return;
    const election = this.elections.get(partition);
    const node = record.node ?? '?';
    const ackStart = Math.min(...lost.map((a) => a.t));
    const own = (this.earlier.get(partition) ?? []).filter((t) => t.node === node && t.t >= ackStart && t.to < Math.max(...lost.map((a) => a.end)));
    this.losses.push({
      partition, from: Math.min(...lost.map((a) => a.offset)), to: Math.max(...lost.map((a) => a.end)),
      offsets: new Set(lost.flatMap((a) => Array.from({ length: a.end - a.offset }, (_, i) => a.offset + i))).size,
      ackStart, ackEnd: Math.max(...lost.map((a) => a.t)),
      producers: [...new Set(lost.map((a) => a.node))].sort(),
      leader: node, leaderAt: record.t, leaderEpoch: num(record, 'epoch') ?? -1, leaderLogEnd: leo,
      election: election !== undefined && election.leader === node && election.epoch === (num(record, 'epoch') ?? -1) ? { t: election.t, node: election.node, how: election.how } : null,
      truncations: own,
    });
    this.earlier.delete(partition);
  }

  /** A truncation cutting offsets of the latest loss of its partition belongs to that loss's story. */
  onTruncate(record: TraceRecord, partition: number): void {
    const from = num(record, 'from');
    const to = num(record, 'to');
    if (from === undefined || to === undefined || to >= from) return;
    const truncation = { t: record.t, node: record.node ?? '?', from, to };
    const latest = this.losses.findLast((loss) => loss.partition === partition);
    if (latest !== undefined && to < latest.to && from > latest.from) (latest.truncations as Truncation[]).push(truncation);
    else this.earlier.set(partition, [...(this.earlier.get(partition) ?? []), truncation]);
  }
}

/** The losses of acknowledged offsets in a time-ordered trace, in the order they happened. */
export function lostAcks(records: readonly TraceRecord[]): Loss[] {
  const finder = new LossFinder();
  for (const record of records) {
    const partition = num(record, 'partition');
    if (partition === undefined) continue;
    if (record.kind === 'send-ok') finder.onAck(record, partition);
    else if (record.kind === 'election') finder.onElection(record, partition);
    else if (record.kind === 'leader') finder.onLeader(record, partition);
    else if (record.kind === 'truncate') finder.onTruncate(record, partition);
  }
  return finder.losses;
}

/** One line telling a loss, for the view's story panel and the text of tests. */
export function lossSentence(loss: Loss): string {
  const ms = (us: number) => `${(us / 1000).toFixed(1)} ms`;
  const range = loss.to - loss.from === 1 ? `offset ${loss.from}` : `offsets ${loss.from}–${loss.to - 1}`;
  const elected = loss.election === null ? '' : ` (${loss.election.how} election by ${loss.election.node} at ${ms(loss.election.t)})`;
  const cut = loss.truncations.map((t) => `${t.node} truncated ${t.from}→${t.to} at ${ms(t.t)}`).join('; ');
  return `p${loss.partition}: ${loss.offsets} acknowledged ${range} (acked to ${loss.producers.join(', ')} ${ms(loss.ackStart)}–${ms(loss.ackEnd)}) are not in the log of ${loss.leader}, ` +
    `leader in epoch ${loss.leaderEpoch} from ${ms(loss.leaderAt)} with log end ${loss.leaderLogEnd}${elected}${cut === '' ? '' : `; ${cut}`}.`;
}
