import { employeesOf, UNKNOWN } from './firmographic-profile.ts';
import type { SizeBand } from './firmographics-config.ts';

export { UNKNOWN };

/**
 * The size band of an employee count: the first band (largest first) whose minimum it reaches;
 * `Unknown` for a missing or non-positive count (`employeesOf`), or one below the smallest band.
 */
export function sizeBandOf(employeeCount: number | null, bands: readonly SizeBand[]): string {
  const employees = employeesOf(employeeCount);
  if (employees === null) return UNKNOWN;
  return bands.find((b) => employees >= b.minEmployees)?.name ?? UNKNOWN;
}
