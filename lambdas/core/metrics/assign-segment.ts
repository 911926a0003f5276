import type { SegmentsConfig } from '../config.ts';

/**
 * Segment of an account by its trailing-12-month revenue. Brackets are listed highest first and each
 * covers [min, next higher bracket's min), with `min` itself included only when `minInclusive`;
 * T12M <= 0 (or below every bracket) is the inactive segment.
 */
export function assignSegment(revenueT12m: number, segments: SegmentsConfig): string {
  if (revenueT12m > 0) {
    for (const bracket of segments.brackets) {
      if (revenueT12m > bracket.min || (bracket.minInclusive && revenueT12m === bracket.min)) {
        return bracket.name;
      }
    }
  }
  return segments.inactiveName;
}
