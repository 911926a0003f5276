import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import type { QuarantineSummary } from '../../lambdas/core/quarantine.ts';
import {
  buildLeadershipMail,
  buildOwnerMails,
  createFormatter,
  type ReportContext,
  renderMime,
  whatChangedMost,
} from '../../lambdas/core/report/index.ts';
import type {
  ClassifiedAccount,
  PortfolioAnalysis,
  Retention,
  RevenueBridge,
  SegmentKpi,
} from '../../lambdas/core/types.ts';

/*
 * A hand-built book of six accounts at 2026-10 (monthly). Figures worked out by hand:
 * T12M total 250,000 + 90,000 + 40,000 + 0 + 5,000 + 3,000 = 388,000; previous period T12M
 * 200,000 + 120,000 + 40,000 + 8,000 + 0 + 2,000 = 370,000; prior-year T12M 371,500.
 * Bridge: new +5,000 (A5), expansion +50,000 (A1) +1,000 (A6), contraction -30,000 (A2), churn -8,000 (A4).
 * NRR 383,000 / 371,500 = 103.1%; GRR 302,500 / 371,500 = 81.4%; logo retention 4 / 5 = 80.0%.
 */
function account(p: Partial<ClassifiedAccount> & Pick<ClassifiedAccount, 'accountId'>): ClassifiedAccount {
  return {
    accountName: p.accountId,
    ownerEmail: 'nobody@corp.example',
    ownerName: '',
    industry: null,
    country: null,
    employeeCount: null,
    createdOn: null,
    revenueT12m: 0,
    revenuePriorT12m: 0,
    invoicesT12m: 0,
    invoicesPriorT12m: 0,
    firstInvoiceOn: null,
    lastInvoiceOn: null,
    recencyDays: null,
    tenureDays: null,
    monthlyRevenue: [],
    segment: 'Low',
    previousSegment: null,
    previousRevenueT12m: 0,
    revenuePeriod: 0,
    growthYoy: null,
    movement: 'unchanged',
    movementAmount: 0,
    bridgeSegment: p.segment ?? 'Low',
    ...p,
  };
}

const ACCOUNTS: ClassifiedAccount[] = [
  account({
    accountId: 'A1',
    accountName: 'Acme Corp',
    ownerEmail: 'jane@corp.example',
    ownerName: 'Jane Doe',
    segment: 'High',
    previousSegment: 'High',
    bridgeSegment: 'High',
    revenueT12m: 250_000,
    previousRevenueT12m: 200_000,
    revenuePriorT12m: 180_000,
    invoicesT12m: 12,
    growthYoy: 70_000 / 180_000,
    movement: 'expansion',
    movementAmount: 50_000,
    lastInvoiceOn: '2026-10-20',
    recencyDays: 11,
  }),
  account({
    accountId: 'A2',
    accountName: '<script>alert(1)</script>',
    ownerEmail: ' Jane@Corp.Example ',
    ownerName: 'Jane Doe',
    segment: 'Medium',
    previousSegment: 'High',
    bridgeSegment: 'Medium',
    revenueT12m: 90_000,
    previousRevenueT12m: 120_000,
    revenuePriorT12m: 150_000,
    invoicesT12m: 6,
    growthYoy: -0.4,
    movement: 'contraction',
    movementAmount: -30_000,
    lastInvoiceOn: '2026-09-03',
    recencyDays: 58,
  }),
  account({
    accountId: 'A3',
    accountName: "O'Brien & Sons",
    ownerEmail: 'bob@corp.example',
    ownerName: "Bob O'Brien",
    segment: 'Medium',
    previousSegment: 'Medium',
    bridgeSegment: 'Medium',
    revenueT12m: 40_000,
    previousRevenueT12m: 40_000,
    revenuePriorT12m: 30_000,
    invoicesT12m: 4,
    growthYoy: 10_000 / 30_000,
    movement: 'unchanged',
    movementAmount: 0,
    lastInvoiceOn: '2026-10-31',
    recencyDays: 0,
  }),
  account({
    accountId: 'A4',
    accountName: '=HYPERLINK("http://evil.example","x")',
    ownerEmail: 'bob@corp.example',
    ownerName: "Bob O'Brien",
    segment: 'Inactive',
    previousSegment: 'Low',
    bridgeSegment: 'Low',
    revenueT12m: 0,
    previousRevenueT12m: 8_000,
    revenuePriorT12m: 9_000,
    growthYoy: -1,
    movement: 'churn',
    movementAmount: -8_000,
    lastInvoiceOn: '2025-10-15',
    recencyDays: 381,
  }),
  account({
    accountId: 'A5',
    accountName: 'Newco',
    ownerEmail: 'carol@corp.example',
    ownerName: 'Carol',
    segment: 'Low',
    previousSegment: null,
    bridgeSegment: 'Low',
    revenueT12m: 5_000,
    invoicesT12m: 1,
    movement: 'new',
    movementAmount: 5_000,
    lastInvoiceOn: '2026-10-02',
    recencyDays: 29,
  }),
  account({
    accountId: 'A6',
    accountName: 'Nomail Ltd',
    ownerEmail: 'not-an-email',
    ownerName: 'Nobody',
    segment: 'Low',
    previousSegment: 'Low',
    bridgeSegment: 'Low',
    revenueT12m: 3_000,
    previousRevenueT12m: 2_000,
    revenuePriorT12m: 2_500,
    invoicesT12m: 3,
    growthYoy: 0.2,
    movement: 'expansion',
    movementAmount: 1_000,
    lastInvoiceOn: '2026-08-01',
    recencyDays: 91,
  }),
];

