import { describe, expect, it } from 'vitest';
import { hyp2f1 } from '../../lambdas/core/models/hypergeometric.ts';

describe('hyp2f1 against closed forms', () => {
  it.each([0.1, 0.5, 0.9, 0.999])('2F1(1, 1; 2; z) = -ln(1 - z) / z at z = %f', (z) => {
    expect(hyp2f1(1, 1, 2, z)).toBeCloseTo(-Math.log1p(-z) / z, 10);
  });
  it.each([
    [0.7, 2.5, 0.3],
    [-0.4, 1.2, 0.8],
    [3, 0.5, 0.95],
  ])('2F1(a, b; b; z) = (1 - z)^-a for a=%f b=%f z=%f', (a, b, z) => {
    expect(hyp2f1(a, b, b, z)).toBeCloseTo((1 - z) ** -a, 9);
  });
  it.each([0.2, 0.6, 0.95])('2F1(1/2, 1/2; 3/2; x^2) = asin(x) / x at x = %f', (x) => {
    expect(hyp2f1(0.5, 0.5, 1.5, x * x)).toBeCloseTo(Math.asin(x) / x, 10);
  });
  it('is 1 at z = 0 and when a parameter is 0', () => {
    expect(hyp2f1(2, 3, 4, 0)).toBe(1);
    expect(hyp2f1(0, 3, 4, 0.5)).toBe(1);
  });
  it('refuses z outside [0, 1) and a non-positive integer c', () => {
    expect(() => hyp2f1(1, 1, 2, 1)).toThrow(/outside \[0, 1\)/);
    expect(() => hyp2f1(1, 1, -2, 0.5)).toThrow(/non-positive integer/);
  });
});
