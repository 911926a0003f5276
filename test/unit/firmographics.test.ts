import { describe, expect, it } from 'vitest';
import { analyzePortfolio } from '../../lambdas/core/analyze-portfolio.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import {
  FIRMOGRAPHIC_DIMENSIONS,
  type FirmographicKpi,
  firmographicKpis,
} from '../../lambdas/core/firmographics/firmographic-kpis.ts';
import {
  employeesOf,
  industryKey,
  industryOf,
} from '../../lambdas/core/firmographics/firmographic-profile.ts';
import {
  DEFAULT_SIZE_BANDS,
  firmographicsConfigSchema,
} from '../../lambdas/core/firmographics/firmographics-config.ts';
import { regionOf } from '../../lambdas/core/firmographics/region.ts';
import { sizeBandOf } from '../../lambdas/core/firmographics/size-band.ts';
import { scoreGrowthPotential } from '../../lambdas/core/models/growth-potential.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { firmographicBlocks, firmographicCsv } from '../../lambdas/core/report/firmographic-sections.ts';
import { createFormatter } from '../../lambdas/core/report/format.ts';
import type { ReportContext } from '../../lambdas/core/report/report-context.ts';
import { buildSnapshotTables } from '../../lambdas/core/snapshot/tables.ts';
import type { AccountFeatures } from '../../lambdas/core/types.ts';

const config = parseRunConfig({});
const settings = config.firmographics;

/** Window index i is month 2024-11 + i for 2026-10 (12..23 = T12M, 0..11 = prior window). */
function account(
  id: string,
  firmographics: Pick<AccountFeatures, 'industry' | 'country' | 'employeeCount'>,
  monthly: Record<number, number>,
  firstInvoiceOn: string,
  invoicesT12m: number,
): AccountFeatures {
  const months = Array.from({ length: 24 }, (_, i) => monthly[i] ?? 0);
  const sum = (from: number, to: number) => months.slice(from, to).reduce((s, v) => s + v, 0);
  return {
    accountId: id,
    accountName: `Account ${id}`,
    ownerEmail: 'owner@example.com',
    ownerName: 'Owner',
    ...firmographics,
    createdOn: null,
    revenueT12m: sum(12, 24),
    revenuePriorT12m: sum(0, 12),
    invoicesT12m,
    invoicesPriorT12m: 0,
    firstInvoiceOn,
    lastInvoiceOn: null,
    recencyDays: null,
    tenureDays: null,
    monthlyRevenue: months,
  };
}

const range = (amount: number, from: number, to: number) =>
  Object.fromEntries(Array.from({ length: to - from }, (_, i) => [from + i, amount]));

// T12M / prior: A 120,000 / 120,000 (High); B 24,000 / 12,000 (Medium); C 6,000 / 6,000 (Low);
// D 0 / 36,000 (Inactive); E 48,000 / 0 (Medium, new in 2026-05). Portfolio T12M 198,000.
const BOOK: AccountFeatures[] = [
  account(
    'A',
    { industry: 'Retail', country: 'DE', employeeCount: 2000 },
    range(10_000, 0, 24),
    '2020-01-05',
    12,
  ),
  account(
    'B',
    { industry: 'Retail', country: 'US', employeeCount: 100 },
    { ...range(1_000, 0, 12), ...range(2_000, 12, 24) },
    '2020-01-05',
    12,
  ),
  account(
    'C',
    { industry: 'Software', country: 'FR', employeeCount: 30 },
    range(500, 0, 24),
    '2020-01-05',
    6,
  ),
  account(
    'D',
    { industry: ' Software ', country: 'us', employeeCount: null },
    range(3_000, 0, 12),
    '2020-01-05',
    0,
  ),
  account('E', { industry: null, country: 'CA', employeeCount: 300 }, range(8_000, 18, 24), '2026-05-04', 4),
];

const monthly = parsePeriod('2026-10', 'monthly');
const analysis = analyzePortfolio(BOOK, monthly, config.segments);
const rows = firmographicKpis(analysis, config.segments, settings, config.models.growthPotential);
const row = (dimension: string, value: string, segment: string | null = null): FirmographicKpi => {
  const found = rows.find((r) => r.dimension === dimension && r.value === value && r.segment === segment);
  if (!found) throw new Error(`no row ${dimension}=${value} segment ${segment}`);
  return found;
};

