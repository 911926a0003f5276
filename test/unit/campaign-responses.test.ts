import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbQueryEngine } from '../../lambdas/adapters/local/duckdb-query-engine.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import {
  type CampaignResponse,
  campaignReport,
  twoProportionPValue,
} from '../../lambdas/core/campaigns/campaign-responses.ts';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { InputContractError } from '../../lambdas/core/errors.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { bindNamedParameters } from '../../lambdas/core/sql-params.ts';
import { plannedQueries } from '../../lambdas/jobs/steps/read-input.ts';
import {
  OPTIONAL_INPUT_QUERIES,
  optionalInputQueries,
  readActivities,
  readCampaignResponses,
} from '../../lambdas/jobs/steps/read-optional-input.ts';

const segments = parseRunConfig({}).segments;
const window = { windowStart: '2025-11-01', windowEnd: '2026-10-31' };

const send = (
  campaignId: string,
  campaignType: string | null,
  accountId: string,
  revenueT12mAtSend: number,
  responded: boolean,
  converted = false,
): CampaignResponse => ({
  campaignId,
  campaignType,
  accountId,
  sentOn: campaignId === 'C1' ? '2026-03-10' : '2026-06-10',
  responded,
  converted,
  revenueT12mAtSend,
});

// Segments at the send (default brackets): A, B High (> 100,000); C Medium; D, E Low; F Inactive (no revenue).
const RESPONSES: CampaignResponse[] = [
  send('C1', 'premium', 'A', 150_000, true, true),
  send('C1', 'premium', 'B', 150_000, true),
  send('C1', 'premium', 'C', 50_000, false),
  send('C1', 'premium', 'D', 5_000, false),
  send('C2', 'automated', 'D', 5_000, true),
  send('C2', 'automated', 'E', 5_000, false),
  send('C2', 'automated', 'C', 50_000, false),
  send('C2', null, 'F', 0, true),
];

describe('campaignReport', () => {
  const report = campaignReport(RESPONSES, { segments, ...window, minSends: 1 });
  const row = (grouping: string, key: string | null, segment: string | null) =>
    report.rows.find(
      (r) =>
        r.grouping === grouping &&
        (grouping === 'campaign' ? r.campaignId : r.campaignType) === key &&
        r.segment === segment,
    );

  it.each([
    // grouping, campaign or type, segment, sent, responded, converted
    ['campaign', 'C1', null, 4, 2, 1],
    ['campaign', 'C1', 'High', 2, 2, 1],
    ['campaign', 'C1', 'Medium', 1, 0, 0],
    ['campaign', 'C2', 'Low', 2, 1, 0],
    ['campaign', 'C2', 'Inactive', 1, 1, 0],
    ['campaign_type', 'premium', null, 4, 2, 1],
    ['campaign_type', 'automated', null, 4, 2, 0],
    ['all', null, null, 8, 4, 1],
    ['all', null, 'Low', 3, 1, 0],
    ['all', null, 'Medium', 2, 0, 0],
  ] as const)(
    '%s %s in %s: %i sent, %i responded, %i converted',
    (grouping, key, segment, sent, responded, converted) => {
      const r = row(grouping, key, segment);
      expect(r).toMatchObject({ sent, responded, converted });
      expect(r?.responseRate).toBe(responded / sent);
      expect(r?.conversionRate).toBe(converted / sent);
      expect(r?.responseConversionRate).toBe(responded > 0 ? converted / responded : null);
    },
  );

  it('reports a campaign under the type most of its rows give, and counts each row once per grouping', () => {
    // C2 has three automated rows and one without a type: it is an automated campaign
    expect(report.campaigns).toBe(2);
    expect(row('campaign', 'C2', null)?.campaignType).toBe('automated');
    expect(report.rows.filter((r) => r.campaignType === 'unspecified')).toEqual([]);
    const bySegment = report.rows.filter((r) => r.grouping === 'all' && r.segment !== null);
    expect(bySegment.reduce((n, r) => n + r.sent, 0)).toBe(RESPONSES.length);
  });

  it('names the bracket each type works best for, tested against the other brackets', () => {
    const premium = report.verdicts.find((v) => v.campaignType === 'premium');
    // High 2/2 against Medium + Low 0/2: pooled 0.5, se = sqrt(0.25 (1/2 + 1/2)) = 0.5, z = 2, p = 2 (1 - Phi(2))
    expect(premium).toMatchObject({ bestSegment: 'High', sent: 4, restResponseRate: 0 });
    expect(premium?.pValue).toBeCloseTo(0.0455, 3);
    const automated = report.verdicts.find((v) => v.campaignType === 'automated');
    // Inactive (1/1) is not ranked; Low 1/2 against Medium 0/1: pooled 1/3, se = sqrt(2/9 x 1.5), z = 0.866
    expect(automated).toMatchObject({ bestSegment: 'Low', restResponseRate: 0 });
    expect(automated?.pValue).toBeCloseTo(0.3865, 3);
  });

  it('names no bracket when none has the minimum number of sends', () => {
    const strict = campaignReport(RESPONSES, { segments, ...window, minSends: 3 });
    expect(strict.verdicts.map((v) => [v.campaignType, v.bestSegment, v.pValue])).toEqual([
      ['automated', null, null],
      ['premium', null, null],
    ]);
  });

  it('has no rows and no verdicts without responses', () => {
    const empty = campaignReport([], { segments, ...window });
    expect(empty).toMatchObject({ campaigns: 0, rows: [], verdicts: [], minSends: 30 });
  });
});

