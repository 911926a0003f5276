import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { OutgoingMail } from '../../ports/mailer.ts';
import { MailError } from '../errors.ts';

/** Options of {@link renderMime}. */
export interface RenderMimeOptions {
  /**
   * The Date header; pass the run's clock time (or the report's `generatedAt`) so a render can be
   * repeated byte for byte.
   * @default the current time
   */
  readonly date?: Date;
}

function fingerprint(mail: OutgoingMail): string {
  const hash = createHash('sha256');
  for (const part of [mail.id, mail.from, mail.to.join(','), mail.subject, mail.text, mail.html]) {
    hash.update(part).update('\u0000');
  }
  for (const a of mail.attachments) {
    hash.update(a.filename).update('\u0000').update(a.content).update('\u0000');
  }
  return hash.digest('hex');
}

/** Shown as the sender when the configured `from` is a bare address, so inboxes say who wrote. */
export const SENDER_NAME = 'Revenue Segments';

/**
 * Every report mail is machine-written: `Auto-Submitted` (RFC 3834) stops vacation responders and other
 * robots from replying, `X-Auto-Response-Suppress` does the same for Exchange and Outlook.
 */
export const AUTOMATED_HEADERS: Readonly<Record<string, string>> = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
};

/** `Name <address>` stays as it is; a bare address gets {@link SENDER_NAME} as its display name. */
function sender(from: string): string | { name: string; address: string } {
  return /<[^>]+>\s*$/.test(from) ? from : { name: SENDER_NAME, address: from.trim() };
}

function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain =
    at >= 0
      ? address
          .slice(at + 1)
          .replace(/>\s*$/, '')
          .trim()
      : '';
  return /^[a-z0-9.-]+$/i.test(domain) ? domain : 'revenue-segments.invalid';
}

/**
 * The Message-ID of a mail, derived from its id and content: `<id.hash@sender-domain>`. The same
 * mail gives the same id, a changed one a new id.
 */
export function messageIdFor(mail: OutgoingMail): string {
  return messageIdOf(mail, fingerprint(mail));
}

function messageIdOf(mail: OutgoingMail, print: string): string {
  return `<${mail.id}.${print.slice(0, 16)}@${domainOf(mail.from)}>`;
}

/**
 * Renders a mail as RFC 5322 bytes with nodemailer's MailComposer: multipart/alternative text and
 * HTML, attachments, and images with a `cid` inline (multipart/related). Message-ID and MIME
 * boundaries derive from the mail, the Date from `options.date`, so the output is deterministic.
 * The same bytes feed the outbox locally and SES SendRawEmail on AWS.
 */
export async function renderMime(mail: OutgoingMail, options: RenderMimeOptions = {}): Promise<Buffer> {
  if (mail.to.length === 0) throw new MailError(`mail ${mail.id} has no recipients`);
  const print = fingerprint(mail);
  const composer = new MailComposer({
    from: sender(mail.from),
    to: [...mail.to],
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: messageIdOf(mail, print),
    headers: { ...AUTOMATED_HEADERS },
    date: options.date ?? new Date(),
    baseBoundary: print.slice(16, 32),
    boundaryPrefix: '--_revseg',
    attachments: mail.attachments.map((a) => ({
      filename: a.filename,
      content: typeof a.content === 'string' ? a.content : Buffer.from(a.content),
      contentType: a.contentType,
      ...(a.cid ? { cid: a.cid } : {}),
    })),
  });
  try {
    return await composer.compile().build();
  } catch (error) {
    throw new MailError(`mail ${mail.id} could not be rendered as MIME: ${(error as Error).message}`, {
      cause: error,
    });
  }
}