describe('sizeBandOf', () => {
  it.each([
    [null, 'Unknown'],
    [0, 'Unknown'],
    [-5, 'Unknown'],
    [1, 'Small (1-49)'],
    [49, 'Small (1-49)'],
    [50, 'Mid-market (50-249)'],
    [249, 'Mid-market (50-249)'],
    [250, 'Large (250-999)'],
    [999, 'Large (250-999)'],
    [1000, 'Enterprise (1000+)'],
    [400_000, 'Enterprise (1000+)'],
  ])('%s employees -> %s', (employees, band) => {
    expect(sizeBandOf(employees, DEFAULT_SIZE_BANDS)).toBe(band);
  });

  it('is Unknown below the smallest configured band', () => {
    expect(sizeBandOf(10, [{ name: 'Big', minEmployees: 500 }])).toBe('Unknown');
  });
});

describe('regionOf', () => {
  it.each([
    ['DE', 'Europe'],
    ['us', 'North America'],
    [' BR ', 'South America'],
    ['JP', 'Asia'],
    ['AU', 'Oceania'],
    ['ZA', 'Africa'],
    ['XX', 'Unknown'],
    ['', 'Unknown'],
    [null, 'Unknown'],
  ])('%s -> %s', (country, region) => {
    expect(regionOf(country)).toBe(region);
  });

  it('uses a configured override first', () => {
    expect(regionOf('mx', { MX: 'LATAM' })).toBe('LATAM');
    expect(regionOf('CA', { MX: 'LATAM' })).toBe('North America');
  });
});

describe('firmographics config', () => {
  it('defaults to four bands and no region overrides', () => {
    expect(firmographicsConfigSchema.parse({})).toEqual({ sizeBands: DEFAULT_SIZE_BANDS, regions: {} });
  });

  it('rejects bands out of order, naming the band', () => {
    expect(() =>
      parseRunConfig({
        firmographics: {
          sizeBands: [
            { name: 'Small', minEmployees: 1 },
            { name: 'Big', minEmployees: 500 },
          ],
        },
      }),
    ).toThrow(/firmographics\.sizeBands\.1\.minEmployees: size bands are out of order: 'Big'/);
  });

  it('rejects a region override that is not an alpha-2 code', () => {
    expect(() => parseRunConfig({ firmographics: { regions: { Mexico: 'LATAM' } } })).toThrow(
      /firmographics\.regions/,
    );
  });
});

