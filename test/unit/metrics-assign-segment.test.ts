import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { assignSegment } from '../../lambdas/core/metrics/assign-segment.ts';

const defaults = parseRunConfig({}).segments;

describe('assignSegment with the default brackets', () => {
  it.each([
    [250_000, 'High'],
    [100_000.01, 'High'],
    [100_000, 'Medium'],
    [10_000, 'Medium'],
    [9_999.99, 'Low'],
    [0.01, 'Low'],
    [0, 'Inactive'],
    [-5, 'Inactive'],
  ])('T12M %d is %s', (revenue, segment) => {
    expect(assignSegment(revenue, defaults)).toBe(segment);
  });
});

describe('assignSegment with a custom config', () => {
  const custom = parseRunConfig({
    segments: {
      brackets: [
        { name: 'Enterprise', min: 500_000, minInclusive: true },
        { name: 'Growth', min: 50_000, minInclusive: false },
        { name: 'Starter', min: 0, minInclusive: false },
      ],
      inactiveName: 'Dormant',
    },
  }).segments;

  it.each([
    [500_000, 'Enterprise'],
    [499_999.99, 'Growth'],
    [50_000.01, 'Growth'],
    [50_000, 'Starter'],
    [1, 'Starter'],
    [0, 'Dormant'],
    [-0.01, 'Dormant'],
  ])('T12M %d is %s', (revenue, segment) => {
    expect(assignSegment(revenue, custom)).toBe(segment);
  });

  it('puts positive revenue below the lowest bracket in the inactive segment', () => {
    const keyOnly = parseRunConfig({ segments: { brackets: [{ name: 'Key', min: 1_000 }] } }).segments;
    expect([assignSegment(1_000, keyOnly), assignSegment(999.99, keyOnly)]).toEqual(['Key', 'Inactive']);
  });
});