function bridge(b: Partial<RevenueBridge>): RevenueBridge {
  return {
    opening: 0,
    new: 0,
    expansion: 0,
    contraction: 0,
    churn: 0,
    reactivation: 0,
    transfersIn: 0,
    transfersOut: 0,
    closing: 0,
    ...b,
  };
}

const NO_RETENTION: Retention = {
  nrr: null,
  grr: null,
  logoRetention: null,
  baseAccounts: 0,
  baseRevenue: 0,
};

function segment(s: Partial<SegmentKpi> & Pick<SegmentKpi, 'segment' | 'rank'>): SegmentKpi {
  return {
    accounts: 0,
    revenueT12m: 0,
    revenuePriorT12m: 0,
    revenuePeriod: 0,
    revenueShare: 0,
    arpa: null,
    avgFrequency: null,
    avgTransaction: null,
    growthYoy: null,
    retention: NO_RETENTION,
    bridge: bridge({}),
    accountsIn: 0,
    accountsOut: 0,
    ...s,
  };
}

const SEGMENTS: SegmentKpi[] = [
  // Listed out of order on purpose: the report orders by rank.
  segment({
    segment: 'Medium',
    rank: 1,
    accounts: 2,
    revenueT12m: 130_000,
    revenueShare: 130_000 / 388_000,
    arpa: 65_000,
    avgFrequency: 5,
    avgTransaction: 13_000,
    growthYoy: -0.25,
    retention: { nrr: 0.7, grr: 0.65, logoRetention: 1, baseAccounts: 1, baseRevenue: 30_000 },
    bridge: bridge({
      opening: 40_000,
      contraction: -30_000,
      transfersIn: 120_000,
      closing: 130_000,
    }),
    accountsIn: 1,
  }),
  segment({
    segment: 'High',
    rank: 0,
    accounts: 1,
    revenueT12m: 250_000,
    revenueShare: 250_000 / 388_000,
    arpa: 250_000,
    avgFrequency: 12,
    avgTransaction: 250_000 / 12,
    growthYoy: 70_000 / 180_000,
    retention: {
      nrr: 340_000 / 330_000,
      grr: 270_000 / 330_000,
      logoRetention: 1,
      baseAccounts: 2,
      baseRevenue: 330_000,
    },
    bridge: bridge({ opening: 320_000, expansion: 50_000, transfersOut: -120_000, closing: 250_000 }),
    accountsOut: 1,
  }),
  segment({
    segment: 'Low',
    rank: 2,
    accounts: 2,
    revenueT12m: 8_000,
    revenueShare: 8_000 / 388_000,
    arpa: 4_000,
    avgFrequency: 2,
    avgTransaction: 2_000,
    bridge: bridge({ opening: 10_000, new: 5_000, expansion: 1_000, churn: -8_000, closing: 8_000 }),
  }),
  segment({ segment: 'Inactive', rank: 3, accounts: 1 }),
];

