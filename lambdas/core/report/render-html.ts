import { clipDocument } from './display-limits.ts';
import type { ReportBlock, ReportColumn, ReportDocument, ReportMetric } from './document.ts';
import { escapeHtml } from './escape-html.ts';
import { BODY_WIDTH, columnWidths, PHONE_WIDTH, splitColumns } from './table-layout.ts';

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

type TableBlock = Extract<ReportBlock, { kind: 'table' }>;

/**
 * Light colours are inline (every client shows them); clients that honour `prefers-color-scheme` get the dark
 * ones from the classes below instead of inverting the mail themselves. Charts keep their white card.
 */
const DARK_MODE =
  '@media (prefers-color-scheme:dark){' +
  '.bg{background:#0b1117!important}' +
  '.card{background:#17202a!important;color:#e4e7eb!important}' +
  '.card h1,.card h2,.v{color:#f0f4f8!important}' +
  '.m{color:#aab7c4!important}' +
  '.card thead tr{background:#2a3a4b!important;color:#f0f4f8!important}' +
  '.card tr[bgcolor],table.d>tbody>tr:nth-child(even){background:#1e2935!important}' +
  '.card caption{color:#f0f4f8!important}' +
  '.ch{background:#ffffff!important;border-radius:6px}' +
  '}';

/** Phones: a table too wide for 375px shows each row as a block of `header: value` lines. */
const PHONE_STACK =
  'table.s,table.s tbody,table.s tfoot,table.s tr,table.s td{display:block!important;width:auto!important}' +
  'table.s thead{display:none!important}' +
  'table.s td{text-align:left!important;white-space:normal!important;padding:1px 6px!important}' +
  'table.s tr{padding:6px 0!important;border-top:1px solid #d9e2ec}' +
  'table.s td:first-child{font-weight:bold}';

/** A CSS string literal: quotes, backslashes and anything that could end the `<style>` element escaped. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"<>&\n\r]/g, (c) => `\\${c.charCodeAt(0).toString(16)} `)}"`;
}

/**
 * Collects the per-table CSS of one mail: the labels a stacked table shows before each value on phones. Tables
 * with the same headers share one class, so a mail of many alike tables does not repeat the rules.
 */
class PhoneLabels {
  /** Selectors per label text, so a label shared by many tables ("Accounts: ") is written once. */
  private readonly rules = new Map<string, string[]>();
  private readonly classes = new Map<string, string>();

  /** A class name for a table whose columns need labels, and the rules that add them. */
  add(columns: readonly ReportColumn[]): string {
    const key = columns.map((c) => c.header).join('\u0000');
    const known = this.classes.get(key);
    if (known) return known;
    const name = `t${this.classes.size + 1}`;
    this.classes.set(key, name);
    columns.forEach((c, i) => {
      if (i > 0 && c.header) {
        const content = cssString(`${c.header}: `);
        const selectors = this.rules.get(content) ?? [];
        selectors.push(`.${name} td:nth-child(${i + 1}):before`);
        this.rules.set(content, selectors);
      }
    });
    return name;
  }

  css(): string {
    const rules = [...this.rules].map(([content, selectors]) => `${selectors.join(',')}{content:${content}}`);
    return rules.length === 0
      ? ''
      : `@media (max-width:480px){${PHONE_STACK}${rules.join('')}.s td:before{color:#52606d;font-weight:normal}}`;
  }
}

function cellAlign(column: ReportColumn | undefined): string {
  return column?.align === 'right' ? ' align="right"' : ' align="left"';
}

/**
 * Body cells are left-aligned by default; right-aligned ones (numbers) carry the short class `r` rather than
 * `align="right" nowrap`: an owner's or a quarter's tables run to a thousand cells, and Gmail clips a message
 * over about 100 KB. A client that drops the `<style>` shows the numbers left-aligned, nothing worse.
 */
function bodyCellAlign(column: ReportColumn | undefined): string {
  return column?.align === 'right' ? ' class=r' : '';
}

/** Right-aligned unwrapped numbers and light zebra rows for the data tables, in the `<style>` (see above). */
const TABLE_CSS =
  '.r{text-align:right;white-space:nowrap}table.d>tbody>tr:nth-child(even){background:#f5f7fa}' +
  'h2{font-size:17px;margin:24px 0 8px;color:#102a43}p{margin:4px 0 8px;line-height:1.45}';

