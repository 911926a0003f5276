import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { RevsegError } from '../../core/errors.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

/** A mail ledger entry cannot be read; the message names its file and how to repair it. */
export class LedgerEntryError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LedgerEntryError';
  }
}

// Only the status is required, so a person repairing an entry by hand can write `{"status":"sent"}`.
const entrySchema = z.object({
  status: z.enum(['claimed', 'sent', 'failed']),
  kind: z.string().optional(),
  recipient: z.string().optional(),
  mailId: z.string().optional(),
  claimId: z.string().optional(),
  at: z.string().optional(),
  messageId: z.string().optional(),
  error: z.string().optional(),
});

/** What the ledger knows of one mail to one recipient: claimed before sending, then marked sent or failed. */
export type LedgerEntry = z.infer<typeof entrySchema>;

/** The recipient and kind of mail a ledger entry is about; together they are the mail's identity. */
export interface LedgerSubject {
  /** `leadership`, `owner`...: which report. */
  readonly kind: string;
  readonly recipient: string;
  /** The rendered mail's id, kept for people reading the ledger (it is not part of the identity). */
  readonly mailId: string;
}

/** A claim this run holds: the mail may be sent to that recipient, then recorded with {@link MailLedger.record}. */
export interface LedgerClaim {
  readonly decision: 'send';
  readonly key: string;
  readonly claimId: string;
  readonly subject: LedgerSubject;
}

/** Why a mail must not be sent to a recipient now. */
export interface LedgerRefusal {
  readonly decision: 'already-sent' | 'in-doubt';
  readonly key: string;
  readonly detail?: string;
}

export type LedgerDecision = LedgerClaim | LedgerRefusal;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The address as the ledger keys it: trimmed and lower-cased, so `Jane@X.com ` and `jane@x.com` are one person. */
export function normalizeRecipient(address: string): string {
  return address.trim().toLowerCase();
}

/**
 * Exactly-once mail bookkeeping, one entry per (cadence, period, mail kind, normalised recipient), so the
 * identity of a mail does not depend on the order or spelling of the input and a partial delivery is
 * retried for exactly the recipients it missed. Every write is conditional:
 * - a claim is a create-if-absent (S3 `If-None-Match: *`, a hard link locally);
 * - retrying a `failed` entry (or `--resend`) replaces it only at the version read (compare-and-swap), so of
 *   two runs retrying at once only one sends;
 * - marking `sent`/`failed` replaces the run's own claim only (same claim id, same version).
 * A claim never marked means the run died between sending and recording: it is reported in doubt and not
 * repeated rather than risking a duplicate.
 */
export class MailLedger {
  constructor(
    private readonly store: ObjectStore,
    private readonly cadence: string,
    private readonly periodId: string,
    private readonly clock: () => Date,
  ) {}

  key(kind: string, recipient: string): string {
    return `mail-ledger/cadence=${this.cadence}/period=${this.periodId}/${kind}/${normalizeRecipient(recipient)}.json`;
  }

  /** Where an entry lives, for people (a file path or an s3:// URI). */
  locate(key: string): string {
    return this.store.locate(key);
  }

