import type { ReportBlock, ReportColumn } from './document.ts';

type TableBlock = Extract<ReportBlock, { kind: 'table' }>;

/**
 * The content width of the mail body in CSS pixels: a 640px body less its 20px side padding. Every table must
 * fit it without scrolling sideways, since Outlook for Windows ignores `overflow` and shows the cut-off page.
 */
export const BODY_WIDTH = 600;

/** The content width on a 375px phone (the body's 8px and 20px side paddings on each side). */
export const PHONE_WIDTH = 319;

/**
 * Average advance of a 13px system sans-serif glyph (digits are 7.2px in Helvetica/Roboto at 13px); a wider
 * guess than the true average, so a table judged to fit does fit.
 */
const CHAR_PX = 8;
/** cellpadding="5" on both sides, plus a little for the bold header. */
const CELL_PAD_PX = 12;
/** Left-aligned text wraps at spaces; a column is not made wider than this many characters for it. */
const WRAP_CHARS = 22;

const chars = (text: string): number => [...text].length;
const longestWord = (text: string): number => Math.max(0, ...text.split(/\s+/).map(chars));

/**
 * How wide each column needs to be, in CSS pixels: right-aligned cells (numbers) do not wrap, left-aligned
 * text wraps at spaces up to a cap, headers wrap at spaces.
 */
export function columnWidths(block: Pick<TableBlock, 'columns' | 'rows' | 'footer'>): number[] {
  const rows = [...block.rows, ...(block.footer ? [block.footer] : [])];
  return block.columns.map((column, i) => {
    const cells = rows.map((r) => r[i] ?? '');
    const cell = Math.max(
      0,
      ...cells.map((v) =>
        column.align === 'right' ? chars(v) : Math.max(longestWord(v), Math.min(chars(v), WRAP_CHARS)),
      ),
    );
    return Math.max(cell, longestWord(column.header)) * CHAR_PX + CELL_PAD_PX;
  });
}

/** The sum of {@link columnWidths}: what the table needs without wrapping numbers. */
export function tableWidth(block: Pick<TableBlock, 'columns' | 'rows' | 'footer'>): number {
  return columnWidths(block).reduce((sum, w) => sum + w, 0);
}

/**
 * Splits a table that is wider than `limit` into tables of fewer columns, each repeating the first column
 * (the row's name) so every part reads on its own; a table that fits comes back as it is. Greedy: columns are
 * taken in order while they fit.
 */
export function splitColumns<T extends Pick<TableBlock, 'columns' | 'rows' | 'footer'>>(
  block: T,
  limit: number,
  widths: readonly number[] = columnWidths(block),
): T[] {
  const total = widths.reduce((sum, w) => sum + w, 0);
  if (total <= limit || block.columns.length <= 2) return [block];
  const first = widths[0] ?? 0;
  const groups: number[][] = [];
  let current: number[] = [];
  let used = first;
  for (let i = 1; i < block.columns.length; i++) {
    const w = widths[i] ?? 0;
    if (current.length > 0 && used + w > limit) {
      groups.push(current);
      current = [];
      used = first;
    }
    current.push(i);
    used += w;
  }
  if (current.length > 0) groups.push(current);
  const pick = <V>(values: readonly V[], group: readonly number[]): V[] =>
    [0, ...group].map((i) => values[i] as V);
  return groups.map((group) => ({
    ...block,
    columns: pick<ReportColumn>(block.columns, group),
    rows: block.rows.map((r) => pick(r, group)),
    ...(block.footer ? { footer: pick(block.footer, group) } : {}),
  }));
}