function metricsHtml(items: readonly ReportMetric[]): string {
  const cells = items.map(
    (m) =>
      `<td width="50%" style="padding:8px;vertical-align:top;"><div class="m" style="font-size:12px;color:#52606d;">${escapeHtml(m.label)}</div>` +
      `<div class="v" style="font-size:22px;font-weight:bold;color:#102a43;">${escapeHtml(m.value)}</div>` +
      (m.detail ? `<div class="m" style="font-size:12px;color:#52606d;">${escapeHtml(m.detail)}</div>` : '') +
      '</td>',
  );
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    rows.push(`<tr>${cells[i]}${cells[i + 1] ?? '<td width="50%"></td>'}</tr>`);
  }
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;">${rows.join('')}</table>`;
}

function captionHtml(caption: string | undefined): string {
  return caption
    ? `<caption align="top" style="text-align:left;font-weight:bold;padding:6px 0 4px;color:#102a43;">${escapeHtml(caption)}</caption>`
    : '';
}

function stackedHtml(block: TableBlock): string {
  const card = (values: readonly string[], total: boolean): string => {
    const [title = '', ...rest] = values;
    const lines = rest
      .map((v, i) => [block.columns[i + 1]?.header ?? '', v] as const)
      .filter(([, v]) => v !== '')
      .map(
        ([header, v]) =>
          `<div style="margin-top:2px;"><span class="m" style="color:#52606d;">${escapeHtml(header)}:</span> ${escapeHtml(v)}</div>`,
      );
    return (
      `<tr${total ? ' bgcolor="#e4e7eb"' : ''}><td style="padding:8px;border-top:1px solid #d9e2ec;line-height:1.4;">` +
      `<div class="v" style="font-weight:bold;color:#102a43;">${escapeHtml(title)}</div>${lines.join('')}</td></tr>`
    );
  };
  const rows = [
    ...block.rows.map((r) => card(r, false)),
    ...(block.footer ? [card(block.footer, true)] : []),
  ];
  return `<table width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:13px;margin-bottom:8px;">${captionHtml(block.caption)}${rows.join('')}</table>`;
}

/**
 * One table that fits the body: `<th scope="col">` headers, numbers right-aligned and unwrapped, text wrapping.
 * A table that would not fit a phone gets classes that stack its rows there (see {@link PhoneLabels}).
 */
function columnsHtml(block: TableBlock, caption: string | undefined, labels: PhoneLabels): string {
  // Padding via cellpadding, alignment and zebra rows via the <style> keep each cell to a few bytes: Gmail clips
  // messages over about 100 KB, and an owner's table can run to many rows.
  const head = block.columns
    .map((c) => `<th scope="col"${cellAlign(c)}>${escapeHtml(c.header)}</th>`)
    .join('');
  const cells = (values: readonly string[]): string =>
    values.map((v, i) => `<td${bodyCellAlign(block.columns[i])}>${escapeHtml(v)}</td>`).join('');
  const body = block.rows.map((r) => `<tr>${cells(r)}</tr>`).join('');
  const footer = block.footer
    ? `<tfoot><tr bgcolor="#e4e7eb" style="font-weight:bold;">${cells(block.footer)}</tr></tfoot>`
    : '';
  const widths = columnWidths(block);
  const phone = widths.reduce((sum, w) => sum + w, 0) > PHONE_WIDTH;
  const classes = phone ? ` class="d s ${labels.add(block.columns)}"` : ' class="d"';
  return (
    `<table${classes} cellpadding="5" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;font-size:13px;margin-bottom:8px;">` +
    `${captionHtml(caption)}<thead><tr bgcolor="#dde5ee" style="color:#243b53;">${head}</tr></thead><tbody>${body}</tbody>${footer}</table>`
  );
}

function tableHtml(block: TableBlock, labels: PhoneLabels): string {
  if (block.rows.length === 0 && block.empty) {
    return `<p class="m" style="margin:4px 0 8px;color:#52606d;">${escapeHtml(block.empty)}</p>`;
  }
  if (block.stacked) return stackedHtml(block);
  // A table wider than the body is split into parts that each repeat the row names, never scrolled sideways.
  const parts = splitColumns(block, BODY_WIDTH);
  return parts
    .map((part, i) =>
      columnsHtml(
        part,
        i === 0 || !block.caption
          ? block.caption
          : `${block.caption} (continued, ${i + 1} of ${parts.length})`,
        labels,
      ),
    )
    .join('');
}

