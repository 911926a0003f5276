import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../lambdas/adapters/local/outbox-mailer.ts';
import { MailError } from '../../lambdas/core/errors.ts';
import { messageIdFor } from '../../lambdas/core/report/mime.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import type { OutgoingMail } from '../../lambdas/ports/mailer.ts';

// A 1x1 transparent PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const CSV = 'account_id,account_name\r\nA1,"\'=cmd()"\r\n';

const MAIL: OutgoingMail = {
  id: 'monthly-2026-10-leadership',
  from: 'reports@corp.example',
  to: ['ceo@corp.example', 'cfo@corp.example'],
  subject: 'Revenue segments — October 2026 (monthly)',
  html: '<!DOCTYPE html><html><body><p>O&#39;Brien &amp; Sons</p><img src="cid:seasonality" alt="Seasonality"></body></html>',
  text: "O'Brien & Sons\n",
  attachments: [
    { filename: 'segment-kpis-2026-10.csv', content: CSV, contentType: 'text/csv; charset=utf-8' },
    {
      filename: 'seasonality.png',
      content: new Uint8Array(PNG),
      contentType: 'image/png',
      cid: 'seasonality',
    },
  ],
};

describe('OutboxMailer', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'revseg-outbox-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  function mailer(): OutboxMailer {
    return new OutboxMailer(path.join(dir, 'outbox'), { clock: fixedClock('2026-11-02T06:00:00Z') });
  }

  it('writes the .eml, a browsable .html and the attachments, and returns the .eml as location', async () => {
    const receipt = await mailer().send(MAIL);
    const outbox = path.join(dir, 'outbox');
    expect(receipt).toEqual({
      id: MAIL.id,
      messageId: messageIdFor(MAIL),
      accepted: ['ceo@corp.example', 'cfo@corp.example'],
      rejected: [],
      location: path.join(outbox, 'monthly-2026-10-leadership.eml'),
    });
    expect((await readdir(outbox)).sort()).toEqual([
      'monthly-2026-10-leadership',
      'monthly-2026-10-leadership.eml',
      'monthly-2026-10-leadership.html',
    ]);
    expect((await readdir(path.join(outbox, MAIL.id))).sort()).toEqual([
      'seasonality.png',
      'segment-kpis-2026-10.csv',
    ]);
    expect(await readFile(path.join(outbox, MAIL.id, 'segment-kpis-2026-10.csv'), 'utf8')).toBe(CSV);
    expect((await readFile(path.join(outbox, MAIL.id, 'seasonality.png'))).equals(PNG)).toBe(true);

    const html = await readFile(path.join(outbox, `${MAIL.id}.html`), 'utf8');
    expect(html).toBe(MAIL.html.replace('cid:seasonality', 'monthly-2026-10-leadership/seasonality.png'));
  });

  it('writes an .eml that parses back to the same mail', async () => {
    const receipt = await mailer().send(MAIL);
    const parsed = await simpleParser(await readFile(receipt.location));
    expect(parsed.subject).toBe(MAIL.subject);
    expect(parsed.from?.value.map((v) => v.address)).toEqual(['reports@corp.example']);
    const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
    expect(to.flatMap((t) => t?.value.map((v) => v.address))).toEqual(MAIL.to);
    expect(parsed.date?.toISOString()).toBe('2026-11-02T06:00:00.000Z');
    expect(parsed.messageId).toBe(receipt.messageId);
    expect(parsed.text).toBe("O'Brien & Sons\n");
    expect(parsed.html).toContain('<p>O&#39;Brien &amp; Sons</p>');
    const attachments = parsed.attachments
      .map((a) => [a.filename, a.contentType, a.cid ?? null, a.content.toString('base64')])
      .sort();
    expect(attachments).toEqual([
      ['seasonality.png', 'image/png', 'seasonality', PNG.toString('base64')],
      ['segment-kpis-2026-10.csv', 'text/csv', null, Buffer.from(CSV).toString('base64')],
    ]);
  });

  it('writes the same bytes for the same mail and clock', async () => {
    const first = await readFile((await mailer().send(MAIL)).location);
    const second = await readFile((await mailer().send(MAIL)).location);
    expect(second.equals(first)).toBe(true);
  });

  it('replaces the attachments of an earlier send of the same id', async () => {
    await mailer().send(MAIL);
    await mailer().send({ ...MAIL, attachments: [] });
    expect(await readdir(path.join(dir, 'outbox'))).not.toContain(MAIL.id);
  });

  it.each([
    [{ ...MAIL, id: '../escape' }, "mail ../escape: id '../escape' is not a safe file name"],
    [
      { ...MAIL, attachments: [{ filename: '../x.csv', content: 'x', contentType: 'text/csv' }] },
      "mail monthly-2026-10-leadership: attachment file name '../x.csv' is not a safe file name",
    ],
  ])('refuses unsafe file names (%#)', async (mail, message) => {
    await expect(mailer().send(mail)).rejects.toThrow(MailError);
    await expect(mailer().send(mail)).rejects.toThrow(message);
    await expect(readdir(dir)).resolves.toEqual([]);
  });
});
