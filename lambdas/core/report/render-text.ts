import { clipDocument } from './display-limits.ts';
import type { ReportBlock, ReportColumn, ReportDocument } from './document.ts';

const BAR_WIDTH = 20;

function width(text: string): number {
  return [...text].length;
}

function pad(text: string, size: number, column: ReportColumn | undefined): string {
  const gap = ' '.repeat(Math.max(0, size - width(text)));
  return column?.align === 'right' ? gap + text : text + gap;
}

function tableText(block: Extract<ReportBlock, { kind: 'table' }>): string[] {
  if (block.rows.length === 0 && block.empty) return [block.empty];
  const all = [block.columns.map((c) => c.header), ...block.rows, ...(block.footer ? [block.footer] : [])];
  const sizes = block.columns.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))));
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

function blockText(block: ReportBlock): string[] {
  switch (block.kind) {
    case 'heading':
      return ['', block.text, '-'.repeat(width(block.text))];
    case 'paragraph':
      return [block.text];
    case 'metrics':
      return block.items.map((m) => `${m.label}: ${m.value}${m.detail ? ` (${m.detail})` : ''}`);
    case 'list':
      return block.items.map((i) => `- ${i}`);
    case 'table':
      return tableText(block);
    case 'image':
      return [`[Chart] ${block.alt}`];
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

/** Renders a report as the plain-text alternative of its HTML: the same content, aligned columns. */
export function renderText(input: ReportDocument): string {
  // Values from data are cut to a display length here, once for both renderings.
  const doc = clipDocument(input);
  const lines = [
    doc.title,
    '='.repeat(width(doc.title)),
    ...doc.blocks.flatMap(blockText),
    '',
    ...doc.footer,
  ];
  return `${lines.join('\n')}\n`;
}
