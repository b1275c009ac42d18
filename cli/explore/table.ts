// The explore table: a row per combination, a column per varied setting, then the runs, the runs
// showing each anomaly and each liveness failure that occurred anywhere, records lost and
// duplicated, unavailability (share of load time with no ack; share of sends refused), pooled ack
// latency and the mean time to quiescence.
import type { AnomalyType } from '../../properties/anomaly.js';
import { ANOMALY_TYPES } from '../../properties/anomaly.js';
import type { LivenessName } from '../../scenario/schema.js';
import { LIVENESS_NAMES } from '../../scenario/schema.js';
import type { Vary } from '../../scenario/vary.js';
import { formatMs, formatPercent, formatTable, type Column } from '../table.js';
import type { ExploreRow } from './aggregate.js';
import { settingText, shortKey } from './settings.js';

function occurring(rows: readonly ExploreRow[]): AnomalyType[] {
  return ANOMALY_TYPES.filter((type) => rows.some((row) => (row.anomalyRuns[type] ?? 0) > 0));
}

function occurringLiveness(rows: readonly ExploreRow[]): LivenessName[] {
  return LIVENESS_NAMES.filter((type) => rows.some((row) => (row.settle.livenessRuns[type] ?? 0) > 0));
}

export function exploreTable(varies: readonly Vary[], rows: readonly ExploreRow[]): string {
  const anomalies = occurring(rows);
  const liveness = occurringLiveness(rows);
  const columns: Column[] = [
    ...varies.map((vary): Column => ({ header: shortKey(vary), align: 'left' })),
    { header: 'runs', align: 'right' },
    ...anomalies.map((type): Column => ({ header: type, align: 'right' })),
    ...liveness.map((type): Column => ({ header: type, align: 'right' })),
    { header: 'lost', align: 'right' },
    { header: 'dup', align: 'right' },
    { header: 'unavail', align: 'right' },
    { header: 'refused', align: 'right' },
    { header: 'p50 ms', align: 'right' },
    { header: 'p99 ms', align: 'right' },
    { header: 'settle s', align: 'right' },
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
    row.settle.meanSettleMs === null ? '-' : (row.settle.meanSettleMs / 1000).toFixed(1),
  ]);
  return formatTable(columns, cells);
}

/** What the columns mean, printed under the table. */
export const TABLE_LEGEND = [
  'anomaly columns: runs showing it · lost: acknowledged records lost (lost-write cases) · dup: records stored twice',
  'unavail: share of load time with no ack · refused: share of sends definitely refused · p50/p99: ack latency, simulated ms, over all runs',
  'not-settled, nothing-sent, nothing-polled: runs with that liveness failure (shown when any) · settle s: mean simulated s from the end of the load to quiescence',
].join('\n');
