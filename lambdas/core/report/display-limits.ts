import type { ReportBlock, ReportDocument } from './document.ts';

/**
 * Longest text a mail shows for one value from data (a name, an industry, a table cell or list item); the
 * attached CSV and the snapshot keep the whole value. A pasted paragraph in an account name would otherwise
 * repeat in every table that names the account and push the mail past the mail service's size limit.
 */
export const MAX_DISPLAY_CHARS = 500;

/** Longest paragraph: prose the report writes itself is far shorter; more means data flowed into it. */
export const MAX_PARAGRAPH_CHARS = 2_000;

/** Cuts text to `max` characters (whole code points), ending in `…` when it was longer. */
export function clipText(text: string, max = MAX_DISPLAY_CHARS): string {
  if (text.length <= max) return text;
  const points: string[] = [];
  for (const point of text) {
    points.push(point);
    if (points.length > max) return `${points.slice(0, max - 1).join('')}…`;
  }
  return text;
}

function clipBlock(block: ReportBlock): ReportBlock {
  switch (block.kind) {
    case 'heading':
      return { ...block, text: clipText(block.text) };
    case 'paragraph':
      return { ...block, text: clipText(block.text, MAX_PARAGRAPH_CHARS) };
    case 'metrics':
      return {
        ...block,
        items: block.items.map((m) => ({
          label: clipText(m.label),
          value: clipText(m.value),
          ...(m.detail === undefined ? {} : { detail: clipText(m.detail, MAX_PARAGRAPH_CHARS) }),
        })),
      };
    case 'list':
      return { ...block, items: block.items.map((item) => clipText(item, MAX_PARAGRAPH_CHARS)) };
    case 'table':
      return {
        ...block,
        rows: block.rows.map((row) => row.map((cell) => clipText(cell))),
        ...(block.footer ? { footer: block.footer.map((cell) => clipText(cell)) } : {}),
      };
    case 'bars':
      return { ...block, items: block.items.map((b) => ({ ...b, label: clipText(b.label) })) };
    case 'image':
      return { ...block, alt: clipText(block.alt, MAX_PARAGRAPH_CHARS) };
  }
}

/** The document with every value cut to a sane display length, for both the HTML and the plain text. */
export function clipDocument(doc: ReportDocument): ReportDocument {
  return {
    ...doc,
    title: clipText(doc.title),
    preheader: clipText(doc.preheader),
    blocks: doc.blocks.map(clipBlock),
    footer: doc.footer.map((line) => clipText(line, MAX_PARAGRAPH_CHARS)),
  };
}