  /**
   * Claims the mail to one recipient for sending, or says why it must not be sent now.
   * @param force send again even when the ledger says sent or in doubt (`--resend`, `--resend-to`).
   * @throws LedgerEntryError when the existing entry is empty or corrupt (and not forced).
   */
  async claim(subject: LedgerSubject, force: boolean): Promise<LedgerDecision> {
    const key = this.key(subject.kind, subject.recipient);
    const claimId = randomUUID();
    const body = this.encode({ status: 'claimed', ...this.identity(subject), claimId, at: this.now() });
    const claimed: LedgerClaim = { decision: 'send', key, claimId, subject };
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.store.putIfAbsent(key, body, 'application/json')) return claimed;
      const current = await this.store.getVersioned(key);
      // Deleted between the create and the read (someone repairing it by hand): try the create again.
      if (current === undefined) continue;
      if (!force) {
        const previous = this.decode(current.body, key, subject);
        if (previous.status === 'sent') return { decision: 'already-sent', key };
        if (previous.status === 'claimed') return { decision: 'in-doubt', key };
      }
      if (await this.store.putIfMatch(key, body, current.version, 'application/json')) return claimed;
      return {
        decision: 'in-doubt',
        key,
        detail: `another run claimed this mail at the same moment (${this.locate(key)}); it sends it or reports it`,
      };
    }
    return { decision: 'in-doubt', key, detail: `${this.locate(key)} keeps changing; run the period again` };
  }

  /**
   * Records the outcome of a claimed send, replacing only this run's own claim.
   * @throws when the entry can no longer be written (disk full, permissions) or another run took it over.
   */
  async record(
    claim: LedgerClaim,
    outcome: { sent: true; messageId: string } | { sent: false; error: string },
  ) {
    const current = await this.store.getVersioned(claim.key);
    const mine = current && this.claimIdOf(current.body) === claim.claimId;
    if (!current || !mine) {
      throw new LedgerEntryError(
        `mail ledger entry ${this.locate(claim.key)} was changed by another run before this one recorded its send`,
      );
    }
    const entry: LedgerEntry = {
      status: outcome.sent ? 'sent' : 'failed',
      ...this.identity(claim.subject),
      claimId: claim.claimId,
      at: this.now(),
      ...(outcome.sent ? { messageId: outcome.messageId } : { error: outcome.error }),
    };
    if (!(await this.store.putIfMatch(claim.key, this.encode(entry), current.version, 'application/json'))) {
      throw new LedgerEntryError(
        `mail ledger entry ${this.locate(claim.key)} was changed by another run while this one recorded its send`,
      );
    }
  }

  /** Gives up a claim whose mail was certainly not sent, so the next run sends it (used when recording fails). */
  async release(claim: LedgerClaim): Promise<void> {
    const current = await this.store.get(claim.key);
    if (current && this.claimIdOf(current) === claim.claimId) await this.store.delete([claim.key]);
  }

  /** Reads one entry; undefined when there is none. @throws LedgerEntryError when it is empty or corrupt. */
  async read(kind: string, recipient: string): Promise<LedgerEntry | undefined> {
    const key = this.key(kind, recipient);
    const body = await this.store.get(key);
    return body ? this.decode(body, key, { kind, recipient }) : undefined;
  }

  private identity(subject: LedgerSubject) {
    return {
      kind: subject.kind,
      recipient: normalizeRecipient(subject.recipient),
      mailId: subject.mailId,
    };
  }

  private claimIdOf(body: Uint8Array): string | undefined {
    try {
      return entrySchema.parse(JSON.parse(decoder.decode(body))).claimId;
    } catch {
      return undefined;
    }
  }

  private decode(
    body: Uint8Array,
    key: string,
    subject: Pick<LedgerSubject, 'kind' | 'recipient'>,
  ): LedgerEntry {
    const where = this.locate(key);
    const address = normalizeRecipient(subject.recipient);
    const repair =
      `ask ${address} whether the ${subject.kind} mail of ${this.cadence} ${this.periodId} arrived: if not, run the ` +
      `period again with --resend-to ${address} (it rewrites the entry); if it did, write {"status":"sent"} into the file`;
    const text = decoder.decode(body);
    if (text.trim() === '') {
      throw new LedgerEntryError(`mail ledger entry ${where} is empty (a write was cut short): ${repair}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new LedgerEntryError(
        `mail ledger entry ${where} is not valid JSON (${(error as Error).message}): ${repair}`,
        { cause: error },
      );
    }
    const parsed = entrySchema.safeParse(json);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new LedgerEntryError(
        `mail ledger entry ${where} is not a ledger entry (${problems.join('; ')}): ${repair}`,
      );
    }
    return parsed.data;
  }

  private encode(entry: LedgerEntry): Uint8Array {
    return encoder.encode(`${JSON.stringify(entry)}\n`);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
