import type { RunConfig } from '../../core/config.ts';
import { recipientPolicy } from '../../core/report/index.ts';
import { renderMime } from '../../core/report/mime.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Mailer, OutgoingMail } from '../../ports/mailer.ts';
import { type LedgerClaim, LedgerEntryError, type MailLedger, normalizeRecipient } from './mail-ledger.ts';
import { fitMailToLimit, SES_MAX_MESSAGE_BYTES } from './mail-size.ts';

/** What happened to one mail for some of its recipients (a mail to several may have several outcomes). */
export interface MailOutcome {
  readonly mailId: string;
  readonly to: readonly string[];
  readonly status: 'sent' | 'already-sent' | 'in-doubt' | 'failed' | 'refused' | 'skipped';
  readonly detail?: string;
  readonly location?: string;
}

/** How the run was asked to treat mail already in the ledger. */
export interface DeliveryRequest {
  /** Send every mail again even if the ledger says it was sent. */
  readonly resend?: boolean;
  /** Send again only to these addresses, whatever the ledger says. */
  readonly resendTo?: readonly string[];
  /** Build and record the mails but do not send them. */
  readonly skipMail?: boolean;
}

/** What an in-doubt mail means and what to do about it. */
export const IN_DOUBT =
  'an earlier run claimed this mail and stopped before it recorded the send, so it may or may not have gone out; ' +
  'check with the recipient (or the SES sending log) and send it with --resend-to <address> if it did not arrive';

