import { describe, expect, it } from 'vitest';
import { formatQueryResult } from '../../bin/query-output.ts';
import { parseCsv } from '../e2e/independent-book.ts';

const result = {
  columns: ['segment', 'accounts', 'revenue_t12m', 'retention_nrr', 'tags'],
  rows: [
    {
      segment: 'High',
      accounts: 31,
      revenue_t12m: 4740059.120000001,
      retention_nrr: 1.0153846153846153,
      tags: ['a'],
    },
    { segment: 'Inactive', accounts: 106, revenue_t12m: 0, retention_nrr: null, tags: [] },
    {
      segment: 'Low',
      accounts: 501,
      revenue_t12m: 1378941.5,
      retention_nrr: 0.1 + 0.2,
      tags: [],
    },
  ],
};

describe('query output', () => {
  it('prints an aligned table with readable numbers, no index column and no quotes', () => {
    const lines = formatQueryResult(result, 'table').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^segment\s+accounts\s+revenue_t12m\s+retention_nrr\s+tags$/);
    expect(lines[2]).toContain('4,740,059.12');
    expect(lines[2]).toContain('1.02');
    expect(lines[2]).not.toContain("'");
    expect(lines[4]).toContain('0.3 ');
    expect(lines.at(-1)).toBe('(3 rows)');
    // numbers right-aligned: the column's values end where its header ends
    const end = lines[0]?.indexOf('accounts') ?? 0;
    expect(lines[3]?.slice(end, end + 8)).toBe('     106');
  });

  it('says so when nothing matched, with the columns that would have been shown', () => {
    expect(formatQueryResult({ columns: ['segment'], rows: [] }, 'table')).toBe(
      'segment\n-------\n(0 rows)\n',
    );
  });

  it('writes CSV with a header and full-precision numbers without float noise', () => {
    const [header, ...rows] = parseCsv(formatQueryResult(result, 'csv'));
    expect(header).toEqual(result.columns);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(['High', '31', '4740059.12', '1.01538461538', '["a"]']);
    expect(rows[1]?.[3] ?? '').toBe('');
    expect(rows[2]?.[3]).toBe('0.3');
  });

  it('writes JSON rows other tools can read', () => {
    const rows = JSON.parse(formatQueryResult(result, 'json')) as Record<string, unknown>[];
    expect(rows[0]).toEqual({
      segment: 'High',
      accounts: 31,
      revenue_t12m: 4740059.12,
      retention_nrr: 1.01538461538,
      tags: ['a'],
    });
    expect(rows[1]?.retention_nrr).toBeNull();
  });
});
