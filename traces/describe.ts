// One record in words: what changed and the facts that matter, shared by the text view (a line),
// the HTML view (a marker's label and tooltip) and Perfetto (an instant's name). A Describer reads
// records in time order and remembers each partition's ISR, so an ISR change says who left or
// joined.
import type { TraceRecord } from '../sim/trace-record.js';
import { extraFields, isMessageSend, list, num, str } from './fields.js';
import { formatField, formatNodes, formatValue, plural } from './format.js';
import { partitionShape } from './faults.js';

export interface Description {
  /** The full sentence, e.g. "partition 0 isr [b1,b2] (−b3), partition epoch 5". */
  readonly detail: string;
  /** A few characters for a label beside a marker, e.g. "isr −b3". */
  readonly short: string;
}

type Render = (record: TraceRecord, describer: Describer) => Description;

function partition(record: TraceRecord): string {
  return `partition ${formatField('partition', record['partition'])}`;
}

/** The value a record is about: `value`, or a batch given as `first` and `count`. */
function value(record: TraceRecord): string {
  if (record['value'] !== undefined) return formatValue(record['value']);
  const first = num(record, 'first');
  const count = num(record, 'count');
  if (first === undefined) return '?';
  return count !== undefined && count > 1 ? `${formatValue(first)} (+${count - 1} more)` : formatValue(first);
}

/** Did a commit succeed: `ok: true`, or `outcome: "ok"`. */
export function commitSucceeded(record: TraceRecord): boolean {
  if (record['ok'] !== undefined) return record['ok'] === true;
  return record['outcome'] === undefined || record['outcome'] === 'ok';
}

function commit(record: TraceRecord): Description {
  const pairs = list(record, 'offsets');
  const where = pairs === undefined
    ? `${partition(record)} offset ${formatField('offset', record['offset'])}`
    : pairs.flatMap((p, i) => (i % 2 === 0 ? [`partition ${p} offset ${pairs[i + 1] ?? '?'}`] : [])).join(', ');
  const group = str(record, 'group') === undefined ? '' : `group ${str(record, 'group')}: `;
  const ok = commitSucceeded(record);
  const outcome = ok ? 'ok' : `FAILED${typeof record['outcome'] === 'string' ? ` (${record['outcome']})` : ''}`;
  const last = pairs === undefined ? formatField('offset', record['offset']) : String(pairs[1] ?? '?');
  return { detail: `${group}${where} ${outcome}`, short: `commit ${last}${ok ? '' : ' ✗'}` };
}

/** `[p, o, p, o…]` as "partition p offset o, …". */
function offsetPairs(record: TraceRecord): string {
  const pairs = list(record, 'offsets') ?? [];
  return pairs.flatMap((p, i) => (i % 2 === 0 ? [`partition ${p} offset ${pairs[i + 1] ?? '?'}`] : [])).join(', ') || 'no offsets';
}

function assign(record: TraceRecord): Description {
  const group = str(record, 'group') === undefined ? '' : `group ${str(record, 'group')}, `;
  const member = str(record, 'member') === undefined ? '' : ` (member ${str(record, 'member')})`;
  return {
    detail: `${group}partitions ${formatNodes(list(record, 'partitions'))}, generation ${formatField('generation', record['generation'])}${member}`,
    short: `assign g${formatField('generation', record['generation'])}`,
  };
}

function msgOf(record: TraceRecord): string {
  return `${str(record, 'msg') ?? '?'} #${formatField('id', record['id'])}`;
}

function generic(record: TraceRecord): Description {
  const fields = extraFields(record).map(([key, field]) => `${key}=${formatField(key, field)}`);
  return { detail: fields.join(' '), short: record.kind };
}

function isrChange(before: readonly string[] | undefined, after: readonly string[]): string {
  if (before === undefined) return '';
  const left = before.filter((node) => !after.includes(node)).map((node) => `−${node}`);
  const joined = after.filter((node) => !before.includes(node)).map((node) => `+${node}`);
  return [...left, ...joined].join(' ');
}

