export { type CsvCell, toCsv } from './csv.ts';
export { escapeHtml } from './escape-html.ts';
export { createFormatter, MISSING, type ReportFormatter } from './format.ts';
export { buildLeadershipMail, migrationCsv, segmentKpiCsv } from './leadership-mail.ts';
export { messageIdFor, type RenderMimeOptions, renderMime } from './mime.ts';
export {
  emailSlug,
  isValidOwnerEmail,
  normalizeEmail,
  type OwnerBook,
  ownerBooks,
} from './owner-email.ts';
export { buildOwnerMails, ownerAccountsCsv } from './owner-mails.ts';
export { type RecipientPolicyResult, type RefusedRecipient, recipientPolicy } from './recipient-policy.ts';
export { periodLabel, type ReportContext, reportSubject } from './report-context.ts';
export { whatChangedMost } from './what-changed.ts';
