import { describe, expect, it } from 'vitest';
import { InputContractError } from '../../lambdas/core/errors.ts';
import {
  assertInputContract,
  contractOf,
  missingColumns,
  REQUIRED_INPUTS,
} from '../../lambdas/core/input-contract.ts';
import type { TableDescription } from '../../lambdas/ports/query-engine.ts';

const lines: TableDescription = {
  table: 'revenue_lines',
  source: '/data/revenue_lines.csv',
  columns: ['account_id', 'invoice_id', 'booked_on', 'amount', 'currency'],
};
const accounts: TableDescription = {
  table: 'accounts',
  source: '/data/accounts.parquet',
  columns: ['account_id', 'account_name', 'owner_email', 'owner_name', 'industry', 'country', 'extra'],
};

describe('assertInputContract', () => {
  it('accepts tables with every required column, optional ones absent and extra ones present', () => {
    expect(() => assertInputContract({ revenue_lines: lines, accounts })).not.toThrow();
  });

  it('names the source, every missing column and what to do', () => {
    const broken = { ...lines, columns: ['Account_ID', 'booked_on', 'amount'] };
    expect(() => assertInputContract({ revenue_lines: broken, accounts })).toThrow(
      'revenue_lines (/data/revenue_lines.csv) lacks required column(s) invoice_id, currency: add them to the export or map your columns onto these names (found: Account_ID, booked_on, amount)',
    );
  });

  it('reports a missing table and a broken one together', () => {
    const error = (() => {
      try {
        assertInputContract({ accounts: { ...accounts, columns: [] } });
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InputContractError);
    expect((error as Error).message).toBe(
      [
        'input does not meet the contract:',
        '  - required table revenue_lines is missing: provide it (CSV with a header or Parquet) with columns account_id, invoice_id, booked_on, amount, currency',
        '  - accounts (/data/accounts.parquet) lacks required column(s) account_id, account_name, owner_email, owner_name, industry, country: add them to the export or map your columns onto these names (found: none)',
      ].join('\n'),
    );
  });
});

describe('contractOf / missingColumns', () => {
  it('knows the optional columns and compares names case-insensitively', () => {
    expect(contractOf('accounts')?.optional).toEqual(['employee_count', 'created_on', 'last_reviewed_on']);
    expect(contractOf('revenue_lines')?.optional).toEqual(['product']);
    expect(contractOf('opportunities')).toBeUndefined();
    const upper = { ...lines, columns: lines.columns.map((c) => c.toUpperCase()) };
    const [revenueLines] = REQUIRED_INPUTS;
    expect(revenueLines && missingColumns(revenueLines, upper)).toEqual([]);
  });
});
