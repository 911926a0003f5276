import { clean, isoDate } from '../input-values.ts';
import type { AnyQuarantineReason } from '../quarantine.ts';
import { parseAmount, rawDetail, type SalesInputCheck, type SalesRejection } from './sales-input.ts';

/** Name of the optional input table of sales opportunities (DESIGN §3). */
export const OPPORTUNITIES_TABLE = 'opportunities';

/** Columns the `opportunities` input must have. */
export const OPPORTUNITY_COLUMNS = [
  'opportunity_id',
  'account_id',
  'created_on',
  'closed_on',
  'stage',
  'amount',
] as const;

export const OPPORTUNITY_STAGES = ['open', 'won', 'lost'] as const;
export type OpportunityStage = (typeof OPPORTUNITY_STAGES)[number];

/** One row of `opportunities` as read, every value as text (null when empty). */
export interface OpportunityInputRow {
  readonly opportunityId: string | null;
  readonly accountId: string | null;
  readonly createdOn: string | null;
  readonly closedOn: string | null;
  readonly stage: string | null;
  readonly amount: string | null;
}

/** A checked opportunity. For an open one, `closedOn` is the expected close date (or null). */
export interface Opportunity {
  readonly opportunityId: string;
  readonly accountId: string;
  readonly createdOn: string;
  readonly closedOn: string | null;
  readonly stage: OpportunityStage;
  readonly amount: number;
}

/** What checking opportunities needs besides the rows. */
export interface OpportunityCheckContext {
  /** Ids of every valid account of the run. */
  readonly accountIds: ReadonlySet<string>;
  /** The run date (ISO); a date after it cannot have happened yet. */
  readonly runDate: string;
  /** Where the rows come from, for messages. @default 'opportunities' */
  readonly source?: string;
}

export interface OpportunityCheck extends SalesInputCheck {
  readonly table: 'opportunities';
  readonly opportunities: readonly Opportunity[];
}

/**
 * Checks the rows of `opportunities`. A row is set aside (quarantined), with a message naming the row and
 * what to do, under the first of these that applies: no opportunity_id; an opportunity_id seen on an earlier
 * row (the first row is the one checked); no account_id; a stage other than open, won or lost (case and
 * surrounding spaces are ignored); created_on empty or not a date; closed_on given but not a date; a won or
 * lost opportunity without closed_on; closed_on before created_on; created_on, or a won or lost
 * opportunity's closed_on, after the run date; amount empty or not a number; amount negative; an account
 * that is not a valid account of the run.
 */
export function checkOpportunities(
  rows: readonly OpportunityInputRow[],
  context: OpportunityCheckContext,
): OpportunityCheck {
  const source = context.source ?? OPPORTUNITIES_TABLE;
  const opportunities: Opportunity[] = [];
  const rejected: SalesRejection[] = [];
  const seen = new Set<string>();

  for (const [i, raw] of rows.entries()) {
    const row = i + 1;
    const opportunityId = clean(raw.opportunityId);
    const accountId = clean(raw.accountId);
    const reject = (reason: AnyQuarantineReason, what: string) =>
      rejected.push({
        table: 'opportunities',
        row,
        reason,
        message: `${source} row ${row}${opportunityId ? ` (opportunity '${opportunityId}')` : ''}: ${what}`,
        accountId,
        amount: raw.amount,
        detail: rawDetail(row, {
          opportunity_id: raw.opportunityId,
          stage: raw.stage,
          created_on: raw.createdOn,
          closed_on: raw.closedOn,
        }),
      });

    if (opportunityId === null) {
      reject('missing_opportunity_id', 'opportunity_id is empty: give each opportunity its CRM id');
      continue;
    }
    if (seen.has(opportunityId)) {
      reject(
        'duplicate_opportunity',
        'the same opportunity_id is on an earlier row, which is the one used: export each opportunity once',
      );
      continue;
    }
    seen.add(opportunityId);
    if (accountId === null) {
      reject('missing_account_id', 'account_id is empty: give the account the opportunity is with');
      continue;
    }
    const stage = clean(raw.stage)?.toLowerCase() ?? null;
    if (stage === null || !(OPPORTUNITY_STAGES as readonly string[]).includes(stage)) {
      reject(
        'unknown_stage',
        `stage ${JSON.stringify(raw.stage)} is not one of open, won, lost: map your CRM stages onto these three`,
      );
      continue;
    }
    const createdOn = isoDate(raw.createdOn);
    if (createdOn === null) {
      reject(
        'unparsable_created_on',
        `created_on ${JSON.stringify(raw.createdOn)} is not a date: use YYYY-MM-DD`,
      );
      continue;
    }
    const closedText = clean(raw.closedOn);
    const closedOn = isoDate(raw.closedOn);
    if (closedText !== null && closedOn === null) {
      reject(
        'unparsable_closed_on',
        `closed_on ${JSON.stringify(raw.closedOn)} is not a date: use YYYY-MM-DD`,
      );
      continue;
    }
    if (stage !== 'open' && closedOn === null) {
      reject(
        'missing_close_date',
        `the opportunity is ${stage} but closed_on is empty: give the day it closed`,
      );
      continue;
    }
    if (closedOn !== null && closedOn < createdOn) {
      reject(
        'close_before_create',
        `closed_on ${closedOn} is before created_on ${createdOn}: fix one of the two dates`,
      );
      continue;
    }
    const future =
      createdOn > context.runDate
        ? createdOn
        : stage !== 'open' && closedOn !== null && closedOn > context.runDate
          ? closedOn
          : null;
    if (future !== null) {
      reject(
        'future_opportunity_date',
        `${future === createdOn ? 'created_on' : 'closed_on'} ${future} is after the run date ${context.runDate}: fix the date`,
      );
      continue;
    }
    const amount = parseAmount(raw.amount);
    if (amount === null) {
      reject(
        'unparsable_amount',
        `amount ${JSON.stringify(raw.amount)} is not a number: write it like 12500.00 (0 when unknown)`,
      );
      continue;
    }
    if (amount < 0) {
      reject('negative_amount', `amount ${amount} is negative: an opportunity's value is 0 or more`);
      continue;
    }
    if (!context.accountIds.has(accountId)) {
      reject(
        'unknown_account',
        `account '${accountId}' is not in the accounts table (or was quarantined): fix the account_id or add the account`,
      );
      continue;
    }
    opportunities.push({
      opportunityId,
      accountId,
      createdOn,
      closedOn,
      stage: stage as OpportunityStage,
      amount,
    });
  }
  return { table: 'opportunities', source, rowsChecked: rows.length, rejected, opportunities };
}
