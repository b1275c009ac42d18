// The explore table: a row per combination, a column per varied setting, then the runs, the runs
// showing each anomaly and each liveness failure that occurred anywhere, records lost and
// duplicated, unavailability (share of load time with no ack; share of sends refused), pooled ack
// latency and the mean time to quiescence. Headers are short so the table fits a 120-column
// terminal with the default exploration; the legend under it spells out every short header shown.
import type { AnomalyType } from '../../properties/anomaly.js';
import { ANOMALY_TYPES } from '../../properties/anomaly.js';
import type { LivenessName } from '../../scenario/schema.js';
import { LIVENESS_NAMES } from '../../scenario/schema.js';
import type { Vary } from '../../scenario/vary.js';
import { formatMs, formatPercent, formatTable, type Column } from '../table.js';
import type { ExploreRow } from './aggregate.js';
import { settingText, shortKey } from './settings.js';

/** Two or three letters per anomaly: the full names are 9–21 characters, too wide for 12 columns. */
export const ANOMALY_CODES: Readonly<Record<AnomalyType, string>> = {
  'aborted-read': 'AR',
  'committed-record-lost': 'CL',
  duplicate: 'DU',
  'duplicate-delivery': 'DD',
  'election-safety': 'ES',
  'leader-completeness': 'LC',
  'log-matching': 'LM',
  'state-machine-safety': 'SM',
  'inconsistent-offsets': 'IO',
  'intermediate-read': 'IR',
  'log-divergence': 'LD',
  'lost-delivery': 'LV',
  'lost-write': 'LW',
  'nonmonotonic-poll': 'NP',
  'nonmonotonic-send': 'NS',
  'pipeline-duplicate': 'PD',
  'pipeline-lost': 'PL',
  'poll-skip': 'PS',
  unseen: 'US',
};

export const LIVENESS_CODES: Readonly<Record<LivenessName, string>> = {
  'not-settled': '!settled',
  'nothing-sent': '!sent',
  'nothing-polled': '!polled',
};

/** The names Kafka users abbreviate these settings to; other long names are cut (see settingHeader). */
const SETTING_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['unclean.leader.election.enable', 'unclean'],
  ['min.insync.replicas', 'min.isr'],
  ['enable.idempotence', 'idempotence'],
  ['max.in.flight.requests.per.connection', 'max.in.flight'],
  ['eligible.leader.replicas.enable', 'elr'],
  ['replica.lag.time.max.ms', 'lag.max.ms'],
  ['broker.session.timeout.ms', 'broker.session'],
  ['replicationFactor', 'rf'],
  ['replication', 'repl'],
]);

const MAX_SETTING_HEADER = 14;

/** A varied setting's column header: its short key, abbreviated when longer than 14 characters. */
export function settingHeader(vary: Vary): string {
  const key = shortKey(vary);
  const known = SETTING_ABBREVIATIONS.get(key);
  if (known !== undefined) return known;
  if (key.length <= MAX_SETTING_HEADER) return key;
  // The initials of the dotted words but the last, which usually carries the unit (ms, bytes).
  const words = key.split('.');
  const last = words.pop() ?? key;
  return [...words.map((word) => word.charAt(0)), last].join('.');
}

function occurring(rows: readonly ExploreRow[]): AnomalyType[] {
  return ANOMALY_TYPES.filter((type) => rows.some((row) => (row.anomalyRuns[type] ?? 0) > 0));
}

function occurringLiveness(rows: readonly ExploreRow[]): LivenessName[] {
  return LIVENESS_NAMES.filter((type) => rows.some((row) => (row.settle.livenessRuns[type] ?? 0) > 0));
}

/** Settings whose choice is a durability cost: varying one adds the fsyncs-per-ack column. */
const FSYNC_KEYS = new Set(['protocol.replication', 'raft.fsync', 'broker.flush.messages', 'broker.flush.ms', 'flush.messages', 'flush.ms']);

function showsFsyncs(varies: readonly Vary[]): boolean {
  return varies.some((vary) => FSYNC_KEYS.has(vary.key));
}

export function exploreTable(varies: readonly Vary[], rows: readonly ExploreRow[]): string {
  const anomalies = occurring(rows);
  const fsyncs = showsFsyncs(varies);
  const liveness = occurringLiveness(rows);
  const columns: Column[] = [
    ...varies.map((vary): Column => ({ header: settingHeader(vary), align: 'left' })),
    { header: 'runs', align: 'right' },
    ...anomalies.map((type): Column => ({ header: ANOMALY_CODES[type], align: 'right' })),
    ...liveness.map((type): Column => ({ header: LIVENESS_CODES[type], align: 'right' })),
    { header: 'lost', align: 'right' },
    { header: 'dup', align: 'right' },
    { header: 'unavail', align: 'right' },
    { header: 'refused', align: 'right' },
    { header: 'p50', align: 'right' },
    { header: 'p99', align: 'right' },
    ...(fsyncs ? [{ header: 'syncs', align: 'right' } as Column] : []),
    { header: 'settle', align: 'right' },
  ];
  const cells = rows.map((row) => [
    ...varies.map((vary) => settingText(vary, row.settings[vary.key])),
    String(row.runs),
    ...anomalies.map((type) => String(row.anomalyRuns[type] ?? 0)),
    ...liveness.map((type) => String(row.settle.livenessRuns[type] ?? 0)),
    String(row.lostWrites),
    String(row.duplicates),
    formatPercent(row.unavailableShare),
    formatPercent(row.refusedShare),
    formatMs(row.ackLatencyMs.p50),
    formatMs(row.ackLatencyMs.p99),
    ...(fsyncs ? [row.fsyncsPerAck === null ? '-' : row.fsyncsPerAck.toFixed(2)] : []),
    row.settle.meanSettleMs === null ? '-' : (row.settle.meanSettleMs / 1000).toFixed(1),
  ]);
  return formatTable(columns, cells);
}

const LEGEND_COLUMNS = 120;

/** Joins `a · b · c` into lines of at most 120 columns, breaking only between items. */
function legendLines(lead: string, items: readonly string[]): string[] {
  const lines: string[] = [];
  let line = lead;
  for (const item of items) {
    const next = line === lead ? `${line}${item}` : `${line} · ${item}`;
    if (next.length > LEGEND_COLUMNS && line !== lead) {
      lines.push(line);
      line = `  ${item}`;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

/** What the columns shown mean, printed under the table: every short header is spelt out. */
export function tableLegend(varies: readonly Vary[], rows: readonly ExploreRow[]): string {
  const abbreviated = varies.filter((vary) => settingHeader(vary) !== shortKey(vary));
  const runsShowing = [
    ...occurring(rows).map((type) => `${ANOMALY_CODES[type]} ${type}`),
    ...occurringLiveness(rows).map((type) => `${LIVENESS_CODES[type]} ${type}`),
  ];
  return [
    ...(abbreviated.length === 0 ? [] : legendLines('settings: ', abbreviated.map((vary) => `${settingHeader(vary)} = ${shortKey(vary)}`))),
    ...(runsShowing.length === 0 ? [] : legendLines('runs showing: ', runsShowing)),
    'lost: acknowledged records lost (lost-write cases) · dup: records stored twice (duplicate cases)',
    'unavail: share of load time with no ack · refused: share of sends definitely refused',
    'p50, p99: ack latency over all runs, simulated ms · settle: mean simulated s from the end of the load to quiescence',
    ...(showsFsyncs(varies) ? ['syncs: fsyncs on all disks (atomic replaces included) per acknowledged record'] : []),
  ].join('\n');
}
