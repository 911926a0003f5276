import { z } from 'zod';
import type { OutgoingMail } from '../../ports/mailer.ts';
import type { RunConfig } from '../config.ts';

/** A recipient taken off a mail, and why. */
export interface RefusedRecipient {
  readonly mailId: string;
  readonly recipient: string;
  readonly reason: string;
}

/** The mails that may be sent (with only their allowed recipients) and the recipients refused. */
export interface RecipientPolicyResult {
  readonly deliverable: OutgoingMail[];
  readonly refused: RefusedRecipient[];
}

const emailSchema = z.email();

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

/**
 * Applies the mail policy before anything is sent: recipients that are not valid addresses, or whose
 * domain is not in `allowedDomains` (when that list is non-empty), are removed and reported, and
 * repeated recipients are kept once. A mail left without recipients is not deliverable.
 */
export function recipientPolicy(
  mails: readonly OutgoingMail[],
  mailConfig: Pick<RunConfig['mail'], 'allowedDomains'>,
): RecipientPolicyResult {
  const allowed = new Set(mailConfig.allowedDomains.map((d) => d.trim().toLowerCase()));
  const deliverable: OutgoingMail[] = [];
  const refused: RefusedRecipient[] = [];
  for (const mail of mails) {
    const kept: string[] = [];
    const seen = new Set<string>();
    for (const raw of mail.to) {
      const recipient = raw.trim();
      const key = recipient.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      if (!emailSchema.safeParse(recipient).success) {
        refused.push({ mailId: mail.id, recipient: raw, reason: 'not a valid email address' });
      } else if (allowed.size > 0 && !allowed.has(domainOf(recipient))) {
        refused.push({
          mailId: mail.id,
          recipient,
          reason: `domain '${domainOf(recipient)}' is not in mail.allowedDomains (${[...allowed].join(', ')}); add it there to mail this address`,
        });
      } else {
        kept.push(recipient);
      }
    }
    if (kept.length > 0) deliverable.push(kept.length === mail.to.length ? mail : { ...mail, to: kept });
  }
  return { deliverable, refused };
}
