import { describe, expect, it } from 'vitest';
import {
  daysBetween,
  lastClosedPeriod,
  monthStartBefore,
  parsePeriod,
  periodContaining,
  previousPeriod,
} from '../../lambdas/core/period.ts';

describe('parsePeriod', () => {
  it.each([
    ['2026-10', 'monthly', 1, '2026-10-01', '2026-10-31'],
    ['2024-02', 'monthly', 1, '2024-02-01', '2024-02-29'],
    ['2026-Q3', 'quarterly', 1, '2026-07-01', '2026-09-30'],
    ['2026-Q1', 'quarterly', 4, '2026-04-01', '2026-06-30'],
    ['2026-Q4', 'quarterly', 4, '2027-01-01', '2027-03-31'],
  ] as const)('%s %s (fiscal start %i) covers %s..%s', (id, cadence, fy, start, end) => {
    const p = parsePeriod(id, cadence, fy);
    expect([p.start, p.end]).toEqual([start, end]);
    expect(p.months).toBe(cadence === 'monthly' ? 1 : 3);
  });

  it.each([
    ['2026-13', 'monthly'],
    ['2026-Q3', 'monthly'],
    ['2026-10', 'quarterly'],
    ['2026-Q5', 'quarterly'],
  ] as const)('rejects %s as %s with the expected form', (id, cadence) => {
    expect(() => parsePeriod(id, cadence)).toThrow(cadence === 'monthly' ? /YYYY-MM/ : /YYYY-Qn/);
  });
});

describe('period arithmetic', () => {
  it('steps back across a year boundary', () => {
    expect(previousPeriod(parsePeriod('2026-01', 'monthly')).id).toBe('2025-12');
    expect(previousPeriod(parsePeriod('2026-Q1', 'quarterly')).id).toBe('2025-Q4');
    expect(previousPeriod(parsePeriod('2026-Q1', 'quarterly', 4), 4).start).toBe('2026-01-01');
  });

  it('finds the containing and the last closed period', () => {
    expect(periodContaining('2026-11-25', 'quarterly').id).toBe('2026-Q4');
    expect(periodContaining('2026-02-10', 'quarterly', 4).id).toBe('2025-Q4');
    const now = new Date('2026-11-25T10:00:00Z');
    expect(lastClosedPeriod(now, 'monthly').id).toBe('2026-10');
    expect(lastClosedPeriod(now, 'quarterly').id).toBe('2026-Q3');
  });

  it('counts months and days', () => {
    expect(monthStartBefore('2026-10-31', 23)).toBe('2024-11-01');
    expect(monthStartBefore('2026-01-15', 1)).toBe('2025-12-01');
    expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
  });
});