const ANALYSIS: PortfolioAnalysis = {
  period: parsePeriod('2026-10', 'monthly'),
  accounts: ACCOUNTS,
  segments: SEGMENTS,
  portfolio: {
    accounts: 6,
    activeAccounts: 5,
    revenueT12m: 388_000,
    revenuePriorT12m: 371_500,
    revenuePeriod: 31_000,
    arpa: 388_000 / 5,
    growthYoy: 16_500 / 371_500,
    retention: {
      nrr: 383_000 / 371_500,
      grr: 302_500 / 371_500,
      logoRetention: 4 / 5,
      baseAccounts: 5,
      baseRevenue: 371_500,
    },
    concentration: {
      top1Share: 0.6443,
      top10Share: 0.6443,
      top20Share: 0.8763,
      gini: 0.5812,
      hhi: 0.4699,
      lorenz: [],
    },
    bridge: bridge({
      opening: 370_000,
      new: 5_000,
      expansion: 51_000,
      contraction: -30_000,
      churn: -8_000,
      closing: 388_000,
    }),
    seasonality: [
      { month: 2, index: 0.5 },
      { month: 1, index: 0.8 },
      { month: 12, index: 1.6 },
    ],
  },
  migrations: [
    {
      fromSegment: 'High',
      toSegment: 'High',
      accounts: 1,
      revenueT12m: 250_000,
      previousRevenueT12m: 200_000,
    },
    {
      fromSegment: 'High',
      toSegment: 'Medium',
      accounts: 1,
      revenueT12m: 90_000,
      previousRevenueT12m: 120_000,
    },
    {
      fromSegment: 'Medium',
      toSegment: 'Medium',
      accounts: 1,
      revenueT12m: 40_000,
      previousRevenueT12m: 40_000,
    },
    { fromSegment: 'Low', toSegment: 'Low', accounts: 1, revenueT12m: 3_000, previousRevenueT12m: 2_000 },
    { fromSegment: 'Low', toSegment: 'Inactive', accounts: 1, revenueT12m: 0, previousRevenueT12m: 8_000 },
    { fromSegment: '(new)', toSegment: 'Low', accounts: 1, revenueT12m: 5_000, previousRevenueT12m: 0 },
  ],
  migrationBasis: 'snapshot',
};

const QUARANTINE: QuarantineSummary = {
  counts: [
    { table: 'revenue_lines', reason: 'unparsable_amount', rows: 3, amount: 0 },
    { table: 'revenue_lines', reason: 'duplicate_line', rows: 2, amount: 1_500 },
    { table: 'accounts', reason: 'invalid_owner_email', rows: 1, amount: 0 },
  ],
  revenueLinesChecked: 1_000,
  revenueLinesQuarantined: 5,
  accountsChecked: 7,
  accountsQuarantined: 1,
};

const CONFIG = parseRunConfig({
  mail: { from: 'reports@corp.example', leadership: ['ceo@corp.example', 'cfo@corp.example'] },
  report: { topAccounts: 2 },
});

const CTX: ReportContext = {
  config: CONFIG,
  analysis: ANALYSIS,
  quarantine: QUARANTINE,
  generatedAt: new Date('2026-11-02T06:00:00Z'),
  snapshotLocation: '/tmp/out/store/snapshots',
};

function attachment(
  mail: { attachments: readonly { filename: string; content: string | Uint8Array }[] },
  name: string,
): string {
  const found = mail.attachments.find((a) => a.filename === name);
  if (!found) throw new Error(`attachment ${name} missing`);
  return typeof found.content === 'string' ? found.content : Buffer.from(found.content).toString('utf8');
}

function csvLines(text: string): string[] {
  expect(text.startsWith('\uFEFF'), 'CSV starts with a byte order mark').toBe(true);
  expect(text.endsWith('\r\n')).toBe(true);
  return text.slice(1, -2).split('\r\n');
}

/** The text from a heading line to the next heading (a line underlined with dashes). */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThanOrEqual(0);
  const rest = text.slice(start + heading.length + 2);
  const next = rest.search(/\n\n[^\n]+\n-+\n/);
  return text.slice(start, next < 0 ? undefined : start + heading.length + 2 + next);
}

/** Plain text with its line wrapping undone, to look for a sentence wherever the 78-column wrap broke it. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** The cells of a plain-text table row, its parts joined when the table was split to fit 78 columns. */
function rowCells(table: string, name: string): string[] {
  const parts = table
    .split('\n')
    .filter((l) => l.startsWith(`${name} `))
    .map((l) => l.split(/\s{2,}/));
  return parts.length === 0 ? [] : [name, ...parts.flatMap((p) => p.slice(1))];
}

