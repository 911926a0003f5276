import { describe, expect, it } from 'vitest';
import { METRIC_DEFINITION_VERSION } from '../../lambdas/core/config.ts';
import {
  buildSnapshotTables,
  glueColumnType,
  SNAPSHOT_TABLE_NAMES,
  SNAPSHOT_TABLE_SCHEMAS,
  type SnapshotTable,
  type SnapshotTableName,
} from '../../lambdas/core/snapshot/tables.ts';
import { accounts, analysisFor, config, quarantine, snapshotFor } from '../fixtures/snapshot-analysis.ts';

const RUN_COLUMNS = ['period_start', 'period_end', 'metric_version', 'brackets', 'currency', 'generated_at'];

function table(name: SnapshotTableName, periodId = '2026-10'): SnapshotTable {
  const found = snapshotFor(periodId).tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}

const snake = (camel: string): string => camel.replace(/([a-z])([A-Z0-9])/g, '$1_$2').toLowerCase();

/** The per-account model outputs (issue 4, lambdas/core/insights.ts), one column each. */
const PREDICTION_COLUMNS = [
  'probability_alive',
  'expected_transactions',
  'expected_spend',
  'clv',
  'churn_risk',
  'churn_reason',
  'revenue_at_risk',
  'growth_score',
  'growth_reasons',
  'hidden_gem',
];

describe('snapshot table definitions', () => {
  it.each(SNAPSHOT_TABLE_NAMES)('%s: unique snake_case columns, run columns, no partition keys', (name) => {
    const columns = SNAPSHOT_TABLE_SCHEMAS[name].map((c) => c.name);
    expect(new Set(columns).size).toBe(columns.length);
    for (const column of columns) expect(column).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(columns).not.toContain('cadence');
    expect(columns).not.toContain('period');
    expect(columns.slice(-RUN_COLUMNS.length)).toEqual(RUN_COLUMNS);
  });

  it('account_segments has a column for every ClassifiedAccount field but the monthly array, plus avg_transaction, clusters and overrides', () => {
    const fromFields = Object.keys(accounts[0] ?? {})
      .filter((k) => k !== 'monthlyRevenue')
      .map(snake);
    const columns = SNAPSHOT_TABLE_SCHEMAS.account_segments.map((c) => c.name);
    expect(columns.sort()).toEqual(
      [
        ...fromFields,
        'avg_transaction',
        'cluster_id',
        'cluster_label',
        'last_reviewed_on',
        'computed_segment',
        'override_reason',
        'override_set_by',
        'override_expires_on',
        'engagement_level',
        'engagement_score',
        'engagement_reason',
        'recent_activities',
        ...PREDICTION_COLUMNS,
        ...RUN_COLUMNS,
      ].sort(),
    );
  });

  it('types dates as DATE, counts as BIGINT, money as DOUBLE', () => {
    const types = Object.fromEntries(SNAPSHOT_TABLE_SCHEMAS.account_segments.map((c) => [c.name, c.type]));
    expect(types).toMatchObject({
      created_on: 'DATE',
      first_invoice_on: 'DATE',
      last_invoice_on: 'DATE',
      period_start: 'DATE',
      employee_count: 'BIGINT',
      invoices_t12m: 'BIGINT',
      recency_days: 'BIGINT',
      revenue_t12m: 'DOUBLE',
      growth_yoy: 'DOUBLE',
      segment: 'STRING',
      generated_at: 'STRING',
    });
  });

  it.each([
    ['STRING', 'string'],
    ['DOUBLE', 'double'],
    ['BIGINT', 'bigint'],
    ['DATE', 'date'],
    ['BOOLEAN', 'boolean'],
  ] as const)('Glue type of %s is %s', (type, glue) => {
    expect(glueColumnType(type)).toBe(glue);
  });

  it('built tables use exactly the exported schemas', () => {
    for (const t of snapshotFor().tables) expect(t.columns).toEqual(SNAPSHOT_TABLE_SCHEMAS[t.name]);
    // segment_clusters is written only for a clustered period (the fixture has no clustering), the sales
    // tables only when the run measured sales efficiency (every job run does; the fixture does not), the
    // campaign table only with the campaign_responses input, currency_conversion only when the run read it
    // (every job run does; the fixture does not).
    const notWritten = new Set([
      'segment_clusters',
      'segment_sales_efficiency',
      'owner_sales_efficiency',
      'campaign_response_rates',
      'currency_conversion',
    ]);
    expect(snapshotFor().tables.map((t) => t.name)).toEqual(
      SNAPSHOT_TABLE_NAMES.filter((name) => !notWritten.has(name)),
    );
  });
});