describe('firmographicKpis', () => {
  it('groups industries (trimmed, missing = Unknown) largest first, Unknown last', () => {
    expect(rows.filter((r) => r.dimension === 'industry' && r.segment === null).map((r) => r.value)).toEqual([
      'Retail',
      'Software',
      'Unknown',
    ]);
  });

  it('computes every whole-group KPI of Retail by hand', () => {
    const retail = row('industry', 'Retail');
    expect(retail).toMatchObject({
      accounts: 2,
      activeAccounts: 2,
      revenueT12m: 144_000,
      revenuePriorT12m: 132_000,
      revenueShare: 1,
      arpa: 72_000,
      avgFrequency: 12,
      avgTransaction: 6_000,
      accountsIn: null,
    });
    expect(retail.shareOfSegment).toBeCloseTo(144_000 / 198_000, 12);
    expect(retail.growthYoy).toBeCloseTo(12_000 / 132_000, 12);
    expect(retail.retention.nrr).toBeCloseTo(144_000 / 132_000, 12);
    expect(retail.retention.grr).toBeCloseTo(1, 12);
    expect(retail.retention.logoRetention).toBe(1);
  });

  it('splits Retail by segment with the segment mix and the share of each segment', () => {
    const high = row('industry', 'Retail', 'High');
    const medium = row('industry', 'Retail', 'Medium');
    expect(high).toMatchObject({ rank: 0, accounts: 1, revenueT12m: 120_000, shareOfSegment: 1 });
    expect(high.revenueShare).toBeCloseTo(120 / 144, 12);
    expect(medium).toMatchObject({ rank: 1, accounts: 1, revenueT12m: 24_000 });
    expect(medium.revenueShare).toBeCloseTo(24 / 144, 12);
    // Medium across the portfolio: B 24,000 + E 48,000.
    expect(medium.shareOfSegment).toBeCloseTo(24 / 72, 12);
    expect(rows.some((r) => r.dimension === 'industry' && r.value === 'Retail' && r.segment === 'Low')).toBe(
      false,
    );
  });

  it('computes the shrinking Software group: YoY, NRR, GRR, logo retention', () => {
    const software = row('industry', 'Software');
    expect(software).toMatchObject({ accounts: 2, activeAccounts: 1, revenueT12m: 6_000, arpa: 6_000 });
    expect(software.growthYoy).toBeCloseTo((6_000 - 42_000) / 42_000, 12);
    expect(software.retention.nrr).toBeCloseTo(6_000 / 42_000, 12);
    expect(software.retention.grr).toBeCloseTo(6_000 / 42_000, 12);
    expect(software.retention.logoRetention).toBe(0.5);
    expect(row('industry', 'Software', 'Inactive')).toMatchObject({
      accounts: 1,
      revenueT12m: 0,
      shareOfSegment: null,
    });
  });

  it('leaves undefined ratios null for a group without a prior window', () => {
    const unknown = row('industry', 'Unknown');
    expect(unknown).toMatchObject({ revenueT12m: 48_000, growthYoy: null });
    expect(unknown.retention.nrr).toBeNull();
  });

  it('groups regions, countries (upper-cased) and size bands', () => {
    const values = (dimension: string) =>
      rows
        .filter((r) => r.dimension === dimension && r.segment === null)
        .map((r) => [r.value, r.revenueT12m]);
    expect(values('region')).toEqual([
      ['Europe', 126_000],
      ['North America', 72_000],
    ]);
    expect(values('country')).toEqual([
      ['DE', 120_000],
      ['CA', 48_000],
      ['US', 24_000],
      ['FR', 6_000],
    ]);
    expect(values('size_band')).toEqual([
      ['Enterprise (1000+)', 120_000],
      ['Large (250-999)', 48_000],
      ['Mid-market (50-249)', 24_000],
      ['Small (1-49)', 6_000],
      ['Unknown', 0],
    ]);
  });

  it.each(FIRMOGRAPHIC_DIMENSIONS)(
    '%s: groups add up to the portfolio, bridges and segments included',
    (dimension) => {
      const groups = rows.filter((r) => r.dimension === dimension && r.segment === null);
      const sum = (pick: (r: FirmographicKpi) => number, of = groups) => of.reduce((s, r) => s + pick(r), 0);
      expect(sum((r) => r.accounts)).toBe(analysis.portfolio.accounts);
      expect(sum((r) => r.revenueT12m)).toBeCloseTo(analysis.portfolio.revenueT12m, 6);
      expect(sum((r) => r.bridge.churn)).toBeCloseTo(analysis.portfolio.bridge.churn, 6);
      expect(sum((r) => r.bridge.new)).toBeCloseTo(analysis.portfolio.bridge.new, 6);
      for (const s of analysis.segments) {
        const segmentRows = rows.filter((r) => r.dimension === dimension && r.segment === s.segment);
        expect(sum((r) => r.accounts, segmentRows)).toBe(s.accounts);
        expect(sum((r) => r.revenueT12m, segmentRows)).toBeCloseTo(s.revenueT12m, 6);
        expect(sum((r) => r.accountsIn ?? 0, segmentRows)).toBe(s.accountsIn);
      }
    },
  );

  it('keeps the effective segment of an account pinned by a sales-team override', () => {
    const pinned = analyzePortfolio(
      BOOK,
      monthly,
      config.segments,
      undefined,
      new Map([
        [
          'C',
          {
            accountId: 'C',
            segment: 'Medium',
            reason: 'strategic',
            setBy: 'vp@example.com',
            expiresOn: '2027-01-31',
          },
        ],
      ]),
    );
    const overridden = firmographicKpis(pinned, config.segments, settings);
    const softwareMedium = overridden.find(
      (r) => r.dimension === 'industry' && r.value === 'Software' && r.segment === 'Medium',
    );
    expect(softwareMedium).toMatchObject({ accounts: 1, revenueT12m: 6_000 });
    expect(overridden.some((r) => r.segment === 'Low')).toBe(false);
  });
});

