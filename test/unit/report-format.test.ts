import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../lambdas/core/report/format.ts';

const fmt = createFormatter('en-US', 'USD');

describe('createFormatter (en-US, USD)', () => {
  it.each([
    [1_234_567, '$1.2M'],
    [240_000, '$240K'],
    [50_000, '$50K'],
    [999.5, '$1,000'],
    [0, '$0'],
    [-12_345, '-$12.3K'],
    [null, '—'],
    [Number.NaN, '—'],
  ])('moneyCompact(%s) = %s', (value, expected) => {
    expect(fmt.moneyCompact(value)).toBe(expected);
  });

  it.each([
    [1_234_567.4, '$1,234,567'],
    [20_833.5, '$20,834'],
    [-1_234.4, '-$1,234'],
    [null, '—'],
    [Number.POSITIVE_INFINITY, '—'],
  ])('money(%s) = %s', (value, expected) => {
    expect(fmt.money(value)).toBe(expected);
  });

  it.each([
    [1_200_000, '+$1.2M'],
    [-12_000, '-$12K'],
    [-250, '-$250'],
    [0, '$0'],
  ])('moneyDelta(%s) = %s', (value, expected) => {
    expect(fmt.moneyDelta(value)).toBe(expected);
  });

  it.each([
    [1_250, '+$1,250'],
    [-30_000, '-$30,000'],
    [0, '$0'],
  ])('moneyDeltaFull(%s) = %s', (value, expected) => {
    expect(fmt.moneyDeltaFull(value)).toBe(expected);
  });

  it.each([
    [0.034, '3.4%'],
    [1.030955, '103.1%'],
    [1, '100.0%'],
    [null, '—'],
  ])('percent(%s) = %s', (value, expected) => {
    expect(fmt.percent(value)).toBe(expected);
  });

  it.each([
    [0.034, '+3.4%'],
    [-0.4, '-40.0%'],
    [0, '0.0%'],
    [null, '—'],
  ])('percentDelta(%s) = %s', (value, expected) => {
    expect(fmt.percentDelta(value)).toBe(expected);
  });

  it.each([
    [0.81, 0.776, '+3.4 pts'],
    [0.7, 0.75, '-5.0 pts'],
    [0.5, 0.5, '0.0 pts'],
    [null, 0.5, '—'],
  ])('pointsDelta(%s, %s) = %s', (current, previous, expected) => {
    expect(fmt.pointsDelta(current, previous)).toBe(expected);
  });

  it('formats counts, dates and times', () => {
    expect(fmt.number(12_345)).toBe('12,345');
    expect(fmt.number(3.456, 1)).toBe('3.5');
    expect(fmt.number(null)).toBe('—');
    expect(fmt.countDelta(3)).toBe('+3');
    expect(fmt.countDelta(-1)).toBe('-1');
    expect(fmt.date('2026-10-03')).toBe('Oct 3, 2026');
    expect(fmt.date(null)).toBe('—');
    expect(fmt.date('not a date')).toBe('not a date');
    expect(fmt.dateTime(new Date('2026-11-02T06:00:00Z'))).toBe('Nov 2, 2026, 6:00 AM UTC');
  });

  it('follows the configured locale and currency', () => {
    const de = createFormatter('de-DE', 'EUR');
    expect(de.money(1_234_567)).toBe('1.234.567\u00a0€');
    expect(de.percent(0.034)).toBe('3,4\u00a0%');
  });
});
