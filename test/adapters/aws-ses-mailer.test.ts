import { SESClient, SESServiceException, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SesMailer } from '../../lambdas/adapters/aws/ses-mailer.ts';
import type { OutgoingMail } from '../../lambdas/ports/mailer.ts';

const ses = mockClient(SESClient);
const client = new SESClient({ region: 'eu-west-1' });
const raw = new TextEncoder().encode('MIME-Version: 1.0\r\nSubject: test\r\n\r\nbody');

function mail(to: string[]): OutgoingMail {
  return {
    id: 'monthly-2026-10-leadership',
    from: 'reports@example.com',
    to,
    subject: 'Revenue segments 2026-10',
    html: '<p>hi</p>',
    text: 'hi',
    attachments: [],
  };
}

function sesError(name: string, message: string): SESServiceException {
  return new SESServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });
}

beforeEach(() => ses.reset());
afterEach(() => vi.useRealTimers());

describe('SesMailer', () => {
  it('sends the rendered MIME bytes once per recipient, from the configured sender', async () => {
    ses.on(SendRawEmailCommand, { Destinations: ['a@example.com'] }).resolves({ MessageId: 'm-a' });
    ses.on(SendRawEmailCommand, { Destinations: ['b@example.com'] }).resolves({ MessageId: 'm-b' });
    const rendered: OutgoingMail[] = [];
    const mailer = new SesMailer({
      client,
      maxSendRate: 100,
      configurationSet: 'revseg',
      render: async (m) => {
        rendered.push(m);
        return raw;
      },
    });

    const receipt = await mailer.send(mail(['a@example.com', 'b@example.com']));

    expect(rendered).toHaveLength(1);
    expect(receipt).toEqual({
      id: 'monthly-2026-10-leadership',
      messageId: 'm-a',
      accepted: ['a@example.com', 'b@example.com'],
      rejected: [],
      location: 'ses:m-a,m-b',
    });
    expect(ses).toHaveReceivedCommandTimes(SendRawEmailCommand, 2);
    expect(ses).toHaveReceivedCommandWith(SendRawEmailCommand, {
      Source: 'reports@example.com',
      Destinations: ['a@example.com'],
      RawMessage: { Data: raw },
      ConfigurationSetName: 'revseg',
    });
  });

  it('retries a throttled send with backoff and then delivers', async () => {
    ses
      .on(SendRawEmailCommand)
      .rejectsOnce(sesError('Throttling', 'Maximum sending rate exceeded.'))
      .rejectsOnce(sesError('Throttling', 'Maximum sending rate exceeded.'))
      .resolves({ MessageId: 'm-1' });
    const mailer = new SesMailer({ client, maxSendRate: 100, retryMinMs: 1, render: async () => raw });

    const receipt = await mailer.send(mail(['a@example.com']));

    expect(receipt.accepted).toEqual(['a@example.com']);
    expect(receipt.rejected).toEqual([]);
    expect(ses).toHaveReceivedCommandTimes(SendRawEmailCommand, 3);
  });

  it('reports each recipient that failed and still sends to the others', async () => {
    ses
      .on(SendRawEmailCommand, { Destinations: ['ok@example.com'] })
      .resolves({ MessageId: 'm-ok' })
      .on(SendRawEmailCommand, { Destinations: ['bad@example.com'] })
      .rejects(
        sesError(
          'MessageRejected',
          'Email address is not verified. The following identities failed the check',
        ),
      )
      .on(SendRawEmailCommand, { Destinations: ['busy@example.com'] })
      .rejects(sesError('Throttling', 'Maximum sending rate exceeded.'));
    const mailer = new SesMailer({
      client,
      maxSendRate: 100,
      throttleRetries: 2,
      retryMinMs: 1,
      render: async () => raw,
    });

    const receipt = await mailer.send(mail(['bad@example.com', 'ok@example.com', 'busy@example.com']));

    expect(receipt.accepted).toEqual(['ok@example.com']);
    expect(receipt.rejected).toEqual([
      {
        recipient: 'bad@example.com',
        reason: 'MessageRejected: Email address is not verified. The following identities failed the check',
      },
      { recipient: 'busy@example.com', reason: 'Throttling: Maximum sending rate exceeded.' },
    ]);
    expect(receipt.messageId).toBe('m-ok');
    // bad: 1 attempt (not retriable); ok: 1; busy: 1 + 2 retries.
    expect(ses).toHaveReceivedCommandTimes(SendRawEmailCommand, 5);
  });

  it('does not retry an exhausted daily quota', async () => {
    ses.on(SendRawEmailCommand).rejects(sesError('Throttling', 'Daily message quota exceeded.'));
    const mailer = new SesMailer({ client, maxSendRate: 100, retryMinMs: 1, render: async () => raw });

    const receipt = await mailer.send(mail(['a@example.com']));

    expect(receipt.accepted).toEqual([]);
    expect(receipt.rejected).toEqual([
      { recipient: 'a@example.com', reason: 'Throttling: Daily message quota exceeded.' },
    ]);
    expect(receipt.location).toBe('ses:not sent');
    expect(ses).toHaveReceivedCommandTimes(SendRawEmailCommand, 1);
  });

  it('paces sends to the maximum send rate', async () => {
    vi.useFakeTimers({ now: 0 });
    const sentAt: number[] = [];
    ses.on(SendRawEmailCommand).callsFake(() => {
      sentAt.push(Date.now());
      return { MessageId: `m-${sentAt.length}` };
    });
    const mailer = new SesMailer({ client, maxSendRate: 2, render: async () => raw });
    const recipients = ['a', 'b', 'c', 'd', 'e'].map((r) => `${r}@example.com`);

    const sending = mailer.send(mail(recipients));
    await vi.advanceTimersByTimeAsync(5_000);
    const receipt = await sending;

    expect(receipt.accepted).toEqual(recipients);
    // 2 per second: no 1-second window holds more than 2 sends, so 5 sends span at least 2 seconds.
    for (const start of sentAt) {
      expect(sentAt.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(2);
    }
    expect((sentAt.at(-1) ?? 0) - (sentAt[0] ?? 0)).toBeGreaterThanOrEqual(2000);
  });
});
