import type { OutgoingMail } from '../../ports/mailer.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

/** What the ledger knows of one mail: claimed before sending, then marked sent or failed. */
export interface LedgerEntry {
  readonly status: 'claimed' | 'sent' | 'failed';
  readonly mailId: string;
  readonly recipients: readonly string[];
  readonly at: string;
  readonly messageId?: string;
  readonly error?: string;
}

export type LedgerDecision = 'send' | 'already-sent' | 'in-doubt';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Exactly-once mail bookkeeping, keyed by cadence, period and mail id (the mail id names the report and
 * recipient). A conditional create claims a mail before it is sent, so a rerun or a retried job never
 * mails anyone twice: a claim without a `sent` mark means the previous run died mid-send, which is
 * reported as in doubt rather than risking a duplicate; `failed` sends are retried; `resend` forces.
 */
export class MailLedger {
  constructor(
    private readonly store: ObjectStore,
    private readonly cadence: string,
    private readonly periodId: string,
    private readonly clock: () => Date,
  ) {}

  key(mailId: string): string {
    return `mail-ledger/cadence=${this.cadence}/period=${this.periodId}/${mailId}.json`;
  }

  /** Claims the mail for sending, or says why it must not be sent now. */
  async claim(mail: OutgoingMail, resend: boolean): Promise<LedgerDecision> {
    const entry = this.entry(mail, 'claimed');
    if (await this.store.putIfAbsent(this.key(mail.id), entry, 'application/json')) return 'send';
    const previous = await this.read(mail.id);
    if (resend || previous?.status === 'failed' || previous === undefined) {
      await this.store.put(this.key(mail.id), entry, 'application/json');
      return 'send';
    }
    return previous.status === 'sent' ? 'already-sent' : 'in-doubt';
  }

  async markSent(mail: OutgoingMail, messageId: string): Promise<void> {
    await this.store.put(this.key(mail.id), this.entry(mail, 'sent', { messageId }), 'application/json');
  }

  async markFailed(mail: OutgoingMail, error: string): Promise<void> {
    await this.store.put(this.key(mail.id), this.entry(mail, 'failed', { error }), 'application/json');
  }

  async read(mailId: string): Promise<LedgerEntry | undefined> {
    const body = await this.store.get(this.key(mailId));
    return body ? (JSON.parse(decoder.decode(body)) as LedgerEntry) : undefined;
  }

  private entry(
    mail: OutgoingMail,
    status: LedgerEntry['status'],
    extra: Partial<LedgerEntry> = {},
  ): Uint8Array {
    const entry: LedgerEntry = {
      status,
      mailId: mail.id,
      recipients: mail.to,
      at: this.clock().toISOString(),
      ...extra,
    };
    return encoder.encode(JSON.stringify(entry));
  }
}