describe('twoProportionPValue', () => {
  it.each([
    [0, 0, 1, 2, null],
    [1, 1, 1, 1, null],
    [30, 100, 30, 100, 1],
  ] as const)('%i/%i against %i/%i -> %s', (x1, n1, x2, n2, p) => {
    expect(twoProportionPValue(x1, n1, x2, n2)).toBe(p);
  });

  it('matches a worked z-test', () => {
    // 40/100 against 25/100: pooled 0.325, se = sqrt(0.325 x 0.675 x 0.02) = 0.066238, z = 2.2646, p = 0.0235
    expect(twoProportionPValue(40, 100, 25, 100)).toBeCloseTo(0.0235, 3);
  });
});

describe('reading the optional engagement inputs (bad input)', () => {
  let dir: string;
  const sql = new FileSqlSource();
  const period = parsePeriod('2026-10', 'monthly');
  const engines: DuckDbQueryEngine[] = [];
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return { path: file, format: 'csv' as const };
  };
  const open = async (extra: Record<string, { path: string; format: 'csv' }>) => {
    const engine = await DuckDbQueryEngine.create({
      inputs: {
        accounts: write(
          'accounts.csv',
          'account_id,account_name,owner_email,owner_name,industry,country,employee_count,created_on\nA1,Acme,a@example.com,Ann,Software,US,10,2020-01-01\n',
        ),
        revenue_lines: write(
          'revenue_lines.csv',
          'account_id,invoice_id,booked_on,amount,currency,product\nA1,I1,2026-05-01,100.00,USD,core\n',
        ),
        ...extra,
      },
    });
    engines.push(engine);
    return engine;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'revseg-optional-'));
  });
  afterAll(async () => {
    for (const e of engines) await e.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives undefined when an input is absent, so its sections say "not available"', async () => {
    const engine = await open({});
    expect(await readActivities(engine, sql, period, '2026-11-02', 0.05)).toBeUndefined();
    expect(await readCampaignResponses(engine, sql, period, '2026-11-02', 0.05, 'USD')).toBeUndefined();
  });

  it('stops with the table and the missing column when a present input lacks one', async () => {
    const engine = await open({
      campaign_responses: write(
        'campaign_responses.csv',
        'campaign_id,account_id,sent_on,responded\nC1,A1,2026-06-10,true\n',
      ),
    });
    const run = readCampaignResponses(engine, sql, period, '2026-11-02', 0.05, 'USD');
    await expect(run).rejects.toThrow(InputContractError);
    await expect(run).rejects.toThrow(
      /optional input campaign_responses .* lacks column\(s\) converted, campaign_type/,
    );
  });

  it('stops before anything is written when too many rows of an input are bad', async () => {
    const engine = await open({
      activities: write(
        'activities.csv',
        'account_id,occurred_on,kind,count\nA1,2026-10-01,meeting,\nA1,2026-13-01,meeting,\nZZ,2026-10-01,meeting,\n',
      ),
    });
    const run = readActivities(engine, sql, period, '2026-11-02', 0.5);
    await expect(run).rejects.toThrow(
      /2 of 3 activities rows \(66\.7%\) failed validation, above validation\.maxQuarantinedShare \(50\.0%\); nothing was written or sent\. Reasons: unknown_account: 1, unparsable_occurred_on: 1/,
    );
  });

  it('keeps every bad row with its raw values and counts it under its reason', async () => {
    const engine = await open({
      activities: write(
        'activities2.csv',
        'account_id,occurred_on,kind,count\nA1,2026-10-01,meeting,\nA1,2026-10-02,login,3\nA1,2026-10-03,meeting,-1\nA1,2026-10-03,meeting,-1\n',
      ),
    });
    const read = await readActivities(engine, sql, period, '2026-11-02', 0.6);
    expect(read?.check.checked).toBe(4);
    expect(read?.check.counts).toEqual([
      { table: 'activities', reason: 'invalid_count', rows: 2, amount: 0 },
    ]);
    expect(read?.check.rows).toHaveLength(2);
    expect(read?.check.rows[0]).toEqual({
      table: 'activities',
      reason: 'invalid_count',
      accountId: 'A1',
      invoiceId: null,
      bookedOn: null,
      amount: null,
      detail: 'occurred_on=2026-10-03; kind=meeting; event_count=-1',
    });
    expect(read?.activity).toEqual([{ accountId: 'A1', recentEvents: 4, baselineEvents: 0 }]);
  });
});

