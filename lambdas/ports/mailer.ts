/** One attachment; `cid` makes it an inline image referenced from the HTML as `cid:<cid>`. */
export interface MailAttachment {
  readonly filename: string;
  readonly content: string | Uint8Array;
  readonly contentType: string;
  readonly cid?: string;
}

/** A fully rendered email, independent of how it is delivered. */
export interface OutgoingMail {
  /** Stable id of this mail within a run, safe as a file name (e.g. `monthly-2026-10-owner-jane-example-com`). */
  readonly id: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  readonly attachments: readonly MailAttachment[];
}

export interface MailFailure {
  readonly recipient: string;
  readonly reason: string;
}

export interface MailReceipt {
  readonly id: string;
  readonly messageId: string;
  readonly accepted: readonly string[];
  readonly rejected: readonly MailFailure[];
  /** Where the message can be seen: an outbox path locally, the SES message id on AWS. */
  readonly location: string;
}

/** Delivers rendered mail (an outbox folder locally, SES on AWS). */
export interface Mailer {
  /**
   * Largest encoded message the transport accepts; a bigger mail is cut down before it is sent.
   * @default 10 MB, the SES limit (the outbox mirrors it)
   */
  readonly maxMessageBytes?: number;
  send(mail: OutgoingMail): Promise<MailReceipt>;
}