function faultDetail(record: TraceRecord): string {
  const fault = str(record, 'fault') ?? '?';
  const node = record.node ?? '';
  switch (fault) {
    case 'partition': return partitionShape(record).label;
    case 'heal': return Array.isArray(record['nodes']) ? `heal ${formatNodes(record['nodes'])}` : 'heal all links';
    case 'slow-disk': case 'slow-net': return `${fault} ${node} ×${formatField('factor', record['factor'])}`;
    case 'clock-skew': return `clock-skew ${node} ${formatField('offsetMs', record['offsetMs'])} ms`;
    default: return `${fault} ${node}`.trim();
  }
}

function nodeState(record: TraceRecord): Description {
  const state = str(record, 'state') ?? '?';
  const incarnation = num(record, 'incarnation');
  const restart = state === 'up' && incarnation !== undefined && incarnation > 1;
  const what = restart ? 'up (restarted)' : state;
  return { detail: `${what}, incarnation ${incarnation ?? '?'}`, short: restart ? 'restart' : state };
}

function election(record: TraceRecord): Description {
  const leader = record['leader'];
  const how = str(record, 'how') ?? '?';
  const epoch = formatField('epoch', record['epoch']);
  const who = typeof leader === 'string' ? `${leader} elected leader` : 'no leader';
  return { detail: `${partition(record)}: ${who}, epoch ${epoch} (${how})`, short: typeof leader === 'string' ? `${leader} e${epoch} ${how}` : `no leader (${how})` };
}

function kernelSend(record: TraceRecord): Description {
  const bytes = num(record, 'bytes');
  return { detail: `${msgOf(record)} → ${str(record, 'to') ?? '?'}${bytes === undefined ? '' : ` (${bytes} B)`}`, short: str(record, 'msg') ?? 'send' };
}

function producerSend(record: TraceRecord): Description {
  return { detail: `${value(record)} → ${partition(record)}`, short: value(record) };
}