describe('planning the optional-input queries on AWS', () => {
  const sql = new FileSqlSource();
  const q3 = parsePeriod('2026-Q3', 'quarterly');

  it('plans the queries of the configured optional tables only, each bindable to its SQL', () => {
    expect(optionalInputQueries(q3, '2026-10-02', [], 'USD')).toEqual([]);
    const all = optionalInputQueries(
      q3,
      '2026-10-02',
      ['activities', 'segment_overrides', 'campaign_responses'],
      'USD',
    );
    expect(all).toEqual([
      { name: 'activity_quarantine', params: { run_date: '2026-10-02' } },
      { name: 'account_activity', params: { period_end: '2026-09-30', run_date: '2026-10-02' } },
      { name: 'campaign_quarantine', params: { run_date: '2026-10-02' } },
      {
        name: 'campaign_responses',
        params: { period_end: '2026-09-30', run_date: '2026-10-02', reporting_currency: 'USD' },
      },
      { name: 'segment_overrides', params: {} },
    ]);
    for (const q of all) expect(() => bindNamedParameters(sql.load(q.name), q.params)).not.toThrow();
    expect(new Set(all.map((q) => q.name))).toEqual(new Set(Object.values(OPTIONAL_INPUT_QUERIES)));
  });

  it('adds them to the run plan the state machine starts ahead of the job', () => {
    const names = plannedQueries(q3, '2026-10-02', 1, 'USD', ['activities']).map((q) => q.name);
    expect(names).toContain('account_activity');
    expect(names).not.toContain('campaign_responses');
    expect(plannedQueries(q3, '2026-10-02', 1, 'USD').map((q) => q.name)).not.toContain('account_activity');
  });
});
