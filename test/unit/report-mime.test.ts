import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { MailError } from '../../lambdas/core/errors.ts';
import { messageIdFor, renderMime } from '../../lambdas/core/report/mime.ts';
import type { OutgoingMail } from '../../lambdas/ports/mailer.ts';

// A 1x1 transparent PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const MAIL: OutgoingMail = {
  id: 'monthly-2026-10-owner-jane-corp-example',
  from: 'reports@corp.example',
  to: ['jane@corp.example'],
  subject: 'Revenue segments — your accounts — October 2026 (monthly)',
  html: '<p>Caf\u00e9 &amp; co</p><img src="cid:chart-1" alt="chart">',
  text: 'Café & co\n',
  attachments: [
    { filename: 'accounts-2026-10.csv', content: 'a,b\r\n1,2\r\n', contentType: 'text/csv; charset=utf-8' },
    { filename: 'chart.png', content: new Uint8Array(PNG), contentType: 'image/png', cid: 'chart-1' },
  ],
};

const DATE = new Date('2026-11-02T06:00:00Z');

describe('renderMime', () => {
  it('is deterministic for the same mail and date', async () => {
    const a = await renderMime(MAIL, { date: DATE });
    const b = await renderMime(MAIL, { date: DATE });
    expect(a.equals(b)).toBe(true);
  });

  it('builds multipart/alternative text + html, an inline image by cid and a CSV attachment', async () => {
    const raw = await renderMime(MAIL, { date: DATE });
    // Unfold header lines (RFC 5322 2.2.3) before looking at them.
    const head = raw.toString('utf8', 0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
    expect(head).toMatch(/^Content-Type: multipart\/mixed;/m);
    expect(raw.toString('utf8')).toMatch(/Content-Type: multipart\/alternative;/);
    expect(raw.toString('utf8')).toMatch(/Content-Type: multipart\/related; type="text\/html"/);
    expect(head).toContain(`Message-ID: ${messageIdFor(MAIL)}`);
    expect(head).toContain('Date: Mon, 02 Nov 2026 06:00:00 +0000');

    const parsed = await simpleParser(raw);
    expect(parsed.subject).toBe(MAIL.subject);
    expect(parsed.from?.value[0]?.address).toBe('reports@corp.example');
    expect(parsed.text).toBe('Café & co\n');
    expect(parsed.html).toContain('<p>Caf\u00e9 &amp; co</p>');
    expect(parsed.messageId).toBe(messageIdFor(MAIL));
    const csv = parsed.attachments.find((a) => a.filename === 'accounts-2026-10.csv');
    expect(csv?.content.toString('utf8')).toBe('a,b\r\n1,2\r\n');
    expect(csv?.contentDisposition).toBe('attachment');
    const image = parsed.attachments.find((a) => a.filename === 'chart.png');
    expect(image?.cid).toBe('chart-1');
    expect(image?.contentDisposition).toBe('inline');
    expect(image?.content.equals(PNG)).toBe(true);
  });

  it('names the sender and marks the mail as automatic so vacation responders stay quiet', async () => {
    const raw = await renderMime(MAIL, { date: DATE });
    const head = raw.toString('utf8', 0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
    expect(head).toMatch(/^From: Revenue Segments <reports@corp\.example>$/m);
    expect(head).toMatch(/^Auto-Submitted: auto-generated$/m);
    expect(head).toMatch(/^X-Auto-Response-Suppress: All$/m);
    const named = await simpleParser(
      await renderMime({ ...MAIL, from: 'Sales Ops <ops@corp.example>' }, { date: DATE }),
    );
    expect(named.from?.value[0]).toEqual({ name: 'Sales Ops', address: 'ops@corp.example' });
    expect(messageIdFor({ ...MAIL, from: 'Sales Ops <ops@corp.example>' })).toMatch(/@corp\.example>$/);
  });

  it('derives the Message-ID from the mail id and content and the sender domain', () => {
    expect(messageIdFor(MAIL)).toMatch(
      /^<monthly-2026-10-owner-jane-corp-example\.[0-9a-f]{16}@corp\.example>$/,
    );
    expect(messageIdFor({ ...MAIL, text: 'changed' })).not.toBe(messageIdFor(MAIL));
  });

  it('refuses a mail without recipients', async () => {
    await expect(renderMime({ ...MAIL, to: [] })).rejects.toThrow(MailError);
    await expect(renderMime({ ...MAIL, to: [] })).rejects.toThrow(`mail ${MAIL.id} has no recipients`);
  });
});
