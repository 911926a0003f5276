import { clean, isoDate } from '../input-values.ts';
import type { ClassifiedAccount } from '../types.ts';

/** Name of the optional input table of segment overrides (issue 8). */
export const SEGMENT_OVERRIDES_TABLE = 'segment_overrides';

/** Columns the `segment_overrides` input must have. */
export const SEGMENT_OVERRIDE_COLUMNS = ['account_id', 'segment', 'reason', 'set_by', 'expires_on'] as const;

/** One row of `segment_overrides` as read, every value as text (null when empty). */
export interface SegmentOverrideInputRow {
  readonly accountId: string | null;
  readonly segment: string | null;
  readonly reason: string | null;
  readonly setBy: string | null;
  readonly expiresOn: string | null;
}

/** A well-formed override: the sales team pins `accountId` to `segment` until `expiresOn` (inclusive). */
export interface SegmentOverride {
  readonly accountId: string;
  readonly segment: string;
  readonly reason: string;
  readonly setBy: string;
  /** ISO date, the last day the override applies. */
  readonly expiresOn: string;
}

/** Why an override row was rejected. */
export type OverrideRejectionReason =
  | 'missing_account_id'
  | 'missing_segment'
  | 'missing_reason'
  | 'unparsable_expires_on'
  | 'unknown_account'
  | 'unknown_segment'
  | 'duplicate_override';

/** An override row that was not applied, with a message that names the row and what to do. */
export interface OverrideRejection {
  /** 1-based row number in the input (header not counted). */
  readonly row: number;
  readonly accountId: string | null;
  readonly segment: string | null;
  readonly reason: OverrideRejectionReason;
  readonly message: string;
}

/** An override whose `expiresOn` is before the period's end: no longer applied, listed to the account owner. */
export interface ExpiredOverride extends SegmentOverride {
  readonly ownerEmail: string;
  readonly ownerName: string;
  readonly accountName: string;
}

/** The outcome of checking the overrides against the accounts and the configured segments. */
export interface OverrideCheck {
  /** Overrides in force at the period's end, by account id. */
  readonly active: ReadonlyMap<string, SegmentOverride>;
  readonly expired: readonly ExpiredOverride[];
  readonly rejected: readonly OverrideRejection[];
}

/** An account as far as checking overrides needs it. */
export type OverrideAccount = Pick<
  ClassifiedAccount,
  'accountId' | 'accountName' | 'ownerEmail' | 'ownerName'
>;

/** What checking overrides needs besides the rows. */
export interface OverrideCheckContext {
  /** Every valid account of the run. */
  readonly accounts: readonly OverrideAccount[];
  /** Configured segment names in report order. */
  readonly segmentNames: readonly string[];
  /** The period's last day (ISO); an override applies while `expiresOn >= asOf`. */
  readonly asOf: string;
  /** Where the rows come from, for messages. @default 'segment_overrides' */
  readonly source?: string;
}

/**
 * Checks the sales team's segment overrides for one period. A row is rejected, with a message naming the
 * row, the account and what to do, when its account id, segment or reason is empty, its `expires_on` is
 * not a date, its account is not a valid account of the run, its segment is not a configured segment,
 * or its account already has an override earlier in the input (the first one is kept). A valid override
 * whose `expires_on` is before `asOf` is expired: it no longer applies and is listed to the account's owner.
 * Segment names match exactly (they are labels people read), so `high` is rejected when the segment is `High`.
 */
export function checkSegmentOverrides(
  rows: readonly SegmentOverrideInputRow[],
  context: OverrideCheckContext,
): OverrideCheck {
  const source = context.source ?? SEGMENT_OVERRIDES_TABLE;
  const accounts = new Map(context.accounts.map((a) => [a.accountId, a]));
  const segments = new Set(context.segmentNames);
  const active = new Map<string, SegmentOverride>();
  const expired: ExpiredOverride[] = [];
  const rejected: OverrideRejection[] = [];
  const seen = new Set<string>();

  for (const [i, raw] of rows.entries()) {
    const row = i + 1;
    const accountId = clean(raw.accountId);
    const segment = clean(raw.segment);
    const reject = (reason: OverrideRejectionReason, what: string) =>
      rejected.push({
        row,
        accountId,
        segment,
        reason,
        message: `${source} row ${row}${accountId ? ` (account '${accountId}')` : ''}: ${what}`,
      });
    if (accountId === null) {
      reject('missing_account_id', 'account_id is empty: give the account to pin');
      continue;
    }
    if (segment === null) {
      reject('missing_segment', `segment is empty: give one of ${context.segmentNames.join(', ')}`);
      continue;
    }
    const reason = clean(raw.reason);
    if (reason === null) {
      reject('missing_reason', 'reason is empty: say why the account is pinned, so others can judge it');
      continue;
    }
    const expiresOn = isoDate(raw.expiresOn);
    if (expiresOn === null) {
      reject(
        'unparsable_expires_on',
        `expires_on ${JSON.stringify(raw.expiresOn)} is not a date: use YYYY-MM-DD, the last day the override applies`,
      );
      continue;
    }
    const account = accounts.get(accountId);
    if (!account) {
      reject(
        'unknown_account',
        'account is not in the accounts table (or was quarantined): fix the account_id or remove the override',
      );
      continue;
    }
    if (!segments.has(segment)) {
      reject(
        'unknown_segment',
        `segment '${segment}' is not configured: use one of ${context.segmentNames.join(', ')} (names match exactly)`,
      );
      continue;
    }
    if (seen.has(accountId)) {
      reject(
        'duplicate_override',
        'account already has an override on an earlier row, which is the one applied: keep one override per account',
      );
      continue;
    }
    seen.add(accountId);
    const override: SegmentOverride = {
      accountId,
      segment,
      reason,
      setBy: clean(raw.setBy) ?? '',
      expiresOn,
    };
    if (expiresOn < context.asOf) {
      expired.push({
        ...override,
        ownerEmail: account.ownerEmail,
        ownerName: account.ownerName,
        accountName: account.accountName,
      });
    } else {
      active.set(accountId, override);
    }
  }
  return { active, expired, rejected };
}

