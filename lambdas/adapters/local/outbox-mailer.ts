import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MailError } from '../../core/errors.ts';
import { messageIdFor, renderMime } from '../../core/report/mime.ts';
import { type Clock, systemClock } from '../../ports/clock.ts';
import type { Mailer, MailReceipt, OutgoingMail } from '../../ports/mailer.ts';
import { OWNER_DIR_MODE, OWNER_FILE_MODE } from './folder-object-store.ts';
import { localWriteError } from './write-errors.ts';

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
 * A second send of the same id replaces the earlier files. Files are written owner-only (0600, folders 0700),
 * through temporary names, so a failed write (disk full, read-only folder) leaves no partial mail and its error
 * names the path.
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
    const htmlFile = path.join(this.dir, `${mail.id}.html`);
    const attachmentDir = path.join(this.dir, mail.id);
    const raw = await renderMime(mail, { date: this.clock.now() });
    let html = mail.html;
    for (const a of mail.attachments) {
      if (a.cid) {
        const target = `${encodeURIComponent(mail.id)}/${encodeURIComponent(a.filename)}`;
        html = html.replace(new RegExp(`cid:${escapeRegExp(a.cid)}(?=["')\\s>])`, 'g'), target);
      }
    }
    // Everything is written under hidden temporary names first and renamed into place, the .eml last, so a
    // full disk or a kill never leaves a truncated mail that looks complete.
    const tag = randomUUID();
    const staging = path.join(this.dir, `.${mail.id}.${tag}.tmp`);
    const emlTemp = path.join(this.dir, `.${mail.id}.eml.${tag}.tmp`);
    const htmlTemp = path.join(this.dir, `.${mail.id}.html.${tag}.tmp`);
    let writing = this.dir;
    try {
      await mkdir(this.dir, { recursive: true, mode: OWNER_DIR_MODE });
      if (mail.attachments.length > 0) {
        writing = attachmentDir;
        await mkdir(staging, { mode: OWNER_DIR_MODE });
        for (const a of mail.attachments) {
          await writeFile(path.join(staging, a.filename), a.content, { mode: OWNER_FILE_MODE, flag: 'wx' });
        }
      }
      writing = htmlFile;
      await writeFile(htmlTemp, html, { mode: OWNER_FILE_MODE, flag: 'wx' });
      writing = eml;
      await writeFile(emlTemp, raw, { mode: OWNER_FILE_MODE, flag: 'wx' });
      writing = attachmentDir;
      await rm(attachmentDir, { recursive: true, force: true });
      if (mail.attachments.length > 0) await rename(staging, attachmentDir);
      writing = htmlFile;
      await rename(htmlTemp, htmlFile);
      writing = eml;
      await rename(emlTemp, eml);
    } catch (error) {
      await Promise.all(
        [staging, emlTemp, htmlTemp].map((p) =>
          rm(p, { recursive: true, force: true }).catch(() => undefined),
        ),
      );
      if (error instanceof MailError) throw error;
      const cause = localWriteError(error, writing);
      throw new MailError(`mail ${mail.id} not sent: ${cause.message}`, { cause: error });
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