/** The kind of report a mail is (`leadership`, `owner`), read from its id `<cadence>-<period>-<kind>[-...]`. */
export function mailKind(mail: OutgoingMail, idPrefix: string): string {
  const rest = mail.id.startsWith(`${idPrefix}-`) ? mail.id.slice(idPrefix.length + 1) : mail.id;
  return rest.split('-')[0] || rest;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Sends each rendered mail once per recipient, through the ledger. Steps per mail:
 * 1. apply the recipient policy (invalid addresses and other domains are refused and reported);
 * 2. claim each recipient in the ledger (conditional create, or compare-and-swap over a failed entry);
 * 3. cut the mail down if it is over the transport's size limit, then send it to the recipients claimed, and
 *    only to them;
 * 4. record each recipient as sent or failed from the receipt, so a partial rejection retries exactly the
 *    rejected recipients next run; when a failure cannot be recorded the claim is released instead, so the
 *    mail is retried rather than stuck in doubt.
 */
/** What one run's delivery works with. */
export interface DeliveryContext {
  readonly config: RunConfig;
  readonly ledger: MailLedger;
  readonly mailer: Mailer;
  readonly request: DeliveryRequest;
  readonly logger: Logger;
  /** `<cadence>-<period>`, the start of every mail id of the run. */
  readonly idPrefix: string;
  /** Where the snapshot is, for the note in a mail cut down to its size limit. */
  readonly snapshotLocation: string;
  /** Called before each mail; throws to stop sending (e.g. the run lost its lease). */
  readonly beforeEach?: () => void;
}

export async function deliverMails(
  rendered: readonly OutgoingMail[],
  context: DeliveryContext,
): Promise<MailOutcome[]> {
  const { config, ledger, request, logger, idPrefix } = context;
  const beforeEach = context.beforeEach ?? (() => {});
  const { deliverable, refused } = recipientPolicy(rendered, config.mail);
  const outcomes: MailOutcome[] = refused.map((r) => ({
    mailId: r.mailId,
    to: [r.recipient],
    status: 'refused',
    detail: r.reason,
  }));
  const wanted = new Set((request.resendTo ?? []).map(normalizeRecipient));
  const force = (recipient: string) => request.resend === true || wanted.has(normalizeRecipient(recipient));
  for (const mail of deliverable) {
    beforeEach();
    if (request.skipMail) {
      outcomes.push({ mailId: mail.id, to: mail.to, status: 'skipped' });
      continue;
    }
    const kind = mailKind(mail, idPrefix);
    const claims: LedgerClaim[] = [];
    for (const recipient of mail.to) {
      try {
        const decision = await ledger.claim({ kind, recipient, mailId: mail.id }, force(recipient));
        if (decision.decision === 'send') {
          claims.push(decision);
          continue;
        }
        outcomes.push({
          mailId: mail.id,
          to: [recipient],
          status: decision.decision,
          location: ledger.locate(decision.key),
          detail: decision.detail ?? (decision.decision === 'in-doubt' ? IN_DOUBT : undefined),
        });
      } catch (error) {
        if (!(error instanceof LedgerEntryError)) throw error;
        outcomes.push({ mailId: mail.id, to: [recipient], status: 'in-doubt', detail: error.message });
      }
    }
    if (claims.length > 0) outcomes.push(...(await sendClaimed(mail, claims, context)));
  }
  const addressed = new Set(deliverable.flatMap((m) => m.to.map(normalizeRecipient)));
  for (const address of wanted) {
    if (!addressed.has(address))
      logger.warn(`--resend-to ${address}: no mail of this period goes to that address`);
  }
  return outcomes;
}

async function sendClaimed(
  mail: OutgoingMail,
  claims: readonly LedgerClaim[],
  context: DeliveryContext,
): Promise<MailOutcome[]> {
  const { ledger, mailer, logger } = context;
  const to = claims.map((c) => c.subject.recipient);
  let accepted: Set<string>;
  let rejected: Map<string, string>;
  let messageId = '';
  let location: string | undefined;
  let cutNote: string | undefined;
  try {
    const fitted = await fitMailToLimit(
      { ...mail, to },
      mailer.maxMessageBytes ?? SES_MAX_MESSAGE_BYTES,
      async (m) => (await renderMime(m)).byteLength,
      context.snapshotLocation,
    );
    if (fitted.leftOut.length > 0) {
      cutNote = `cut down to fit the mail size limit; left out: ${fitted.leftOut.join(', ')}`;
      logger.warn(`mail ${mail.id} ${cutNote}`);
    }
    const receipt = await mailer.send(fitted.mail);
    accepted = new Set(receipt.accepted.map(normalizeRecipient));
    rejected = new Map(receipt.rejected.map((r) => [normalizeRecipient(r.recipient), r.reason]));
    messageId = receipt.messageId;
    location = receipt.location;
  } catch (error) {
    logger.error(`mail ${mail.id} failed`, { reason: reasonOf(error) });
    accepted = new Set();
    rejected = new Map(to.map((r) => [normalizeRecipient(r), reasonOf(error)]));
  }
  const outcomes: MailOutcome[] = [];
  const sent: string[] = [];
  for (const claim of claims) {
    const recipient = normalizeRecipient(claim.subject.recipient);
    if (accepted.has(recipient)) {
      try {
        await ledger.record(claim, { sent: true, messageId });
        sent.push(claim.subject.recipient);
      } catch (error) {
        outcomes.push({
          mailId: mail.id,
          to: [claim.subject.recipient],
          status: 'in-doubt',
          location: ledger.locate(claim.key),
          detail:
            `delivered (${messageId || location}), but recording it in ${ledger.locate(claim.key)} failed: ${reasonOf(error)}; ` +
            'do not resend it: once that is fixed, write {"status":"sent"} into the file',
        });
      }
      continue;
    }
    const reason = rejected.get(recipient) ?? 'the mail service neither accepted nor rejected this recipient';
    outcomes.push({
      mailId: mail.id,
      to: [claim.subject.recipient],
      status: 'failed',
      detail: `${reason}${await recordFailure(ledger, claim, reason)}`,
    });
  }
  if (sent.length > 0)
    outcomes.unshift({ mailId: mail.id, to: sent, status: 'sent', location, detail: cutNote });
  return outcomes;
}

/**
 * Records a failed send; if the ledger cannot be written (disk full), releases the claim so the next run
 * retries instead of reporting the mail in doubt. @returns a note for the outcome when neither worked.
 */
async function recordFailure(ledger: MailLedger, claim: LedgerClaim, reason: string): Promise<string> {
  try {
    await ledger.record(claim, { sent: false, error: reason });
    return '';
  } catch (recordError) {
    try {
      await ledger.release(claim);
      return '';
    } catch {
      return (
        `; recording the failure in ${ledger.locate(claim.key)} failed too (${reasonOf(recordError)}): ` +
        'delete that file once fixed so the next run sends this mail'
      );
    }
  }
}
