import { describe, expect, it } from 'vitest';
import {
  type BridgeCents,
  type BridgeComponent,
  type BridgeInput,
  BridgeLedger,
  bridgeFromCents,
  emptyBridgeCents,
  portfolioBridgeCents,
  postBridge,
} from '../../lambdas/core/metrics/revenue-bridge.ts';

type Postings = Record<string, Partial<Record<BridgeComponent, number>>>;

function postings(input: BridgeInput): Postings {
  const out: Postings = {};
  postBridge(input, (segment, component, cents) => {
    const lines = out[segment] ?? {};
    lines[component] = (lines[component] ?? 0) + cents;
    out[segment] = lines;
  });
  return out;
}

const FLOWS: BridgeComponent[] = [
  'opening',
  'new',
  'expansion',
  'contraction',
  'churn',
  'reactivation',
  'transfersIn',
  'transfersOut',
];

describe('postBridge', () => {
  it.each<[string, BridgeInput, Postings]>([
    [
      'expansion within a segment',
      { openingSegment: 'Low', closingSegment: 'Low', previousCents: 100, currentCents: 150, entry: 'new' },
      { Low: { opening: 100, closing: 150, expansion: 50 } },
    ],
    [
      'unchanged',
      { openingSegment: 'Low', closingSegment: 'Low', previousCents: 100, currentCents: 100, entry: 'new' },
      { Low: { opening: 100, closing: 100 } },
    ],
    [
      'move up: transfer at previous T12M, expansion in the new segment',
      {
        openingSegment: 'Medium',
        closingSegment: 'High',
        previousCents: 900,
        currentCents: 1_200,
        entry: 'new',
      },
      {
        Medium: { opening: 900, transfersOut: -900 },
        High: { closing: 1_200, transfersIn: 900, expansion: 300 },
      },
    ],
    [
      'move down: contraction in the new segment',
      {
        openingSegment: 'Medium',
        closingSegment: 'Low',
        previousCents: 2_100,
        currentCents: 600,
        entry: 'new',
      },
      {
        Medium: { opening: 2_100, transfersOut: -2_100 },
        Low: { closing: 600, transfersIn: 2_100, contraction: -1_500 },
      },
    ],
    [
      'churn to zero stays in the old segment',
      {
        openingSegment: 'Low',
        closingSegment: 'Inactive',
        previousCents: 300,
        currentCents: 0,
        entry: 'new',
      },
      { Low: { opening: 300, churn: -300 }, Inactive: { closing: 0 } },
    ],
    [
      'churn leaving a credit: the credit is contraction where it now sits',
      {
        openingSegment: 'Low',
        closingSegment: 'Inactive',
        previousCents: 200,
        currentCents: -30,
        entry: 'new',
      },
      { Low: { opening: 200, churn: -200 }, Inactive: { closing: -30, contraction: -30 } },
    ],
    [
      'new account',
      {
        openingSegment: 'Inactive',
        closingSegment: 'Low',
        previousCents: 0,
        currentCents: 500,
        entry: 'new',
      },
      { Inactive: { opening: 0 }, Low: { closing: 500, new: 500 } },
    ],
    [
      'reactivation clearing a credit: the credit leaving is expansion where it was',
      {
        openingSegment: 'Inactive',
        closingSegment: 'Low',
        previousCents: -200,
        currentCents: 1_000,
        entry: 'reactivation',
      },
      { Inactive: { opening: -200, expansion: 200 }, Low: { closing: 1_000, reactivation: 1_000 } },
    ],
    [
      'a credit shrinking while inactive',
      {
        openingSegment: 'Inactive',
        closingSegment: 'Inactive',
        previousCents: -50,
        currentCents: -20,
        entry: 'new',
      },
      { Inactive: { opening: -50, closing: -20, expansion: 30 } },
    ],
    [
      'a stale segment holding a credit (restated data) still keeps every sign',
      {
        openingSegment: 'Low',
        closingSegment: 'Low',
        previousCents: -40,
        currentCents: 100,
        entry: 'reactivation',
      },
      { Low: { opening: -40, closing: 100, reactivation: 100, expansion: 40 } },
    ],
  ])('%s', (_name, input, expected) => {
    const actual = postings(input);
    expect(actual).toEqual(expected);
    for (const lines of Object.values(actual)) {
      const flows = FLOWS.reduce((total, key) => total + (lines[key] ?? 0), 0);
      expect(flows).toBe(lines.closing ?? 0);
      for (const key of ['contraction', 'churn', 'transfersOut'] as const)
        expect(lines[key] ?? 0).toBeLessThanOrEqual(0);
      for (const key of ['new', 'expansion', 'reactivation', 'transfersIn'] as const) {
        expect(lines[key] ?? 0).toBeGreaterThanOrEqual(0);
      }
    }
  });
});

describe('bridge ledger and portfolio bridge', () => {
  it('adds postings per segment and nets transfers out of the portfolio', () => {
    const ledger = new BridgeLedger();
    postBridge(
      {
        openingSegment: 'Medium',
        closingSegment: 'High',
        previousCents: 900,
        currentCents: 1_200,
        entry: 'new',
      },
      ledger.post,
    );
    postBridge(
      {
        openingSegment: 'High',
        closingSegment: 'High',
        previousCents: 5_000,
        currentCents: 4_000,
        entry: 'new',
      },
      ledger.post,
    );
    const high = ledger.segment('High');
    expect(high).toEqual({
      ...emptyBridgeCents(),
      opening: 5_000,
      expansion: 300,
      contraction: -1_000,
      transfersIn: 900,
      closing: 5_200,
    });
    expect(ledger.segment('Low')).toEqual(emptyBridgeCents());
    const portfolio: BridgeCents = portfolioBridgeCents([high, ledger.segment('Medium')]);
    expect(portfolio).toEqual({
      ...emptyBridgeCents(),
      opening: 5_900,
      expansion: 300,
      contraction: -1_000,
      closing: 5_200,
    });
    expect(bridgeFromCents(portfolio).opening).toBe(59);
  });
});
