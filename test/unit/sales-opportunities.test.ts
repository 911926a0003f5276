import { describe, expect, it } from 'vitest';
import { checkOpportunities, type OpportunityInputRow } from '../../lambdas/core/sales/opportunities.ts';

const context = {
  accountIds: new Set(['A1', 'A2']),
  runDate: '2026-11-02',
  source: 'opportunities (test.csv)',
};

const good: OpportunityInputRow = {
  opportunityId: 'O-1',
  accountId: 'A1',
  createdOn: '2026-01-10',
  closedOn: '2026-03-01',
  stage: 'won',
  amount: '1200.50',
};

describe('checkOpportunities', () => {
  it('keeps a valid row, trimming values, reading stage in any case and a timestamp as its date', () => {
    const check = checkOpportunities(
      [
        good,
        { ...good, opportunityId: ' O-2 ', stage: ' Lost ', closedOn: '2026-03-01T00:00:00.000Z' },
        { ...good, opportunityId: 'O-3', stage: 'OPEN', closedOn: null, amount: '0' },
        // An open opportunity's closed_on is its expected close date and may be after the run date.
        { ...good, opportunityId: 'O-4', stage: 'open', closedOn: '2027-02-01', amount: '1.5e3' },
      ],
      context,
    );
    expect(check.rejected).toEqual([]);
    expect(check.rowsChecked).toBe(4);
    expect(check.opportunities).toEqual([
      {
        opportunityId: 'O-1',
        accountId: 'A1',
        createdOn: '2026-01-10',
        closedOn: '2026-03-01',
        stage: 'won',
        amount: 1200.5,
      },
      {
        opportunityId: 'O-2',
        accountId: 'A1',
        createdOn: '2026-01-10',
        closedOn: '2026-03-01',
        stage: 'lost',
        amount: 1200.5,
      },
      {
        opportunityId: 'O-3',
        accountId: 'A1',
        createdOn: '2026-01-10',
        closedOn: null,
        stage: 'open',
        amount: 0,
      },
      {
        opportunityId: 'O-4',
        accountId: 'A1',
        createdOn: '2026-01-10',
        closedOn: '2027-02-01',
        stage: 'open',
        amount: 1500,
      },
    ]);
  });

  it.each([
    ['missing_opportunity_id', { opportunityId: '  ' }, 'opportunity_id is empty'],
    ['missing_account_id', { accountId: null }, 'account_id is empty'],
    ['unknown_stage', { stage: 'negotiation' }, 'stage "negotiation" is not one of open, won, lost'],
    ['unknown_stage', { stage: null }, 'stage null is not one of open, won, lost'],
    ['unparsable_created_on', { createdOn: '2026-02-30' }, 'created_on "2026-02-30" is not a date'],
    ['unparsable_created_on', { createdOn: null }, 'created_on null is not a date'],
    ['unparsable_closed_on', { closedOn: '03/01/2026' }, 'closed_on "03/01/2026" is not a date'],
    ['missing_close_date', { closedOn: null }, 'the opportunity is won but closed_on is empty'],
    ['missing_close_date', { closedOn: '', stage: 'lost' }, 'the opportunity is lost but closed_on is empty'],
    [
      'close_before_create',
      { closedOn: '2026-01-09' },
      'closed_on 2026-01-09 is before created_on 2026-01-10',
    ],
    [
      'close_before_create',
      { stage: 'open', closedOn: '2025-12-31' },
      'closed_on 2025-12-31 is before created_on',
    ],
    [
      'future_opportunity_date',
      { createdOn: '2026-11-03', closedOn: null, stage: 'open' },
      'created_on 2026-11-03 is after the run date 2026-11-02',
    ],
    ['future_opportunity_date', { closedOn: '2026-11-05' }, 'closed_on 2026-11-05 is after the run date'],
    ['unparsable_amount', { amount: '12,5O' }, 'amount "12,5O" is not a number'],
    ['unparsable_amount', { amount: null }, 'amount null is not a number'],
    ['negative_amount', { amount: '-0.01' }, 'amount -0.01 is negative'],
    ['unknown_account', { accountId: 'A9' }, "account 'A9' is not in the accounts table"],
  ] as const)('sets aside a row with %s: %j', (reason, change, message) => {
    const check = checkOpportunities([{ ...good, ...change }], context);
    expect(check.opportunities).toEqual([]);
    expect(check.rejected).toHaveLength(1);
    expect(check.rejected[0]?.reason).toBe(reason);
    expect(check.rejected[0]?.message).toContain('opportunities (test.csv) row 1');
    expect(check.rejected[0]?.message).toContain(message);
  });

  it('keeps the first row of a repeated opportunity_id and names the row of the repeat', () => {
    const check = checkOpportunities(
      [good, { ...good, stage: 'lost' }, { ...good, opportunityId: 'O-2' }],
      context,
    );
    expect(check.opportunities.map((o) => [o.opportunityId, o.stage])).toEqual([
      ['O-1', 'won'],
      ['O-2', 'won'],
    ]);
    expect(check.rejected.map((r) => [r.row, r.reason])).toEqual([[2, 'duplicate_opportunity']]);
    expect(check.rejected[0]?.message).toBe(
      "opportunities (test.csv) row 2 (opportunity 'O-1'): the same opportunity_id is on an earlier row, which is the one used: export each opportunity once",
    );
  });

  it('reports the first problem of a row with several, and keeps its raw values for the quarantine table', () => {
    const check = checkOpportunities(
      [
        {
          opportunityId: 'O-9',
          accountId: 'A9',
          createdOn: 'soon',
          closedOn: null,
          stage: 'Pending',
          amount: '-5',
        },
      ],
      context,
    );
    expect(check.rejected).toEqual([
      {
        table: 'opportunities',
        row: 1,
        reason: 'unknown_stage',
        message: expect.stringContaining('stage "Pending"'),
        accountId: 'A9',
        amount: '-5',
        detail: 'row=1; opportunity_id=O-9; stage=Pending; created_on=soon; closed_on=',
      },
    ]);
  });
});
