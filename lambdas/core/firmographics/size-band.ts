import type { SizeBand } from './firmographics-config.ts';

/** Label of accounts whose size, country or industry is not known. */
export const UNKNOWN = 'Unknown';

/**
 * The size band of an employee count: the first band (largest first) whose minimum it reaches;
 * `Unknown` for a missing or non-positive count, or one below the smallest band.
 */
export function sizeBandOf(employeeCount: number | null, bands: readonly SizeBand[]): string {
  if (employeeCount === null || !Number.isFinite(employeeCount) || employeeCount <= 0) return UNKNOWN;
  return bands.find((b) => employeeCount >= b.minEmployees)?.name ?? UNKNOWN;
}
