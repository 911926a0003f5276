import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import pRetry from 'p-retry';
import pThrottle from 'p-throttle';
import { renderMime } from '../../core/report/mime.ts';
import type { Mailer, MailFailure, MailReceipt, OutgoingMail } from '../../ports/mailer.ts';

const defaultSes = new SESClient({});

export interface SesMailerProps {
  /** The account's SES maximum send rate, in recipients per second. @default 1 */
  readonly maxSendRate?: number;
  /** Retries of a throttled send before the recipient is reported as failed. @default 5 */
  readonly throttleRetries?: number;
  /** First retry delay; it doubles, with jitter, up to 20 s. @default 500 */
  readonly retryMinMs?: number;
  /** SES configuration set for event publishing. @default none */
  readonly configurationSet?: string;
  readonly client?: SESClient;
  /** Builds the MIME bytes; the outbox writes the same message. @default renderMime */
  readonly render?: (mail: OutgoingMail) => Promise<Uint8Array>;
}

/**
 * Sends mail through SES SendRawEmail with the same MIME message the local outbox writes. Each recipient
 * gets its own send, so one refused address neither blocks nor hides the others; sends are paced to the
 * account's rate and throttling is retried with jittered exponential backoff.
 */
export class SesMailer implements Mailer {
  private readonly client: SESClient;
  private readonly render: (mail: OutgoingMail) => Promise<Uint8Array>;
  private readonly sendOne: (source: string, recipient: string, data: Uint8Array) => Promise<string>;

  constructor(private readonly props: SesMailerProps = {}) {
    this.client = props.client ?? defaultSes;
    this.render = props.render ?? renderMime;
    const rate = props.maxSendRate ?? 1;
    const limit = Math.max(1, Math.floor(rate));
    const throttle = pThrottle({ limit, interval: Math.ceil((1000 * limit) / rate), strict: true });
    this.sendOne = throttle((source: string, recipient: string, data: Uint8Array) =>
      this.sendWithRetry(source, recipient, data),
    );
  }

  async send(mail: OutgoingMail): Promise<MailReceipt> {
    const data = await this.render(mail);
    const accepted: string[] = [];
    const rejected: MailFailure[] = [];
    const messageIds: string[] = [];
    for (const recipient of mail.to) {
      try {
        messageIds.push(await this.sendOne(mail.from, recipient, data));
        accepted.push(recipient);
      } catch (error) {
        const e = error as Error;
        rejected.push({ recipient, reason: `${e.name}: ${e.message}` });
      }
    }
    return {
      id: mail.id,
      messageId: messageIds[0] ?? '',
      accepted,
      rejected,
      location: messageIds.length > 0 ? `ses:${messageIds.join(',')}` : 'ses:not sent',
    };
  }

  private sendWithRetry(source: string, recipient: string, data: Uint8Array): Promise<string> {
    return pRetry(
      async () => {
        const out = await this.client.send(
          new SendRawEmailCommand({
            Source: source,
            Destinations: [recipient],
            RawMessage: { Data: data },
            ConfigurationSetName: this.props.configurationSet,
          }),
        );
        return out.MessageId ?? '';
      },
      {
        retries: this.props.throttleRetries ?? 5,
        minTimeout: this.props.retryMinMs ?? 500,
        maxTimeout: 20_000,
        factor: 2,
        randomize: true,
        shouldRetry: ({ error }) => isRetriableThrottle(error),
      },
    );
  }
}

/** A send-rate throttle is worth retrying; an exhausted daily quota is not (it lasts until tomorrow). */
function isRetriableThrottle(error: Error): boolean {
  const throttled = error.name === 'Throttling' || error.name === 'ThrottlingException';
  return throttled && !/daily message quota/i.test(error.message);
}
