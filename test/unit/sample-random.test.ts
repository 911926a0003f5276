import { describe, expect, it } from 'vitest';
import { IsoDayTable, isoOfDay, monthsBetween, parseIsoDay } from '../../lambdas/core/sample/calendar.ts';
import { SampleRandom } from '../../lambdas/core/sample/random.ts';

const draws = (rng: SampleRandom, n: number, draw: (r: SampleRandom) => number) =>
  Array.from({ length: n }, () => draw(rng));

describe('SampleRandom', () => {
  it('repeats a sequence for the same seed and stream, and differs for another seed or stream', () => {
    const a = draws(new SampleRandom(42, 1), 20, (r) => r.float());
    expect(draws(new SampleRandom(42, 1), 20, (r) => r.float())).toEqual(a);
    expect(draws(new SampleRandom(43, 1), 20, (r) => r.float())).not.toEqual(a);
    expect(draws(new SampleRandom(42, 2), 20, (r) => r.float())).not.toEqual(a);
  });

  it('draws integers within bounds, both ends included', () => {
    const values = draws(new SampleRandom(1), 2_000, (r) => r.int(3, 6));
    expect(new Set(values)).toEqual(new Set([3, 4, 5, 6]));
  });

  it.each([0.3, 2, 7])('draws Poisson counts with mean and variance near %d', (mean) => {
    const values = draws(new SampleRandom(7), 20_000, (r) => r.poisson(mean));
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    const v = values.reduce((a, b) => a + (b - m) ** 2, 0) / values.length;
    expect(Math.abs(m - mean)).toBeLessThan(0.05 * mean + 0.02);
    expect(Math.abs(v - mean)).toBeLessThan(0.1 * mean + 0.02);
  });

  it('draws lognormals whose log has the given mean and spread', () => {
    const logs = draws(new SampleRandom(9), 20_000, (r) => Math.log(r.lognormal(8, 1.5)));
    const m = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - m) ** 2, 0) / logs.length);
    expect(m).toBeCloseTo(8, 1);
    expect(sd).toBeCloseTo(1.5, 1);
  });

  it('picks indexes in proportion to their weights', () => {
    const counts = [0, 0, 0];
    for (const i of draws(new SampleRandom(5), 30_000, (r) => r.weightedIndex([1, 2, 7])))
      counts[i] = (counts[i] ?? 0) + 1;
    expect((counts[0] ?? 0) / 30_000).toBeCloseTo(0.1, 1);
    expect((counts[2] ?? 0) / 30_000).toBeCloseTo(0.7, 1);
  });
});

describe('calendar', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2025-13-45', false],
    ['31/12/2025', false],
    ['2025-1-5', false],
  ])('parses %s as a date: %s', (text, ok) => {
    expect(parseIsoDay(text) !== undefined).toBe(ok);
  });

  it('round-trips day numbers', () => {
    expect(parseIsoDay('1970-01-02')).toBe(1);
    expect(isoOfDay(parseIsoDay('2025-11-24') as number)).toBe('2025-11-24');
    const table = new IsoDayTable(parseIsoDay('2024-02-27') as number, parseIsoDay('2024-03-02') as number);
    expect(table.iso(parseIsoDay('2024-02-29') as number)).toBe('2024-02-29');
    expect(table.iso(parseIsoDay('2024-03-05') as number)).toBe('2024-03-05');
  });

  it('lists every month a range touches, with first and last days', () => {
    const months = monthsBetween(parseIsoDay('2024-11-25') as number, parseIsoDay('2025-02-03') as number);
    expect(months.map((m) => [m.year, m.month, isoOfDay(m.firstDay), isoOfDay(m.lastDay)])).toEqual([
      [2024, 11, '2024-11-01', '2024-11-30'],
      [2024, 12, '2024-12-01', '2024-12-31'],
      [2025, 1, '2025-01-01', '2025-01-31'],
      [2025, 2, '2025-02-01', '2025-02-28'],
    ]);
  });
});