/**
 * The account with its effective segment: the override's segment when one is in force, the computed one
 * otherwise. A churned account keeps counting its churn in the segment it had (its bridge segment); every
 * other account's movement is counted in the effective segment, so segment KPIs, the bridge and the
 * migration matrix all use the effective segment.
 */
export function withEffectiveSegment(
  account: ClassifiedAccount,
  override: SegmentOverride | undefined,
): ClassifiedAccount {
  if (!override || override.segment === account.segment) return account;
  return {
    ...account,
    segment: override.segment,
    bridgeSegment: account.movement === 'churn' ? account.bridgeSegment : override.segment,
  };
}

/** An override in force, with the segment the revenue rule gave the account. */
export interface AppliedOverride extends SegmentOverride {
  readonly computedSegment: string;
  readonly revenueT12m: number;
}

/** The overrides of one run, as the snapshot and the reports show them. */
export interface SegmentOverrideOutcome {
  /** Overrides in force, by account id, with the computed segment (may equal the override's). */
  readonly applied: ReadonlyMap<string, AppliedOverride>;
  readonly expired: readonly ExpiredOverride[];
  readonly rejected: readonly OverrideRejection[];
}

/**
 * Pairs the overrides in force with each account's computed segment (`computedSegmentOf`, by revenue) and
 * T12M revenue, for the snapshot and the reports.
 */
export function overrideOutcome(
  check: OverrideCheck,
  accounts: readonly Pick<ClassifiedAccount, 'accountId' | 'revenueT12m'>[],
  computedSegmentOf: (revenueT12m: number) => string,
): SegmentOverrideOutcome {
  const applied = new Map<string, AppliedOverride>();
  for (const account of accounts) {
    const override = check.active.get(account.accountId);
    if (!override) continue;
    applied.set(account.accountId, {
      ...override,
      computedSegment: computedSegmentOf(account.revenueT12m),
      revenueT12m: account.revenueT12m,
    });
  }
  return { applied, expired: check.expired, rejected: check.rejected };
}

/** Per segment: how many overrides move accounts in and out, and the T12M revenue they move. */
export interface OverrideSegmentSummary {
  readonly segment: string;
  /** Overrides that pin an account into this segment from another one. */
  readonly overridesIn: number;
  readonly revenueIn: number;
  /** Overrides that take an account out of this (computed) segment. */
  readonly overridesOut: number;
  readonly revenueOut: number;
  /** Overrides that pin an account to the segment it has anyway. */
  readonly overridesUnchanged: number;
}

/**
 * Overrides per segment in `order`, with the revenue they move: an override from computed segment A to
 * effective segment B counts once in B's `in` and once in A's `out`, with the account's T12M revenue.
 * Money is summed in cents so the totals match the snapshot to the cent.
 */
export function summarizeOverrides(
  outcome: SegmentOverrideOutcome,
  order: readonly string[],
): OverrideSegmentSummary[] {
  const acc = new Map(
    order.map((segment) => [
      segment,
      { overridesIn: 0, centsIn: 0, overridesOut: 0, centsOut: 0, overridesUnchanged: 0 },
    ]),
  );
  for (const o of outcome.applied.values()) {
    const cents = Math.round(o.revenueT12m * 100);
    if (o.segment === o.computedSegment) {
      const same = acc.get(o.segment);
      if (same) same.overridesUnchanged += 1;
      continue;
    }
    const into = acc.get(o.segment);
    if (into) {
      into.overridesIn += 1;
      into.centsIn += cents;
    }
    const from = acc.get(o.computedSegment);
    if (from) {
      from.overridesOut += 1;
      from.centsOut += cents;
    }
  }
  return order.map((segment) => {
    const a = acc.get(segment) ?? {
      overridesIn: 0,
      centsIn: 0,
      overridesOut: 0,
      centsOut: 0,
      overridesUnchanged: 0,
    };
    return {
      segment,
      overridesIn: a.overridesIn,
      revenueIn: a.centsIn / 100,
      overridesOut: a.overridesOut,
      revenueOut: a.centsOut / 100,
      overridesUnchanged: a.overridesUnchanged,
    };
  });
}
