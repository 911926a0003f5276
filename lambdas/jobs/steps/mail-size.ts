import { escapeHtml } from '../../core/report/escape-html.ts';
import type { MailAttachment, OutgoingMail } from '../../ports/mailer.ts';

/** SES v1 SendRawEmail refuses a message over 10 MB (after encoding); the outbox mirrors it. */
export const SES_MAX_MESSAGE_BYTES = 10_000_000;

/** Room left under the limit for what the mail service adds (DKIM signature, its own headers). */
const HEADROOM_BYTES = 100_000;

/** Longest plain-text excerpt kept in a mail whose body alone is over the limit. */
const EXCERPT_CHARS = 200_000;

/** A mail cut down to fit, with what was left out (for the run's outcome). */
export interface FittedMail {
  readonly mail: OutgoingMail;
  /** Empty when the mail fitted as it was. */
  readonly leftOut: readonly string[];
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

function contentBytes(a: MailAttachment): number {
  return typeof a.content === 'string' ? Buffer.byteLength(a.content) : a.content.byteLength;
}

function withNote(mail: OutgoingMail, note: string): OutgoingMail {
  const html = `<p style="padding:8px;border:1px solid #d9822b;color:#102a43;">${escapeHtml(note)}</p>`;
  const bodyAt = mail.html.search(/<body[^>]*>/i);
  const openEnd = bodyAt >= 0 ? mail.html.indexOf('>', bodyAt) + 1 : 0;
  return {
    ...mail,
    html: `${mail.html.slice(0, openEnd)}${html}${mail.html.slice(openEnd)}`,
    text: `${note}\n\n${mail.text}`,
  };
}

/**
 * Cuts a mail down until its encoded size fits the transport's limit, so one oversized report never fails a
 * run: first the attachments go, largest first (CSV files before inline charts; the snapshot and the outbox keep
 * the data), then, if the body alone is still too large, it is replaced by a plain-text excerpt. A note at the
 * top of the mail says what was left out and where to find it.
 * @param measure the encoded size of a mail (the MIME renderer).
 */
export async function fitMailToLimit(
  mail: OutgoingMail,
  limitBytes: number,
  measure: (mail: OutgoingMail) => Promise<number>,
  snapshotLocation: string,
): Promise<FittedMail> {
  const target = Math.max(limitBytes - HEADROOM_BYTES, limitBytes / 2);
  const original = await measure(mail);
  if (original <= target) return { mail, leftOut: [] };
  const leftOut: string[] = [];
  const noteFor = () =>
    `This mail was cut down to stay under the ${megabytes(limitBytes)} size limit of the mail service ` +
    `(it would have been ${megabytes(original)}); left out: ${leftOut.join(', ')}. ` +
    `The complete data is in the snapshot at ${snapshotLocation}.`;
  // CSV files and other attachments before inline images, each kind largest first.
  const order = [...mail.attachments].sort(
    (a, b) => Number(a.cid !== undefined) - Number(b.cid !== undefined) || contentBytes(b) - contentBytes(a),
  );
  let attachments = [...mail.attachments];
  for (const drop of order) {
    attachments = attachments.filter((a) => a !== drop);
    leftOut.push(`${drop.filename} (${megabytes(contentBytes(drop))})`);
    const candidate = withNote({ ...mail, attachments }, noteFor());
    if ((await measure(candidate)) <= target) return { mail: candidate, leftOut };
  }
  leftOut.push('the body, shown below as a plain-text excerpt');
  const note = noteFor();
  let chars = Math.min(EXCERPT_CHARS, Math.floor(target / 4));
  for (;;) {
    const excerpt = mail.text.length > chars ? `${mail.text.slice(0, chars)}\n…` : mail.text;
    const cut: OutgoingMail = {
      ...mail,
      attachments: [],
      html: `<!doctype html><html><body><p>${escapeHtml(note)}</p><pre style="white-space:pre-wrap;">${escapeHtml(excerpt)}</pre></body></html>`,
      text: `${note}\n\n${excerpt}`,
    };
    if (chars === 0 || (await measure(cut)) <= target) return { mail: cut, leftOut };
    chars = Math.floor(chars / 2);
  }
}
