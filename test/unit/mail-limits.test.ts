import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { clipDocument, clipText, MAX_DISPLAY_CHARS } from '../../lambdas/core/report/display-limits.ts';
import { renderMime } from '../../lambdas/core/report/mime.ts';
import { renderHtml } from '../../lambdas/core/report/render-html.ts';
import { renderText } from '../../lambdas/core/report/render-text.ts';
import { fitMailToLimit } from '../../lambdas/jobs/steps/mail-size.ts';
import type { OutgoingMail } from '../../lambdas/ports/mailer.ts';

const huge = `Acme ${'x'.repeat(1_000_000)}`;
const measure = async (m: OutgoingMail) => (await renderMime(m)).byteLength;

describe('values from data are cut to a display length in mails', () => {
  it('clips long text on whole characters with an ellipsis and leaves short text alone', () => {
    expect(clipText('Acme Corp')).toBe('Acme Corp');
    expect(clipText(huge)).toHaveLength(MAX_DISPLAY_CHARS);
    expect(clipText(huge).endsWith('…')).toBe(true);
    expect(Array.from(clipText('😀'.repeat(MAX_DISPLAY_CHARS + 5)))).toHaveLength(MAX_DISPLAY_CHARS);
  });

  it('a 1M-character account name makes a small mail, not a 10 MB one', () => {
    const doc = {
      title: 'Revenue segments',
      preheader: 'p',
      blocks: [
        {
          kind: 'table' as const,
          columns: [{ header: 'Account' }],
          rows: Array.from({ length: 10 }, () => [huge]),
        },
        { kind: 'list' as const, items: [`Moved: ${huge}`] },
        { kind: 'paragraph' as const, text: huge },
      ],
      footer: [],
    };
    expect(JSON.stringify(doc).length).toBeGreaterThan(12_000_000);
    expect(renderHtml(doc).length + renderText(doc).length).toBeLessThan(50_000);
    // Unwrapped (the mail wraps at 78 columns), the clipped value reads whole.
    expect(renderText(doc, Number.POSITIVE_INFINITY)).toContain(`${clipText(huge)}`);
    expect(clipDocument(clipDocument(doc))).toEqual(clipDocument(doc));
  });
});

describe('a mail over the transport limit is cut down, never failed', () => {
  const mail: OutgoingMail = {
    id: 'monthly-2026-10-leadership',
    from: 'reports@corp.example',
    to: ['cro@corp.example'],
    subject: 'Revenue segments',
    html: '<!doctype html><html><body><p>Report</p></body></html>',
    text: 'Report',
    attachments: [
      { filename: 'accounts.csv', content: 'a,b\n'.repeat(100_000), contentType: 'text/csv' },
      { filename: 'small.csv', content: 'a,b\n', contentType: 'text/csv' },
      { filename: 'chart.png', content: new Uint8Array(30_000), contentType: 'image/png', cid: 'chart' },
    ],
  };

  it('leaves a mail under the limit as it is', async () => {
    expect(await fitMailToLimit(mail, 10_000_000, measure, 's3://b/snapshots/')).toEqual({
      mail,
      leftOut: [],
    });
  });

  it('drops the largest attachment first and says so at the top of the mail', async () => {
    const { mail: fitted, leftOut } = await fitMailToLimit(mail, 250_000, measure, 's3://b/snapshots/');
    expect(leftOut).toEqual(['accounts.csv (0.4 MB)']);
    expect(fitted.attachments.map((a) => a.filename)).toEqual(['small.csv', 'chart.png']);
    expect(await measure(fitted)).toBeLessThanOrEqual(250_000);
    const parsed = await simpleParser(await renderMime(fitted));
    expect(parsed.text).toMatch(
      /^This mail was cut down to stay under the 0\.3 MB size limit .*left out: accounts\.csv \(0\.4 MB\)\. The complete data is in the snapshot at s3:\/\/b\/snapshots\//,
    );
    expect(parsed.html).toContain('This mail was cut down');
  });

  it('replaces a body that alone is too large with an excerpt', async () => {
    const big = {
      ...mail,
      html: `<html><body>${'<p>row</p>'.repeat(200_000)}</body></html>`,
      text: 'row\n'.repeat(200_000),
    };
    const { mail: fitted, leftOut } = await fitMailToLimit(big, 300_000, measure, '/out/store/snapshots');
    expect(leftOut.at(-1)).toBe('the body, shown below as a plain-text excerpt');
    expect(fitted.attachments).toEqual([]);
    expect(await measure(fitted)).toBeLessThanOrEqual(300_000);
  });
});
