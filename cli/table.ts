// Aligned plain-text tables: left-aligned text columns, right-aligned number columns.

export interface Column {
  readonly header: string;
  readonly align: 'left' | 'right';
}

export function formatTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const widths = columns.map((column, i) => Math.max(column.header.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells
    .map((cell, i) => (columns[i]?.align === 'right' ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
  const header = line(columns.map((column) => column.header));
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [header, rule, ...rows.map(line)].join('\n');
}

export function formatPercent(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

export function formatMs(ms: number | null): string {
  return ms === null ? '-' : ms.toFixed(1);
}
