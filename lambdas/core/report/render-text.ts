import { clipDocument } from './display-limits.ts';
import type { ReportBlock, ReportColumn, ReportDocument } from './document.ts';
import { splitColumns } from './table-layout.ts';

/** Plain-text mail lines stay within 78 characters (RFC 5322's recommendation), so no client re-wraps them. */
export const TEXT_WIDTH = 78;

const BAR_WIDTH = 20;

type TableBlock = Extract<ReportBlock, { kind: 'table' }>;

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, column: ReportColumn | undefined): string {
  const gap = ' '.repeat(Math.max(0, size - width(text)));
  return column?.align === 'right' ? gap + text : text + gap;
}

/**
 * Wraps text at spaces into lines of at most `limit` characters, the first starting with `first` and the rest
 * with `rest` (a hanging indent); a word longer than a line is cut.
 */
export function wrap(text: string, limit = TEXT_WIDTH, first = '', rest = first): string[] {
  const lines: string[] = [];
  let line = first;
  let empty = true;
  const push = () => {
    lines.push(line.trimEnd());
    line = rest;
    empty = true;
  };
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (!empty && width(line) + 1 + width(word) > limit) push();
    let w = [...word];
    // Only a word longer than a whole line gets here without room: it is cut.
    while (empty && width(line) + w.length > limit) {
      const room = Math.max(1, limit - width(line));
      line += w.slice(0, room).join('');
      w = w.slice(room);
      push();
    }
    if (w.length === 0) continue;
    line += (empty ? '' : ' ') + w.join('');
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line.trimEnd());
  return lines;
}

function columnSizes(block: Pick<TableBlock, 'columns' | 'rows' | 'footer'>): number[] {
  const all = [block.columns.map((c) => c.header), ...block.rows, ...(block.footer ? [block.footer] : [])];
  return block.columns.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
}

/** Character widths of the columns plus the two-space gaps between them. */
function textWidth(sizes: readonly number[]): number {
  return sizes.reduce((sum, s) => sum + s, 0) + 2 * Math.max(0, sizes.length - 1);
}

function columnsText(block: Pick<TableBlock, 'columns' | 'rows' | 'footer'>, sizes: number[]): string[] {
  const line = (cells: readonly string[]): string =>
    cells
      .map((v, i) => pad(v, sizes[i] ?? 0, block.columns[i]))
      .join('  ')
      .trimEnd();
  const rule = sizes.map((s) => '-'.repeat(s)).join('  ');
  return [
    line(block.columns.map((c) => c.header)),
    rule,
    ...block.rows.map(line),
    ...(block.footer ? [rule, line(block.footer)] : []),
  ];
}

/** One record per row: the first cell as its title, then `header: value` lines, wrapped. */
function recordsText(block: TableBlock, limit: number): string[] {
  const record = (values: readonly string[]): string[] => {
    const [title = '', ...rest] = values;
    return [
      ...wrap(title, limit, '* ', '  '),
      ...rest.flatMap((v, i) => {
        if (v === '') return [];
        const label = `    ${block.columns[i + 1]?.header ?? ''}: `;
        return wrap(v, limit, label, '      ');
      }),
    ];
  };
  return [...block.rows.flatMap(record), ...(block.footer ? record(block.footer) : [])];
}

/**
 * A table as aligned columns when it fits 78 characters; otherwise split into column groups that repeat the
 * first column, and as records (`header: value` lines) when even two columns do not fit or the HTML stacks it.
 */
function tableText(block: TableBlock, limit: number): string[] {
  if (block.rows.length === 0 && block.empty) return wrap(block.empty, limit);
  const caption = block.caption ? [block.caption] : [];
  if (block.stacked) return [...caption, ...recordsText(block, limit)];
  const sizes = columnSizes(block);
  const parts = splitColumns(
    block,
    limit,
    sizes.map((s, i) => s + (i === 0 ? 0 : 2)),
  );
  const partSizes = parts.map(columnSizes);
  if (partSizes.some((s) => textWidth(s) > limit)) return [...caption, ...recordsText(block, limit)];
  return [
    ...caption,
    ...parts.flatMap((part, i) => [...(i > 0 ? [''] : []), ...columnsText(part, partSizes[i] ?? [])]),
  ];
}

function blockText(block: ReportBlock, limit: number): string[] {
  switch (block.kind) {
    case 'heading':
      return ['', ...wrap(block.text, limit), '-'.repeat(Math.min(limit, width(block.text)))];
    case 'paragraph':
      return wrap(block.text, limit);
    case 'metrics':
      return block.items.flatMap((m) =>
        wrap(`${m.label}: ${m.value}${m.detail ? ` (${m.detail})` : ''}`, limit, '', '  '),
      );
    case 'list':
      return block.items.flatMap((i) => wrap(i, limit, '- ', '  '));
    case 'table':
      return tableText(block, limit);
    case 'image':
      return wrap(`[Chart] ${block.alt}`, limit, '', '  ');
    case 'bars': {
      const labelSize = Math.max(...block.items.map((i) => width(i.label)));
      const valueSize = Math.max(...block.items.map((i) => width(i.value)));
      return block.items.map((i) => {
        const bar = '#'.repeat(Math.round(Math.max(0, Math.min(1, i.ratio)) * BAR_WIDTH));
        return `${pad(i.label, labelSize, undefined)}  ${pad(i.value, valueSize, { header: '', align: 'right' })}  ${bar}`.trimEnd();
      });
    }
  }
}

/**
 * Renders a report as the plain-text alternative of its HTML: the same content, paragraphs wrapped at 78
 * characters (`limit`), tables as aligned columns where they fit and as records where they do not.
 */
export function renderText(input: ReportDocument, limit: number = TEXT_WIDTH): string {
  // Values from data are cut to a display length here, once for both renderings.
  const doc = clipDocument(input);
  const lines = [
    ...wrap(doc.title, limit),
    '='.repeat(Math.min(limit, width(doc.title))),
    ...doc.blocks.flatMap((b) => blockText(b, limit)),
    '',
    ...doc.footer.flatMap((line) => wrap(line, limit)),
  ];
  return `${lines.join('\n')}\n`;
}