describe('firmographic snapshot table and report section', () => {
  const quarter = parsePeriod('2026-Q3', 'quarterly');
  const quarterly = analyzePortfolio(BOOK, monthly, config.segments);
  const ctx = (period = quarter): ReportContext => ({
    config,
    analysis: { ...quarterly, period },
    quarantine: {
      counts: [],
      revenueLinesChecked: 0,
      revenueLinesQuarantined: 0,
      accountsChecked: 0,
      accountsQuarantined: 0,
    },
    generatedAt: new Date('2026-11-02T06:00:00Z'),
    snapshotLocation: 'out/snapshots/',
    firmographics: rows,
  });

  it('writes segment_firmographics with one row per group and segment', () => {
    const snapshot = buildSnapshotTables({
      analysis,
      quarantine: ctx().quarantine,
      quarantinedRows: [],
      config,
      generatedAt: new Date('2026-11-02T06:00:00Z'),
      firmographics: rows,
    });
    const table = snapshot.tables.find((t) => t.name === 'segment_firmographics');
    expect(table?.rows).toHaveLength(rows.length);
    expect(
      table?.rows.find((r) => r.dimension === 'industry' && r.value === 'Retail' && r.segment === null),
    ).toMatchObject({
      accounts: 2,
      revenue_t12m: 144_000,
      arpa: 72_000,
      accounts_in: null,
      period_end: '2026-10-31',
    });
  });

  it('adds a section with each dimension to a quarterly report only', () => {
    const fmt = createFormatter('en-US', 'USD');
    const blocks = firmographicBlocks(ctx(), fmt);
    expect(blocks[0]).toEqual({ kind: 'heading', text: 'Segments by industry, region and company size' });
    const tables = blocks.filter((b) => b.kind === 'table');
    expect(tables.map((t) => t.columns[0]?.header)).toEqual([
      'Industry',
      'Region',
      'Country',
      'Company size',
    ]);
    expect(tables[0]?.rows[0]).toEqual(['Retail', '2', '$144,000', '72.7%', '+9.1%', '109.1%', '82.9%']);
    // ARPA and the accounts per segment are in the attached CSV, so the table fits a mail's width.
    expect(firmographicBlocks(ctx(monthly), fmt)).toEqual([]);
    expect(firmographicBlocks({ ...ctx(), firmographics: undefined }, fmt)).toEqual([]);
  });

  it('attaches every row as CSV', () => {
    const lines = firmographicCsv(ctx()).trim().split('\r\n');
    expect(lines).toHaveLength(rows.length + 1);
    expect(lines[1]).toMatch(/^2026-Q3,quarterly,industry,Retail,,2,2,144000,132000,/);
  });
});

describe('one reading of firmographics for the breakdowns and the growth-potential headroom', () => {
  it.each([
    ['  Financial   Services ', 'Financial Services', 'financial services'],
    ['retail', 'retail', 'retail'],
    ['   ', null, null],
    [null, null, null],
  ])('reads industry %j as %j (key %j)', (raw, industry, key) => {
    expect(industryOf(raw)).toBe(industry);
    expect(industryKey(raw)).toBe(key);
  });

  it.each([
    [250, 250],
    [0, null],
    [-5, null],
    [Number.NaN, null],
    [null, null],
  ])('sizes a company of %s employees as %s', (count, employees) => {
    expect(employeesOf(count)).toBe(employees);
  });

  it('groups industries whatever their case and blanks, labelled with the most common spelling', () => {
    const book = [
      account(
        'R1',
        { industry: 'Retail', country: 'DE', employeeCount: 10 },
        range(100, 12, 24),
        '2020-01-05',
        1,
      ),
      account(
        'R2',
        { industry: 'retail ', country: 'DE', employeeCount: 10 },
        range(100, 12, 24),
        '2020-01-05',
        1,
      ),
      account(
        'R3',
        { industry: ' Retail', country: 'DE', employeeCount: 10 },
        range(100, 12, 24),
        '2020-01-05',
        1,
      ),
      account(
        'S1',
        { industry: 'software', country: 'DE', employeeCount: 10 },
        range(50, 12, 24),
        '2020-01-05',
        1,
      ),
    ];
    const kpis = firmographicKpis(
      analyzePortfolio(book, monthly, config.segments),
      config.segments,
      settings,
    );
    const groups = kpis.filter((r) => r.dimension === 'industry' && r.segment === null);
    // Retail: 3 accounts x 12 x 100 = 3,600; software: 600
    expect(groups.map((g) => [g.value, g.accounts, g.revenueT12m])).toEqual([
      ['Retail', 3, 3600],
      ['software', 1, 600],
    ]);
  });

  it('estimates the wallet of exactly the accounts that have a size band, with the spend of their industry group', () => {
    const growth = config.models.growthPotential;
    const cases: [string | null, number | null][] = [
      [' RETAIL ', 100],
      ['Retail', 0],
      ['Financial   services', 20],
      ['Unlisted', 1000],
      [null, Number.NaN],
    ];
    for (const [industry, employeeCount] of cases) {
      const band = sizeBandOf(employeeCount, settings.sizeBands);
      const g = scoreGrowthPotential(
        {
          accountId: 'x',
          industry,
          employeeCount,
          revenueT12m: 1_000,
          revenuePriorT12m: 1_000,
          monthlyRevenue: [],
        },
        growth,
      );
      expect(g.estimatedWallet === null, `${industry} ${employeeCount}`).toBe(band === 'Unknown');
    }
    const wallet = (industry: string) =>
      scoreGrowthPotential(
        {
          accountId: 'x',
          industry,
          employeeCount: 100,
          revenueT12m: 0,
          revenuePriorT12m: 0,
          monthlyRevenue: [],
        },
        growth,
      ).estimatedWallet;
    // retail 400, financial services 1,500 per employee (DEFAULT_SPEND_PER_EMPLOYEE), else the default 1,000
    expect(wallet(' RETAIL ')).toBe(40_000);
    expect(wallet('Financial   services')).toBe(150_000);
    expect(wallet('constructor')).toBe(100_000);
  });
});

