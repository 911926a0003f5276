import { z } from 'zod';
import type { ClassifiedAccount } from '../types.ts';

const emailSchema = z.email();

/** Trims and lower-cases an owner email so one person's accounts group together. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** Whether an owner email from data is a valid address (zod's email check, after normalizing). */
export function isValidOwnerEmail(raw: string | null | undefined): boolean {
  return typeof raw === 'string' && emailSchema.safeParse(normalizeEmail(raw)).success;
}

/** A file-name-safe slug of an address: `Jane.Doe@Example.com` -> `jane-doe-example-com`. */
export function emailSlug(email: string): string {
  return normalizeEmail(email)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** One owner's accounts, keyed by the normalized owner email. */
export interface OwnerBook {
  readonly email: string;
  readonly name: string;
  readonly accounts: readonly ClassifiedAccount[];
}

/**
 * Groups accounts by normalized owner email, valid addresses only (an account whose owner email is
 * invalid belongs to no book), sorted by email; each book's accounts sorted by T12M, largest first.
 */
export function ownerBooks(accounts: readonly ClassifiedAccount[]): OwnerBook[] {
  const byEmail = new Map<string, ClassifiedAccount[]>();
  for (const account of accounts) {
    if (!isValidOwnerEmail(account.ownerEmail)) continue;
    const email = normalizeEmail(account.ownerEmail);
    const list = byEmail.get(email) ?? [];
    list.push(account);
    byEmail.set(email, list);
  }
  return [...byEmail.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([email, list]) => {
      const sorted = [...list].sort(
        (a, b) => b.revenueT12m - a.revenueT12m || a.accountId.localeCompare(b.accountId),
      );
      const named = [...list]
        .sort((a, b) => a.accountId.localeCompare(b.accountId))
        .find((a) => a.ownerName.trim().length > 0);
      return { email, name: named?.ownerName.trim() ?? email, accounts: sorted };
    });
}