const RENDER = new Map<string, Render>([
  ['leader', (r, d) => {
    const isr = (list(r, 'isr') ?? []).map(String);
    d.noteIsr(r, isr);
    const log = r['leo'] === undefined ? '' : `, leo ${formatField('leo', r['leo'])}${r['hw'] === undefined ? '' : `, hw ${formatField('hw', r['hw'])}`}`;
    return { detail: `became leader of ${partition(r)}, epoch ${formatField('epoch', r['epoch'])}, isr ${formatNodes(isr)}${log}`, short: `leader e${formatField('epoch', r['epoch'])}` };
  }],
  ['follower', (r) => {
    // truncation "skipped": the same leader in a new epoch, before KAFKA-7164 (protocol.truncateOnEpochChange false).
    const skipped = str(r, 'truncation') === 'skipped' ? ' without truncating (same leader)' : '';
    return { detail: `follows ${str(r, 'leader') ?? '?'} on ${partition(r)}, epoch ${formatField('epoch', r['epoch'])}${skipped}`, short: `follow ${str(r, 'leader') ?? '?'}` };
  }],
  ['isr', (r, d) => {
    const isr = (list(r, 'isr') ?? []).map(String);
    const change = isrChange(d.noteIsr(r, isr), isr);
    const epoch = r['partitionEpoch'] === undefined ? '' : `, partition epoch ${formatField('partitionEpoch', r['partitionEpoch'])}`;
    return { detail: `${partition(r)} isr ${formatNodes(isr)}${change === '' ? '' : ` (${change})`}${epoch}`, short: change === '' ? `isr ${isr.join(',')}` : `isr ${change}` };
  }],
  ['isr-change', (r) => {
    const by = str(r, 'by') === undefined ? '' : ` (asked by ${str(r, 'by')})`;
    return { detail: `${partition(r)} isr recorded as ${formatNodes(list(r, 'isr'))}${by}`, short: `isr ${(list(r, 'isr') ?? []).join(',')}` };
  }],
  ['hw', (r) => ({ detail: `${partition(r)} high watermark ${formatField('hw', r['hw'])}`, short: `hw ${formatField('hw', r['hw'])}` })],
  ['lso', (r) => ({ detail: `${partition(r)} last stable offset ${formatField('lso', r['lso'])}`, short: `lso ${formatField('lso', r['lso'])}` })],
  ['txn-state', (r) => ({
    detail: `coordinator: ${str(r, 'transactionalId') ?? '?'} ${str(r, 'from') ?? '?'} → ${str(r, 'to') ?? '?'} (producer ${formatField('producerId', r['producerId'])} epoch ${formatField('producerEpoch', r['producerEpoch'])}, partitions ${(list(r, 'partitions') ?? []).join(',') || 'none'})`,
    short: `${str(r, 'to') ?? 'txn'}`,
  })],
  ['txn-markers', (r) => ({
    detail: `coordinator: ${r['commit'] === true ? 'commit' : 'abort'} markers for ${str(r, 'transactionalId') ?? '?'} to partitions ${(list(r, 'partitions') ?? []).join(',')}`,
    short: r['commit'] === true ? 'COMMIT markers' : 'ABORT markers',
  })],
  ['txn-add-offsets', (r) => ({
    detail: `AddOffsetsToTxn answered: group ${str(r, 'group') ?? '?'}'s offsets partition joins the transaction (producer ${formatField('producerId', r['producerId'])} epoch ${formatField('producerEpoch', r['producerEpoch'])})`,
    short: 'add offsets',
  })],
  ['txn-offset-commit', (r) => ({
    detail: `group coordinator: TxnOffsetCommit for ${str(r, 'group') ?? '?'} from producer ${formatField('producerId', r['producerId'])} epoch ${formatField('producerEpoch', r['producerEpoch'])}, generation ${formatField('generation', r['generation'])}: ${offsetPairs(r)} pending until its marker`,
    short: 'txn offsets pending',
  })],
  ['txn-offsets-complete', (r) => ({
    detail: `group coordinator: ${r['commit'] === true ? 'commit' : 'abort'} marker of producer ${formatField('producerId', r['producerId'])} ${r['commit'] === true ? 'materializes' : 'drops'} ${str(r, 'group') ?? '?'}'s ${offsetPairs(r)}`,
    short: r['commit'] === true ? 'offsets committed' : 'offsets dropped',
  })],
  ['offset-fetch-unstable', (r) => ({
    detail: `group coordinator: OffsetFetch(require_stable) for ${str(r, 'group') ?? '?'} answered UNSTABLE_OFFSET_COMMIT: a transaction committing partitions ${(list(r, 'partitions') ?? []).join(',')} is undecided`,
    short: 'unstable offsets',
  })],
  ['pipeline-txn', (r) => ({
    detail: `pipeline (${str(r, 'group') ?? '?'}): transaction of ${plural(num(r, 'records'), 'input record')} ${str(r, 'outcome') ?? '?'}${str(r, 'outcome') === 'committed' ? '' : ': back to the committed offsets'}`,
    short: `txn ${str(r, 'outcome') ?? '?'}`,
  })],
  ['txn-end', (r) => ({ detail: `EndTxn(${r['commit'] === true ? 'commit' : 'abort'}) sent, ${plural(num(r, 'records'), 'record')}, epoch ${formatField('producerEpoch', r['producerEpoch'])}`, short: r['commit'] === true ? 'commit' : 'abort' })],
  ['truncate', (r) => {
    const from = num(r, 'from');
    const to = num(r, 'to');
    const lost = from !== undefined && to !== undefined ? ` (${plural(from - to, 'record')})` : '';
    return { detail: `${partition(r)} log truncated from ${from ?? '?'} to ${to ?? '?'}${lost}`, short: `trunc →${to ?? '?'}` };
  }],
  ['election', (r) => election(r)],
  ['fenced', (r) => ({ detail: `broker ${str(r, 'broker') ?? '?'} fenced${str(r, 'reason') === undefined ? '' : ` (${str(r, 'reason')})`}`, short: `fenced ${str(r, 'broker') ?? '?'}` })],
  ['unfenced', (r) => ({ detail: `broker ${str(r, 'broker') ?? '?'} unfenced`, short: `unfenced ${str(r, 'broker') ?? '?'}` })],
  ['send', (r) => (isMessageSend(r) ? kernelSend(r) : producerSend(r))],
  ['send-ok', (r) => ({ detail: `${value(r)} acked: ${partition(r)} offset ${formatField('offset', r['offset'])}`, short: `ok @${formatField('offset', r['offset'])}` })],
  ['send-fail', (r) => ({ detail: `${value(r)} failed on ${partition(r)}: ${str(r, 'error') ?? '?'}`, short: 'fail' })],
  ['send-info', (r) => ({ detail: `${value(r)} outcome unknown on ${partition(r)}: ${str(r, 'error') ?? '?'}`, short: 'info?' })],
  ['poll', (r) => ({ detail: `${partition(r)} from offset ${formatField('from', r['from'])}: ${plural(num(r, 'count'), 'record')}`, short: `poll ${formatField('count', r['count'])}` })],
  ['commit', (r) => commit(r)],
  ['process', (r) => ({ detail: `${value(r)} from ${partition(r)} offset ${formatField('offset', r['offset'])}`, short: value(r) })],
  ['assign', (r) => assign(r)],
  ['assigned', (r) => assign(r)],
  ['deliver', (r) => ({ detail: `${msgOf(r)} from ${str(r, 'from') ?? '?'}`, short: str(r, 'msg') ?? 'deliver' })],
  ['drop', (r) => ({ detail: `${msgOf(r)} from ${str(r, 'from') ?? '?'} dropped: ${str(r, 'reason') ?? '?'}`, short: `drop ${str(r, 'msg') ?? ''}` })],
  ['duplicate', (r) => ({ detail: `${msgOf(r)} → ${str(r, 'to') ?? '?'} duplicated`, short: 'dup' })],
  ['timer', (r) => ({ detail: `timer #${formatField('id', r['id'])} fired`, short: 'timer' })],
  ['disk-write', (r) => ({ detail: `${str(r, 'file') ?? '?'}: ${plural(num(r, 'entries'), 'entry', 'entries')} written (${formatField('bytes', r['bytes'])} B)`, short: 'write' })],
  ['disk-truncate', (r) => ({ detail: `${str(r, 'file') ?? '?'} truncated to ${formatField('length', r['length'])} entries`, short: 'disk trunc' })],
  ['disk-fsync', (r) => ({ detail: `${str(r, 'file') ?? '?'} fsync: ${formatField('durable', r['durable'])} entries durable`, short: 'fsync' })],
  ['disk-writeback', (r) => ({ detail: `${str(r, 'file') ?? '?'} write-back: ${formatField('durable', r['durable'])} entries durable`, short: 'writeback' })],
  ['disk-loss', (r) => ({ detail: `${str(r, 'file') ?? '?'}: ${formatField('lost', r['lost'])} entries lost, ${formatField('kept', r['kept'])} kept`, short: `lost ${formatField('lost', r['lost'])}` })],
  ['fault', (r) => ({ detail: faultDetail(r), short: str(r, 'fault') ?? 'fault' })],
  ['node', (r) => nodeState(r)],
  ['settle', () => ({ detail: 'heal-and-settle phase begins: faults stop, nodes restart', short: 'settle' })],
]);

export class Describer {
  private readonly isrs = new Map<string, readonly string[]>();

  describe(record: TraceRecord): Description {
    return (RENDER.get(record.kind) ?? generic)(record, this);
  }

  /** Remembers a partition's ISR; returns the one it replaces. */
  noteIsr(record: TraceRecord, isr: readonly string[]): readonly string[] | undefined {
    const key = String(record['partition']);
    const before = this.isrs.get(key);
    this.isrs.set(key, isr);
    return before;
  }
}
