import { clipDocument } from './display-limits.ts';
import type { ReportBlock, ReportColumn, ReportDocument, ReportMetric } from './document.ts';
import { escapeHtml } from './escape-html.ts';

const FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";

function cellAlign(column: ReportColumn | undefined): string {
  return column?.align === 'right' ? ' align="right" nowrap' : ' align="left"';
}

/** Body cells are left-aligned by default, so only right-aligned ones carry an attribute: every byte counts (see below). */
function bodyCellAlign(column: ReportColumn | undefined): string {
  return column?.align === 'right' ? ' align="right" nowrap' : '';
}

function metricsHtml(items: readonly ReportMetric[]): string {
  const cells = items.map(
    (m) =>
      `<td width="50%" style="padding:8px;vertical-align:top;"><div style="font-size:12px;color:#52606d;">${escapeHtml(m.label)}</div>` +
      `<div style="font-size:22px;font-weight:bold;color:#102a43;">${escapeHtml(m.value)}</div>` +
      (m.detail ? `<div style="font-size:12px;color:#52606d;">${escapeHtml(m.detail)}</div>` : '') +
      '</td>',
  );
  const rows: string[] = [];
  for (let i = 0; i < cells.length; i += 2) {
    rows.push(`<tr>${cells[i]}${cells[i + 1] ?? '<td width="50%"></td>'}</tr>`);
  }
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;">${rows.join('')}</table>`;
}

function stackedHtml(block: Extract<ReportBlock, { kind: 'table' }>): string {
  const card = (values: readonly string[], total: boolean): string => {
    const [title = '', ...rest] = values;
    const lines = rest.map(
      (v, i) =>
        `<div style="margin-top:2px;"><span style="color:#52606d;">${escapeHtml(block.columns[i + 1]?.header ?? '')}:</span> ${escapeHtml(v)}</div>`,
    );
    return (
      `<tr${total ? ' bgcolor="#e4e7eb"' : ''}><td style="padding:8px;border-top:1px solid #d9e2ec;line-height:1.4;">` +
      `<div style="font-weight:bold;color:#102a43;">${escapeHtml(title)}</div>${lines.join('')}</td></tr>`
    );
  };
  const rows = [
    ...block.rows.map((r) => card(r, false)),
    ...(block.footer ? [card(block.footer, true)] : []),
  ];
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:13px;margin-bottom:8px;">${rows.join('')}</table>`;
}

function tableHtml(block: Extract<ReportBlock, { kind: 'table' }>): string {
  if (block.rows.length === 0 && block.empty) {
    return `<p style="margin:4px 0 8px;color:#52606d;">${escapeHtml(block.empty)}</p>`;
  }
  if (block.stacked) return stackedHtml(block);
  // Padding via cellpadding and row shading via bgcolor keep each cell to a few bytes: Gmail clips
  // messages over about 100 KB, and an owner's table can run to hundreds of rows.
  const head = block.columns.map((c) => `<th${cellAlign(c)}>${escapeHtml(c.header)}</th>`).join('');
  const cells = (values: readonly string[]): string =>
    values.map((v, i) => `<td${bodyCellAlign(block.columns[i])}>${escapeHtml(v)}</td>`).join('');
  const body = block.rows
    .map((r, i) => `<tr${i % 2 === 1 ? ' bgcolor="#f5f7fa"' : ''}>${cells(r)}</tr>`)
    .join('');
  const footer = block.footer
    ? `<tr bgcolor="#e4e7eb" style="font-weight:bold;">${cells(block.footer)}</tr>`
    : '';
  return (
    '<div style="overflow-x:auto;">' +
    '<table cellpadding="5" cellspacing="0" border="0" width="100%" style="border-collapse:collapse;font-size:13px;">' +
    `<thead><tr bgcolor="#dde5ee" style="color:#243b53;">${head}</tr></thead><tbody>${body}${footer}</tbody></table></div>`
  );
}

function barsHtml(items: Extract<ReportBlock, { kind: 'bars' }>['items']): string {
  const rows = items.map((item) => {
    const width = Math.round(Math.max(0, Math.min(1, item.ratio)) * 100);
    return (
      `<tr><td style="padding:3px 8px 3px 0;font-size:13px;white-space:nowrap;">${escapeHtml(item.label)}</td>` +
      `<td width="100%" style="padding:3px 0;"><div style="background:#3e7cb1;height:10px;width:${width}%;"></div></td>` +
      `<td style="padding:3px 0 3px 8px;font-size:13px;text-align:right;white-space:nowrap;">${escapeHtml(item.value)}</td></tr>`
    );
  });
  return `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;">${rows.join('')}</table>`;
}

function blockHtml(block: ReportBlock): string {
  switch (block.kind) {
    case 'heading':
      return `<h2 style="font-size:17px;margin:24px 0 8px;color:#102a43;">${escapeHtml(block.text)}</h2>`;
    case 'paragraph':
      return `<p style="margin:4px 0 8px;line-height:1.45;${block.emphasis ? 'font-weight:bold;' : ''}">${escapeHtml(block.text)}</p>`;
    case 'metrics':
      return metricsHtml(block.items);
    case 'list':
      return `<ul style="margin:4px 0 8px;padding-left:20px;line-height:1.45;">${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'table':
      return tableHtml(block);
    case 'bars':
      return barsHtml(block.items);
    case 'image':
      // width/height attributes size the image in Outlook; the CSS lets it shrink to a phone's width.
      return (
        `<img src="cid:${escapeHtml(block.cid)}" alt="${escapeHtml(block.alt)}" width="${block.width}" height="${block.height}" ` +
        `style="display:block;width:100%;max-width:${block.width}px;height:auto;border:0;margin:8px 0;">`
      );
  }
}

/**
 * Renders a report as a self-contained HTML mail: inline CSS only, no external resources,
 * a table layout up to 640px wide that narrows to a phone's width (Outlook for Windows, which ignores
 * max-width, gets a fixed 640px table in a conditional comment). All text is escaped.
 */
export function renderHtml(input: ReportDocument): string {
  // Values from data are cut to a display length here, once for both renderings.
  const doc = clipDocument(input);
  const rows = doc.blocks.map((b) => `<tr><td style="padding:0 20px;">${blockHtml(b)}</td></tr>`).join('\n');
  const footer = doc.footer.map((line) => `<p style="margin:2px 0;">${escapeHtml(line)}</p>`).join('');
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.title)}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:${FONT};color:#1f2933;font-size:14px;">
<div style="display:none;max-height:0;overflow:hidden;">${escapeHtml(doc.preheader)}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;table-layout:fixed;">
<tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="640" cellpadding="0" cellspacing="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:640px;background:#ffffff;border-collapse:collapse;table-layout:fixed;">
<tr><td style="padding:20px 20px 4px;"><h1 style="font-size:20px;margin:0;color:#102a43;">${escapeHtml(doc.title)}</h1></td></tr>
${rows}
<tr><td style="padding:20px;font-size:12px;color:#52606d;">${footer}</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr>
</table>
</body></html>
`;
}
