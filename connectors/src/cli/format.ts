import type { Cursor } from '../sdk/connector';

/** 12,345 */
export function count(n: number): string {
  return n.toLocaleString('en');
}

/** A cursor as one short token: numbers and strings bare, anything else as JSON; `-` when none. */
export function cursorText(cursor: Cursor | undefined): string {
  if (cursor === undefined || cursor === null) return '-';
  return typeof cursor === 'string' || typeof cursor === 'number' ? String(cursor) : JSON.stringify(cursor);
}

/** An instant to the second, in UTC. */
export function instant(date: Date | null | undefined): string {
  return date ? date.toISOString().replace(/\.\d{3}Z$/, 'Z') : '-';
}

/** Lines of a table whose columns are padded to their widest cell. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}