describe('headroom by firmographic group', () => {
  // Wallets (DEFAULT_SPEND_PER_EMPLOYEE: retail 400, software 1,500, else 1,000 per employee):
  // A Retail 2,000 x 400 = 800,000 (T12M 120,000); B Retail 100 x 400 = 40,000 (T12M 24,000);
  // C Software 30 x 1,500 = 45,000 (T12M 6,000); D no employee count (no wallet); E Unknown industry
  // 300 x 1,000 = 300,000 (T12M 48,000).
  it.each([
    ['industry', 'Retail', null, 840_000, 1 - 144_000 / 840_000],
    ['industry', 'Retail', 'High', 800_000, 1 - 120_000 / 800_000],
    ['industry', 'Software', null, 45_000, 1 - 6_000 / 45_000],
    ['industry', 'Unknown', null, 300_000, 1 - 48_000 / 300_000],
    ['size_band', 'Enterprise (1000+)', null, 800_000, 0.85],
    ['size_band', 'Unknown', null, null, null],
  ] as const)('%s %s (segment %s): wallet %s, headroom %s', (dimension, value, segment, wallet, headroom) => {
    const found = row(dimension, value, segment);
    expect(found.estimatedWallet).toBe(wallet);
    if (headroom === null) expect(found.headroom).toBeNull();
    else expect(found.headroom).toBeCloseTo(headroom, 12);
  });

  it("is the wallet-weighted mean of the accounts' growth-potential headroom", () => {
    const growth = config.models.growthPotential;
    for (const group of rows.filter((r) => r.segment === null && r.estimatedWallet !== null)) {
      const members = analysis.accounts.filter(
        (a) =>
          (group.dimension === 'industry' &&
            (industryKey(a.industry) ?? 'Unknown') ===
              (group.value === 'Unknown' ? 'Unknown' : group.value.toLowerCase())) ||
          (group.dimension === 'size_band' &&
            sizeBandOf(a.employeeCount, settings.sizeBands) === group.value) ||
          (group.dimension === 'country' && (a.country?.trim().toUpperCase() || 'Unknown') === group.value) ||
          (group.dimension === 'region' && regionOf(a.country, settings.regions) === group.value),
      );
      const scored = members
        .map((a) =>
          scoreGrowthPotential(
            {
              accountId: a.accountId,
              industry: a.industry,
              employeeCount: a.employeeCount,
              revenueT12m: a.revenueT12m,
              revenuePriorT12m: a.revenuePriorT12m,
              monthlyRevenue: a.monthlyRevenue,
            },
            growth,
          ),
        )
        .filter((g) => g.estimatedWallet !== null);
      const wallet = scored.reduce((sum, g) => sum + (g.estimatedWallet ?? 0), 0);
      const weighted = scored.reduce((sum, g) => sum + (g.estimatedWallet ?? 0) * (g.headroom ?? 0), 0);
      expect(group.estimatedWallet, `${group.dimension} ${group.value}`).toBe(wallet);
      expect(group.headroom).toBeCloseTo(weighted / wallet, 12);
    }
  });

  it('leaves wallet and headroom out without growth-potential assumptions', () => {
    const plain = firmographicKpis(analysis, config.segments, settings);
    expect(plain.every((r) => r.estimatedWallet === null && r.headroom === null)).toBe(true);
  });
});
