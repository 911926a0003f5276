import { z } from 'zod';

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