describe('buildLeadershipMail', () => {
  const mail = buildLeadershipMail(CTX);

  it('is addressed from config only, with the period in the subject and id', () => {
    expect(mail.id).toBe('monthly-2026-10-leadership');
    expect(mail.from).toBe('reports@corp.example');
    expect(mail.to).toEqual(['ceo@corp.example', 'cfo@corp.example']);
    // The subject carries the news: NRR (no change without a previous snapshot; churn risk not assessed here).
    expect(mail.subject).toBe('Revenue segments — October 2026: NRR 103.1%');
  });

  it('uses the configured subject prefix and names quarters', () => {
    const quarterly: ReportContext = {
      ...CTX,
      config: { ...CONFIG, mail: { ...CONFIG.mail, subjectPrefix: 'ACME revenue' } },
      analysis: { ...ANALYSIS, period: parsePeriod('2026-Q3', 'quarterly') },
    };
    const q = buildLeadershipMail(quarterly);
    expect(q.subject).toBe('ACME revenue — Q3 2026: NRR 103.1%');
    expect(q.id).toBe('quarterly-2026-Q3-leadership');
    expect(q.attachments.map((a) => a.filename)).toEqual([
      'segment-kpis-2026-Q3.csv',
      'segment-migrations-2026-Q3.csv',
      'accounts-to-watch-2026-Q3.csv',
      'data-quality-2026-Q3.csv',
    ]);
    const withNews = buildLeadershipMail({
      ...quarterly,
      previousPortfolio: { periodId: '2026-Q2', nrr: 0.98, grr: 0.85 },
    });
    expect(withNews.subject).toBe('ACME revenue — Q3 2026: NRR 103.1% (+5.1 pts)');
  });

  it.each([
    ['T12M revenue: $388K (+$18K since September 2026; YoY +4.4%)'],
    ['Active accounts: 5 (no change since September 2026)'],
    ['Net revenue retention: 103.1% (change not available: no snapshot of September 2026)'],
    ['Gross revenue retention: 81.4%'],
    ['Revenue at risk: not assessed (churn risk was not assessed in this run)'],
    // Top 10% of 5 accounts is the largest: 250,000 / 388,000 now, 200,000 / 370,000 before.
    ['Top 10% of accounts: 64.4% of revenue (54.1% → 64.4% (+10.4 pts) since September 2026)'],
  ])('headline has %s', (line) => {
    expect(flat(mail.text)).toContain(line);
  });

  it('shows how NRR and GRR changed since the previous period’s snapshot', () => {
    // NRR 383,000 / 371,500 = 1.03096 vs 0.98: +5.1 pts; GRR 302,500 / 371,500 = 0.81427 vs 0.85: -3.6 pts.
    const withPrevious = buildLeadershipMail({
      ...CTX,
      previousPortfolio: { periodId: '2026-09', nrr: 0.98, grr: 0.85 },
    });
    expect(flat(withPrevious.text)).toContain(
      'Net revenue retention: 103.1% (98.0% → 103.1% (+5.1 pts) since September 2026)',
    );
    expect(flat(withPrevious.text)).toContain(
      'Gross revenue retention: 81.4% (85.0% → 81.4% (-3.6 pts) since September 2026)',
    );
    const unmeasured = buildLeadershipMail({
      ...CTX,
      previousPortfolio: { periodId: '2026-09', nrr: null, grr: null },
    });
    expect(flat(unmeasured.text)).toContain('Net revenue retention: 103.1% (not measured in September 2026)');
  });

  it('says in one sentence what changed most', () => {
    expect(flat(mail.text)).toContain(
      'Expansion in High added $50K (1 account); 1 account contracted in Medium (-$30K); 1 account moved from High to Medium.',
    );
  });

  it('lists segments in report order with KPIs formatted for en-US', () => {
    const table = section(mail.text, 'Segments');
    const order = ['High ', 'Medium ', 'Low ', 'Inactive ', 'Total '].map((s) => table.indexOf(`\n${s}`));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // 250,000 / 388,000 = 64.4%; 250,000 / 12 = 20,833; YoY 70,000 / 180,000 = +38.9%
    // Two tables, size and value then retention, each row starting with the segment.
    expect(rowCells(table, 'High')).toEqual([
      'High',
      '1',
      '$250,000',
      '64.4%',
      '$250,000',
      '+38.9%',
      '103.0%',
      '81.8%',
      '100.0%',
      '12.0',
      '$20,833',
    ]);
  });

  it('shows the revenue bridge per segment with signed movements, one row per movement', () => {
    const table = section(mail.text, 'Revenue bridge since September 2026');
    // Columns: Movement, High, Medium, Low, Inactive, Total.
    const medium = (row: string) => rowCells(table, row)[2];
    const total = (row: string) => rowCells(table, row).at(-1);
    expect(rowCells(table, 'Movement')).toEqual(['Movement', 'High', 'Medium', 'Low', 'Inactive', 'Total']);
    expect(['Opening', 'Contraction', 'Transfers in', 'Closing'].map(medium)).toEqual([
      '$40K',
      '-$30K',
      '+$120K',
      '$130K',
    ]);
    expect(
      ['Opening', 'New', 'Expansion', 'Reactivation', 'Contraction', 'Churn', 'Transfers in', 'Closing'].map(
        total,
      ),
    ).toEqual(['$370K', '+$5K', '+$51K', '$0', '-$30K', '-$8K', '$0', '$388K']);
  });

  it('shows concentration, with HHI on the 10,000 scale', () => {
    const table = section(mail.text, 'Concentration');
    expect(table).toMatch(/top 1% of accounts\s+64\.4%/);
    expect(table).toMatch(/top 20% of accounts\s+87\.6%/);
    expect(table).toMatch(/Gini coefficient.*\s0\.58/);
    expect(table).toMatch(/HHI \(0 to 10,000\)\s+4,699/);
  });

  it('shows the migration matrix and where previous segments came from', () => {
    const table = section(mail.text, 'Segment migration');
    expect(
      table
        .split('\n')
        .find((l) => l.startsWith('High '))
        ?.split(/\s{2,}/),
    ).toEqual(['High', '1 · $250K', '1 · $90K', '—', '—']);
    expect(flat(mail.text)).toContain('Previous segments come from the snapshot of September 2026.');
    const derived = buildLeadershipMail({ ...CTX, analysis: { ...ANALYSIS, migrationBasis: 'derived' } });
    expect(flat(derived.text)).toContain(
      'No snapshot of September 2026 was found, so previous segments were derived',
    );
  });

  it('lists top movers, config.report.topAccounts of each, largest first', () => {
    const movers = mail.text.slice(
      mail.text.indexOf('Largest expansions'),
      mail.text.indexOf('Largest contractions'),
    );
    expect(movers.indexOf('Acme Corp (A1)')).toBeLessThan(movers.indexOf('Nomail Ltd (A6)'));
    const one = buildLeadershipMail({
      ...CTX,
      config: { ...CONFIG, report: { ...CONFIG.report, topAccounts: 1 } },
    });
    const oneMovers = one.text.slice(
      one.text.indexOf('Largest expansions'),
      one.text.indexOf('Largest contractions'),
    );
    expect(oneMovers).toContain('Acme Corp (A1)');
    expect(oneMovers).not.toContain('Nomail Ltd (A6)');
  });

  it('shows seasonality by calendar month in month order', () => {
    const lines = section(mail.text, 'Seasonality').split('\n').slice(3, 6);
    // bars scale to the largest index (1.60 -> 20 marks): 0.80 -> 10, 0.50 -> 6.25 -> 6
    expect(lines).toEqual(['Jan  0.80  ##########', 'Feb  0.50  ######', 'Dec  1.60  ####################']);
  });

  it('reports quarantined rows per table and reason, lines checked and accounts without owner mail', () => {
    const quality = mail.text.slice(mail.text.indexOf('\nData quality\n'), mail.text.indexOf('\nSnapshot\n'));
    expect(flat(quality)).toContain(
      'Revenue lines checked: 1,000; quarantined: 5 (0.5%). Accounts checked: 7; quarantined: 1.',
    );
    // The body names the reasons; every table and reason with its amount is in the attached CSV.
    expect(flat(quality)).toContain('Every table and reason is in data-quality-2026-10.csv.');
    expect(flat(quality)).toContain('revenue_lines Reason: amount is not a number Rows: 3 Amount: $0');
    const csv = csvLines(attachment(mail, 'data-quality-2026-10.csv'));
    expect(csv[0]).toBe('Period,Table,Reason,Rows,Amount,What it means');
    expect(csv).toContain('2026-10,revenue_lines,unparsable_amount,3,0,amount is not a number');
    expect(csv).toContain(
      '2026-10,revenue_lines,duplicate_line,2,1500,the same invoice line appears more than once; the first copy is kept',
    );
    expect(csv).toContain(
      '2026-10,accounts,invalid_owner_email,1,,owner_email is not a valid address; the account is kept but has no owner mail',
    );
    expect(flat(quality)).toContain("- Nomail Ltd (A6), owner email 'not-an-email'");
    expect(mail.html).toContain('>amount is not a number</td>');
    expect(mail.html).toContain('>$1,500</td>');
  });

  it('names no local path or config key in the body', () => {
    for (const body of [mail.html, mail.text]) {
      expect(body).not.toContain('/tmp/out');
      expect(body).not.toMatch(/\b(models|report|mail|segments)\.[a-z]+[A-Z.]/);
    }
  });

  it('opens with what changed, what to do, and ends with an appendix', () => {
    const text = flat(mail.text);
    expect(text.indexOf('T12M revenue grew to $388K since September 2026 (+$18K, +4.9%)')).toBeLessThan(
      text.indexOf('What to do'),
    );
    expect(text.indexOf('What to do')).toBeLessThan(text.indexOf('Segments'));
    expect(text.indexOf('Appendix')).toBeLessThan(text.indexOf('Data quality'));
    expect(text).toContain('Churn risk was not assessed in this run.');
  });

  it('escapes every value from data in the HTML and loads nothing external', () => {
    expect(mail.html).not.toMatch(/<script/i);
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; (A2)');
    expect(mail.html).toContain('Bob O&#39;Brien');
    expect(mail.html).toContain('=HYPERLINK(&quot;http://evil.example&quot;,&quot;x&quot;) (A4)');
    expect(mail.html).not.toMatch(/\b(src|href)=|<link|@import|url\(/i);
    expect(flat(mail.text)).toContain('<script>alert(1)</script> (A2)');
  });

  it('attaches the segment KPIs and the migration matrix as CSV', () => {
    const kpis = csvLines(attachment(mail, 'segment-kpis-2026-10.csv'));
    expect(kpis).toHaveLength(5);
    expect(kpis[0]?.split(',').slice(0, 6)).toEqual([
      'period',
      'cadence',
      'segment',
      'rank',
      'accounts',
      'revenue_t12m',
    ]);
    expect(kpis.slice(1).map((l) => l.split(',').slice(0, 6).join(','))).toEqual([
      '2026-10,monthly,High,0,1,250000',
      '2026-10,monthly,Medium,1,2,130000',
      '2026-10,monthly,Low,2,2,8000',
      '2026-10,monthly,Inactive,3,1,0',
    ]);
    const migrations = csvLines(attachment(mail, 'segment-migrations-2026-10.csv'));
    expect(migrations).toEqual([
      'period,cadence,from_segment,to_segment,accounts,revenue_t12m,previous_revenue_t12m,basis',
      '2026-10,monthly,High,High,1,250000,200000,snapshot',
      '2026-10,monthly,High,Medium,1,90000,120000,snapshot',
      '2026-10,monthly,Medium,Medium,1,40000,40000,snapshot',
      '2026-10,monthly,Low,Low,1,3000,2000,snapshot',
      '2026-10,monthly,Low,Inactive,1,0,8000,snapshot',
      '2026-10,monthly,(new),Low,1,5000,0,snapshot',
    ]);
  });

  it('survives a MIME round trip: subject, recipients, both parts and the CSVs', async () => {
    const parsed = await simpleParser(await renderMime(mail, { date: CTX.generatedAt }));
    expect(parsed.subject).toBe(mail.subject);
    const to = Array.isArray(parsed.to) ? parsed.to : [parsed.to];
    expect(to.flatMap((t) => t?.value.map((v) => v.address))).toEqual(mail.to);
    expect(parsed.text?.trimEnd()).toBe(mail.text.trimEnd());
    expect(parsed.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(parsed.date?.toISOString()).toBe('2026-11-02T06:00:00.000Z');
    expect(parsed.attachments.map((a) => [a.filename, a.content.toString('utf8')])).toEqual(
      mail.attachments.map((a) => [a.filename, a.content]),
    );
  });
});

describe('charts in the leadership mail', () => {
  it('puts each drawn chart between its section heading and the table with its numbers', () => {
    const png = new Uint8Array([137, 80, 78, 71]);
    const drawn = (id: string) =>
      [id, { id, title: id, alt: `${id} alt`, png, width: 600, height: 300 }] as const;
    const mail = buildLeadershipMail({
      ...CTX,
      charts: new Map([drawn('revenue-bridge'), drawn('segment-migration')]),
    });
    for (const [heading, id] of [
      ['Revenue bridge since', 'revenue-bridge'],
      ['Segment migration', 'segment-migration'],
    ] as const) {
      const at = mail.html.indexOf(heading);
      const image = mail.html.indexOf(`cid:${id}@revenue-segments`);
      const table = mail.html.indexOf('<table', image);
      expect(at, id).toBeGreaterThan(0);
      expect(image, id).toBeGreaterThan(at);
      expect(mail.html.indexOf('<h2', at + 1), id).toBeGreaterThan(table);
      expect(mail.attachments.some((a) => a.cid === `${id}@revenue-segments`)).toBe(true);
    }
  });
});

describe('whatChangedMost', () => {
  const fmt = createFormatter('en-US', 'USD');

  it('picks churn when it is the largest loss and counts its accounts', () => {
    const segments = SEGMENTS.map((s) =>
      s.segment === 'Low' ? { ...s, bridge: { ...s.bridge, churn: -240_000 } } : s,
    );
    const accounts = [
      ...ACCOUNTS,
      account({ accountId: 'A7', segment: 'Inactive', bridgeSegment: 'Low', movement: 'churn' }),
    ];
    expect(whatChangedMost({ ...ANALYSIS, segments, accounts, migrations: [] }, CONFIG.segments, fmt)).toBe(
      'Expansion in High added $50K (1 account); 2 accounts churned in Low (-$240K).',
    );
  });

  it('names new business when it is the largest gain', () => {
    const segments = SEGMENTS.map((s) =>
      s.segment === 'Low' ? { ...s, bridge: { ...s.bridge, new: 1_200_000 } } : s,
    );
    expect(whatChangedMost({ ...ANALYSIS, segments, migrations: [] }, CONFIG.segments, fmt)).toBe(
      '1 new account in Low added $1.2M; 1 account contracted in Medium (-$30K).',
    );
  });

  it('says so when nothing moved', () => {
    const segments = SEGMENTS.map((s) => ({
      ...s,
      bridge: { ...s.bridge, new: 0, expansion: 0, contraction: 0, churn: 0 },
    }));
    expect(whatChangedMost({ ...ANALYSIS, segments, migrations: [] }, CONFIG.segments, fmt)).toBe(
      'No account’s revenue moved since the previous period.',
    );
  });
});

describe('buildOwnerMails', () => {
  const mails = buildOwnerMails(CTX);
  const ALL_IDS = ACCOUNTS.map((a) => a.accountId);

  it('sends one mail per distinct valid owner email, none for an invalid one', () => {
    expect(mails.map((m) => m.id)).toEqual([
      'monthly-2026-10-owner-bob-corp-example',
      'monthly-2026-10-owner-carol-corp-example',
      'monthly-2026-10-owner-jane-corp-example',
    ]);
    expect(mails.map((m) => m.to)).toEqual([
      ['bob@corp.example'],
      ['carol@corp.example'],
      ['jane@corp.example'],
    ]);
    expect(mails.every((m) => m.from === 'reports@corp.example')).toBe(true);
    expect(
      mails.every((m) => m.subject === 'Revenue segments — your accounts — October 2026 (monthly)'),
    ).toBe(true);
    expect(mails.some((m) => m.to.includes('not-an-email'))).toBe(false);
  });

  it.each([
    ['monthly-2026-10-owner-bob-corp-example', ['A3', 'A4']],
    ['monthly-2026-10-owner-carol-corp-example', ['A5']],
    // A2's owner email is ' Jane@Corp.Example ': the same person after trimming and lower-casing.
    ['monthly-2026-10-owner-jane-corp-example', ['A1', 'A2']],
  ])('%s contains only that owner’s accounts', (id, own) => {
    const mail = mails.find((m) => m.id === id);
    if (!mail) throw new Error(`no mail ${id}`);
    const csvIds = csvLines(attachment(mail, 'accounts-2026-10.csv'))
      .slice(1)
      .map((l) => l.split(',')[1]);
    expect(csvIds.sort()).toEqual(own);
    for (const other of ALL_IDS.filter((x) => !own.includes(x))) {
      expect(flat(mail.text)).not.toContain(`(${other})`);
      expect(mail.html).not.toContain(`(${other})`);
    }
    for (const mine of own) expect(mail.html).toContain(`(${mine})`);
  });

  it('groups accounts by segment in report order with change, YoY, movement and last invoice', () => {
    const jane = mails.find((m) => m.id.endsWith('jane-corp-example'));
    const text = jane?.text ?? '';
    expect(text.indexOf('\nHigh: 1 account, $250K\n')).toBeGreaterThan(0);
    expect(text.indexOf('\nHigh: 1 account')).toBeLessThan(text.indexOf('\nMedium: 1 account, $90K\n'));
    // The last such line is in the segment table; the to-do list above names the account too.
    expect(rowCells(section(text, 'Medium: 1 account, $90K'), '<script>alert(1)</script> (A2)')).toEqual([
      '<script>alert(1)</script> (A2)',
      '$90,000',
      '-$30,000',
      '-40.0%',
      'Contraction, High → Medium',
      'Sep 3, 2026',
    ]);
    expect(flat(text)).toContain('T12M revenue: $340K ($320K → $340K (+$20K) since September 2026)');
  });

  it('starts with what changed: segment moves, churn, new accounts and the biggest changes', () => {
    const byId = (suffix: string) => flat(mails.find((m) => m.id.endsWith(suffix))?.text ?? '');
    expect(byId('jane-corp-example')).toContain(
      '- 1 account moved segment: <script>alert(1)</script> (A2) High → Medium',
    );
    expect(byId('jane-corp-example')).toContain(
      '- Biggest changes in T12M revenue: Acme Corp (A1) +$50K, <script>alert(1)</script> (A2) -$30K',
    );
    expect(byId('bob-corp-example')).toContain(
      '- 1 account churned (no revenue in the last 12 months): =HYPERLINK(',
    );
    expect(byId('carol-corp-example')).toContain('- 1 new account: Newco (A5) in Low ($5K)');
  });

  it('escapes names in HTML and guards the CSV against formula injection', () => {
    const bob = mails.find((m) => m.id.endsWith('bob-corp-example'));
    const jane = mails.find((m) => m.id.endsWith('jane-corp-example'));
    expect(bob?.html).toContain('Hello Bob O&#39;Brien,');
    expect(bob?.html).toContain('O&#39;Brien &amp; Sons (A3)');
    expect(jane?.html).not.toMatch(/<script/i);
    const csv = bob ? attachment(bob, 'accounts-2026-10.csv') : '';
    expect(csv).toContain("A3,O'Brien & Sons,Medium");
    expect(csv).toContain(
      'A4,"\'=HYPERLINK(""http://evil.example"",""x"")",Inactive,Low,0,8000,-8000,-100,"Churn, Low → Inactive"',
    );
  });

  it('keeps ids unique and independent of order when two addresses give the same slug', () => {
    const accounts = [
      account({ accountId: 'X1', ownerEmail: 'a.b@corp.example', revenueT12m: 1 }),
      account({ accountId: 'X2', ownerEmail: 'a-b@corp.example', revenueT12m: 1 }),
      account({ accountId: 'X3', ownerEmail: 'c@corp.example', revenueT12m: 1 }),
    ];
    const idsOf = (list: typeof accounts) =>
      new Map(
        buildOwnerMails({ ...CTX, analysis: { ...ANALYSIS, accounts: list } }).map((m) => [m.to[0], m.id]),
      );
    const ids = idsOf(accounts);
    expect(ids.get('a.b@corp.example')).toMatch(/^monthly-2026-10-owner-a-b-corp-example-[0-9a-f]{8}$/);
    expect(ids.get('a-b@corp.example')).toMatch(/^monthly-2026-10-owner-a-b-corp-example-[0-9a-f]{8}$/);
    expect(ids.get('a.b@corp.example')).not.toBe(ids.get('a-b@corp.example'));
    expect(ids.get('c@corp.example')).toBe('monthly-2026-10-owner-c-corp-example');
    expect(idsOf([...accounts].reverse())).toEqual(ids);
  });

  it('lists an owner of many accounts by name only up to report.ownerListLimit per table; all are in the CSV', () => {
    const many = (n: number) =>
      Array.from({ length: n }, (_, i) =>
        account({
          accountId: `M${String(i + 1).padStart(3, '0')}`,
          accountName: `Many ${i + 1}`,
          ownerEmail: 'many@corp.example',
          segment: 'Medium',
          previousSegment: 'Low',
          bridgeSegment: 'Medium',
          revenueT12m: 10_000 + i * 1_000,
          previousRevenueT12m: 9_000,
          movement: 'expansion',
          movementAmount: 1_000 + i * 1_000,
        }),
      );
    const mailFor = (n: number) => {
      const config = { ...CONFIG, report: { ...CONFIG.report, ownerListLimit: 5 } };
      const [mail] = buildOwnerMails({ ...CTX, config, analysis: { ...ANALYSIS, accounts: many(n) } });
      if (!mail) throw new Error('no owner mail');
      return mail;
    };
    const mail = mailFor(30);
    // the five biggest (M030..M026) by name, the other 25 counted with their revenue: 10k + 1k x (0..24)
    for (const id of ['M030', 'M029', 'M028', 'M027', 'M026']) expect(mail.html).toContain(`(${id})`);
    expect(flat(mail.text)).not.toContain('(M025)');
    expect(flat(mail.text)).toContain('and 25 more accounts');
    expect(flat(mail.text)).toContain('$550,000');
    expect(flat(mail.text)).toContain('and 25 more (all in the attached CSV)');
    const csvIds = csvLines(attachment(mail, 'accounts-2026-10.csv'))
      .slice(1)
      .map((l) => l.split(',')[1]);
    expect(csvIds).toHaveLength(30);
    // ten times the accounts, about the same mail: the size no longer grows with the book
    expect(mailFor(300).html.length).toBeLessThan(mail.html.length * 1.2);
  });
});
