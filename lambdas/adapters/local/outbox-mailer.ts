import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MailError } from '../../core/errors.ts';
import { messageIdFor, renderMime } from '../../core/report/mime.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type { Mailer, MailReceipt, OutgoingMail } from '../../ports/mailer.ts';

/** Construction options of {@link OutboxMailer}. */
export interface OutboxMailerProps {
  /**
   * Gives the Date header of each message.
   * @default systemClock
   */
  readonly clock?: Clock;
}

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

function assertSafeName(name: string, what: string, mailId: string): void {
  if (!SAFE_NAME.test(name) || name.includes('..')) {
    throw new MailError(
      `mail ${mailId}: ${what} '${name}' is not a safe file name; use letters, digits, '.', '_' and '-' only`,
    );
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The local Mailer: writes each mail into a folder instead of sending it.
 * - `<dir>/<id>.eml`: the exact MIME bytes that SES would send (open it in any mail client);
 * - `<dir>/<id>.html`: the HTML part, browsable, with `cid:` images pointing at files in `<id>/`;
 * - `<dir>/<id>/`: every attachment (CSV files, inline images) as a file.
 * A second send of the same id replaces the earlier files.
 */
export class OutboxMailer implements Mailer {
  private readonly clock: Clock;

  constructor(
    private readonly dir: string,
    props: OutboxMailerProps = {},
  ) {
    this.clock = props.clock ?? systemClock;
  }

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    assertSafeName(mail.id, 'id', mail.id);
    for (const a of mail.attachments) assertSafeName(a.filename, 'attachment file name', mail.id);
    const eml = path.join(this.dir, `${mail.id}.eml`);
    const attachmentDir = path.join(this.dir, mail.id);
    try {
      const raw = await renderMime(mail, { date: this.clock.now() });
      await mkdir(this.dir, { recursive: true });
      await rm(attachmentDir, { recursive: true, force: true });
      if (mail.attachments.length > 0) await mkdir(attachmentDir, { recursive: true });
      let html = mail.html;
      for (const a of mail.attachments) {
        await writeFile(path.join(attachmentDir, a.filename), a.content);
        if (a.cid) {
          const target = `${encodeURIComponent(mail.id)}/${encodeURIComponent(a.filename)}`;
          html = html.replace(new RegExp(`cid:${escapeRegExp(a.cid)}(?=["')\\s>])`, 'g'), target);
        }
      }
      await writeFile(eml, raw);
      await writeFile(path.join(this.dir, `${mail.id}.html`), html);
    } catch (error) {
      if (error instanceof MailError) throw error;
      throw new MailError(
        `outbox ${this.dir}: mail ${mail.id} could not be written: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    return {
      id: mail.id,
      messageId: messageIdFor(mail),
      accepted: [...mail.to],
      rejected: [],
      location: eml,
    };
  }
}
