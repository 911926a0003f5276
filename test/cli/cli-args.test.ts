import { describe, expect, it } from 'vitest';
import { checkPeriodCadence, isoDay, periodId, positiveInt } from '../../bin/cli-args.ts';

describe('command-line dates and periods', () => {
  it('accepts real days and refuses days that do not exist instead of rolling them over', () => {
    expect(isoDay('2028-02-29')).toBe('2028-02-29');
    expect(() => isoDay('2026-02-30')).toThrow(/February 2026 has 28 days/);
    expect(() => isoDay('2026-04-31')).toThrow(/April 2026 has 30 days/);
    expect(() => isoDay('2026-13-01')).toThrow(/month 13 does not exist/);
    expect(() => isoDay('2026-1-5')).toThrow(/use YYYY-MM-DD/);
  });

  it('accepts months and quarters and refuses the rest with an example', () => {
    expect(periodId('2026-10')).toBe('2026-10');
    expect(periodId('2026-q3')).toBe('2026-Q3');
    expect(() => periodId('2026-13')).toThrow(/month 13 does not exist/);
    expect(() => periodId('2026-Q5')).toThrow(/Q1-Q4/);
    expect(() => periodId('Q3-2026')).toThrow(/YYYY-MM for a month \(2026-10\) or YYYY-Qn/);
  });

  it('says which flag to add when the period does not match the cadence', () => {
    expect(() => checkPeriodCadence('2026-Q3', 'monthly')).toThrow(/add --cadence quarterly/);
    expect(() => checkPeriodCadence('2026-10', 'quarterly')).toThrow(/drop --cadence quarterly/);
    expect(() => checkPeriodCadence('2026-Q3', 'quarterly')).not.toThrow();
    expect(() => checkPeriodCadence(undefined, 'quarterly')).not.toThrow();
  });

  it('reads counts with underscores and refuses anything but a positive whole number', () => {
    expect(positiveInt('1_000_000')).toBe(1_000_000);
    expect(() => positiveInt('0')).toThrow(/positive whole number/);
    expect(() => positiveInt('2.5')).toThrow(/positive whole number/);
  });
});