describe('buildSnapshotTables', () => {
  it('stamps the run on the set and on every row', () => {
    const snapshot = snapshotFor('2026-10');
    expect(snapshot).toMatchObject({
      cadence: 'monthly',
      periodId: '2026-10',
      metricVersion: METRIC_DEFINITION_VERSION,
      generatedAt: '2026-11-02T06:00:00.000Z',
    });
    const stamp = {
      period_start: '2026-10-01',
      period_end: '2026-10-31',
      metric_version: METRIC_DEFINITION_VERSION,
      brackets:
        '[{"name":"High","min":100000,"minInclusive":false},{"name":"Medium","min":10000,"minInclusive":true},' +
        '{"name":"Low","min":0,"minInclusive":false}]',
      currency: 'EUR',
      generated_at: '2026-11-02T06:00:00.000Z',
    };
    for (const t of snapshot.tables) for (const row of t.rows) expect(row).toMatchObject(stamp);
  });

  it('uses the fiscal quarter dates for a quarterly snapshot', () => {
    const rows = snapshotFor('2026-Q3', 'quarterly').tables[0]?.rows ?? [];
    expect(rows[0]).toMatchObject({ period_start: '2026-07-01', period_end: '2026-09-30' });
  });

  it('account_segments: one row per account with every value in place', () => {
    const rows = table('account_segments').rows;
    expect(rows).toHaveLength(3);
    expect(rows[0]).toMatchObject({
      account_id: 'A-1',
      account_name: 'Acme GmbH',
      owner_email: 'jane@example.com',
      owner_name: 'Jane Doe',
      industry: 'Manufacturing',
      country: 'DE',
      employee_count: 250,
      created_on: '2020-03-15',
      segment: 'High',
      previous_segment: 'High',
      revenue_t12m: 150_000,
      revenue_prior_t12m: 120_000,
      previous_revenue_t12m: 140_000,
      revenue_period: 12_000.5,
      invoices_t12m: 12,
      invoices_prior_t12m: 10,
      avg_transaction: 12_500,
      first_invoice_on: '2020-04-01',
      last_invoice_on: '2026-10-20',
      recency_days: 11,
      tenure_days: 2404,
      growth_yoy: 0.25,
      movement: 'expansion',
      movement_amount: 10_000,
      bridge_segment: 'High',
    });
    expect(rows[1]).toMatchObject({
      industry: null,
      employee_count: null,
      created_on: null,
      previous_segment: null,
    });
    expect(rows[2]).toMatchObject({
      account_id: 'A-3',
      avg_transaction: null,
      movement: 'churn',
      bridge_segment: 'Low',
    });
  });

  it('segment_kpis: retention and bridge flattened', () => {
    const rows = table('segment_kpis').rows;
    expect(rows.map((r) => r.segment)).toEqual(['High', 'Medium', 'Low', 'Inactive']);
    expect(rows[0]).toMatchObject({
      rank: 0,
      accounts: 1,
      revenue_share: 150_000 / 155_000,
      retention_nrr: 1.25,
      retention_grr: 1,
      retention_logo_retention: 1,
      retention_base_accounts: 1,
      retention_base_revenue: 120_000,
      bridge_opening: 140_000,
      bridge_expansion: 10_000,
      bridge_closing: 150_000,
      bridge_transfers_in: 0,
    });
    expect(rows[1]).toMatchObject({ arpa: null, retention_nrr: null, avg_transaction: null });
    expect(rows[2]).toMatchObject({
      bridge_new: 5_000,
      bridge_churn: -3_000,
      accounts_in: 1,
      accounts_out: 1,
    });
  });

  it('portfolio_kpis: one row with JSON curves and the input check counts', () => {
    const rows = table('portfolio_kpis').rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      accounts: 3,
      active_accounts: 2,
      revenue_t12m: 155_000,
      retention_logo_retention: 0.5,
      concentration_hhi: 0.9375,
      concentration_gini: 0.5,
      concentration_lorenz:
        '[{"account_share":0,"revenue_share":0},{"account_share":0.5,"revenue_share":0.25},' +
        '{"account_share":1,"revenue_share":1}]',
      seasonality: '[{"month":1,"index":0.5},{"month":2,"index":1.5}]',
      bridge_opening: 143_000,
      bridge_closing: 155_000,
      lines_checked: 40,
      quarantined_lines: 1,
      accounts_checked: 4,
      quarantined_accounts: 1,
    });
  });

  it('segment_migrations: cells with their basis', () => {
    expect(table('segment_migrations').rows).toMatchObject([
      { from_segment: 'High', to_segment: 'High', accounts: 1, revenue_t12m: 150_000, basis: 'snapshot' },
      {
        from_segment: 'Low',
        to_segment: 'Inactive',
        accounts: 1,
        previous_revenue_t12m: 3_000,
        basis: 'snapshot',
      },
    ]);
  });

  it('quarantine: raw values and the reason in words', () => {
    expect(table('quarantine').rows).toMatchObject([
      {
        source_table: 'revenue_lines',
        reason: 'unparsable_amount',
        reason_text: 'amount is not a number',
        invoice_id: 'INV-9',
        amount: '12,5O',
        detail: null,
      },
      {
        source_table: 'accounts',
        reason: 'invalid_owner_email',
        account_id: 'A-4',
        booked_on: null,
        detail: 'owner_email=not-an-email',
      },
    ]);
  });

  it('empty inputs give tables with no rows, but one portfolio row', () => {
    const analysis = { ...analysisFor(), accounts: [], segments: [], migrations: [] };
    const snapshot = buildSnapshotTables({
      analysis,
      quarantine,
      quarantinedRows: [],
      config,
      generatedAt: new Date('2026-11-02T06:00:00Z'),
    });
    expect(snapshot.tables.map((t) => [t.name, t.rows.length])).toEqual([
      ['account_segments', 0],
      ['segment_kpis', 0],
      ['portfolio_kpis', 1],
      ['segment_migrations', 0],
      ['cohort_retention', 0],
      ['quarantine', 0],
      ['segment_firmographics', 0],
    ]);
  });
});