function barsHtml(items: Extract<ReportBlock, { kind: 'bars' }>['items']): string {
  const rows = items.map((item) => {
    const width = Math.round(Math.max(0, Math.min(1, item.ratio)) * 100);
    return (
      `<tr><td nowrap>${escapeHtml(item.label)}</td>` +
      `<td width="100%"><div style="background:#3e7cb1;height:10px;width:${width}%;"></div></td>` +
      `<td class=r>${escapeHtml(item.value)}</td></tr>`
    );
  });
  return `<table role="presentation" width="100%" cellpadding="3" cellspacing="0" style="border-collapse:collapse;font-size:13px;">${rows.join('')}</table>`;
}

function blockHtml(block: ReportBlock, labels: PhoneLabels): string {
  switch (block.kind) {
    case 'heading':
      // Headings and paragraphs take their look from the <style>, a few bytes each (see TABLE_CSS).
      return `<h2>${escapeHtml(block.text)}</h2>`;
    case 'paragraph':
      return block.emphasis ? `<p><b>${escapeHtml(block.text)}</b></p>` : `<p>${escapeHtml(block.text)}</p>`;
    case 'metrics':
      return metricsHtml(block.items);
    case 'list':
      return `<ul style="margin:4px 0 8px;padding-left:20px;line-height:1.45;">${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'table':
      return tableHtml(block, labels);
    case 'bars':
      return barsHtml(block.items);
    case 'image':
      // width/height attributes size the image in Outlook; the CSS lets it shrink to a phone's width. The white
      // card keeps a chart (drawn on white) looking deliberate when the client shows the mail in dark mode.
      return (
        `<div class="ch" style="background:#ffffff;margin:8px 0;"><img src="cid:${escapeHtml(block.cid)}" alt="${escapeHtml(block.alt)}" width="${block.width}" height="${block.height}" ` +
        `style="display:block;width:100%;max-width:${block.width}px;height:auto;border:0;"></div>`
      );
  }
}

/**
 * Renders a report as a self-contained HTML mail: inline CSS for the light look, a small `<style>` for dark mode
 * and phones, no external resources, a table layout up to 640px wide that narrows to a phone's width (Outlook
 * for Windows, which ignores max-width, gets a fixed 640px table in a conditional comment). Tables never
 * scroll sideways: a table wider than the body is split, and on a phone a wide one stacks. All text is escaped.
 */
export function renderHtml(input: ReportDocument): string {
  // Values from data are cut to a display length here, once for both renderings.
  const doc = clipDocument(input);
  const labels = new PhoneLabels();
  const rows = doc.blocks
    .map((b) => `<tr><td style="padding:0 20px;">${blockHtml(b, labels)}</td></tr>`)
    .join('\n');
  const footer = doc.footer.map((line) => `<p style="margin:2px 0;">${escapeHtml(line)}</p>`).join('');
  return `<!DOCTYPE html>
<html lang="${escapeHtml(doc.lang ?? 'en')}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="color-scheme" content="light dark"><meta name="supported-color-schemes" content="light dark">
<title>${escapeHtml(doc.title)}</title>
<style>:root{color-scheme:light dark;supported-color-schemes:light dark}${TABLE_CSS}${DARK_MODE}${labels.css()}</style></head>
<body class="bg" style="margin:0;padding:0;background:#f4f5f7;font-family:${FONT};color:#1f2933;font-size:14px;">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(doc.preheader)}</div>
<table role="presentation" class="bg" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;table-layout:fixed;">
<tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="640" cellpadding="0" cellspacing="0"><tr><td><![endif]-->
<table role="presentation" class="card" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;background:#ffffff;border-collapse:collapse;table-layout:fixed;">
<tr><td style="padding:20px 20px 4px;"><h1 style="font-size:20px;margin:0;color:#102a43;">${escapeHtml(doc.title)}</h1></td></tr>
${rows}
<tr><td class="m" style="padding:20px;font-size:12px;color:#52606d;">${footer}</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body></html>
`;
}
