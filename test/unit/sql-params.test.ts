import { describe, expect, it } from 'vitest';
import { assertIdentifier, bindNamedParameters } from '../../lambdas/core/sql-params.ts';

describe('bindNamedParameters', () => {
  it('turns named parameters into positional ones, in order of appearance, repeats included', () => {
    const bound = bindNamedParameters('SELECT CAST(:end AS DATE) a, :n b, CAST(:end AS DATE) c', {
      end: '2026-10-31',
      n: 3,
    });
    expect(bound).toEqual({
      sql: 'SELECT CAST(? AS DATE) a, ? b, CAST(? AS DATE) c',
      values: ['2026-10-31', 3, '2026-10-31'],
    });
  });

  it('leaves strings, comments and :: casts alone', () => {
    const sql = 'SELECT \':not\' x, "a:b" y, 1::int z -- :comment\n/* :block */ FROM t WHERE d = :d';
    const bound = bindNamedParameters(sql, { d: 'v' });
    expect(bound.sql).toBe(
      'SELECT \':not\' x, "a:b" y, 1::int z -- :comment\n/* :block */ FROM t WHERE d = ?',
    );
    expect(bound.values).toEqual(['v']);
  });

  it('names every parameter left unbound', () => {
    expect(() => bindNamedParameters('SELECT :a, :b', {})).toThrow('SQL parameter(s) not bound: :a, :b');
  });
});

describe('assertIdentifier', () => {
  it.each(['revenue_lines', 'db_1'])('accepts %s', (id) => expect(assertIdentifier(id, 'table')).toBe(id));
  it.each(['x; drop table y', 'Revenue', '1abc', ''])('rejects %j', (id) => {
    expect(() => assertIdentifier(id, 'table')).toThrow(/not a safe SQL identifier/);
  });
});
