import { describe, expect, it } from 'vitest';
import { QueryError } from '../../lambdas/core/errors.ts';
import {
  assertIdentifier,
  bindNamedParameters,
  inlineNamedParameters,
  toSqlLiteral,
} from '../../lambdas/core/sql-params.ts';

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

describe('toSqlLiteral', () => {
  it.each([
    ['plain text', "'plain text'"],
    ["O'Brien", "'O''Brien'"],
    ["''", "''''''"],
    ['2026-10-31', "'2026-10-31'"],
    [42, '42'],
    [-1.5, '-1.5'],
    [true, 'TRUE'],
    [false, 'FALSE'],
    [null, 'NULL'],
  ])('renders %j as %s', (value, literal) => {
    expect(toSqlLiteral(value)).toBe(literal);
  });

  it('refuses numbers that have no SQL literal', () => {
    expect(() => toSqlLiteral(Number.NaN)).toThrow(QueryError);
    expect(() => toSqlLiteral(Number.POSITIVE_INFINITY)).toThrow('only finite numbers');
  });

  it('refuses text with a control character instead of escaping it', () => {
    expect(toSqlLiteral("x'; DROP TABLE t; --")).toBe("'x''; DROP TABLE t; --'");
    expect(() => toSqlLiteral('line\nbreak')).toThrow('control character');
    expect(() => toSqlLiteral(`nul${String.fromCharCode(0)}`)).toThrow('control character');
  });
});

describe('inlineNamedParameters', () => {
  it('writes every parameter as its literal and leaves strings, comments and :: casts alone', () => {
    const sql = "SELECT ':not' x, CAST(:end AS DATE) d, 1::int z -- :comment\nFROM t WHERE c = :c AND n = :n";
    expect(inlineNamedParameters(sql, { end: '2026-10-31', c: "d'Arcy", n: 2 })).toBe(
      "SELECT ':not' x, CAST('2026-10-31' AS DATE) d, 1::int z -- :comment\nFROM t WHERE c = 'd''Arcy' AND n = 2",
    );
  });

  it('a quote in a value cannot end its literal early', () => {
    expect(inlineNamedParameters('SELECT * FROM t WHERE a = :a', { a: "x' OR '1'='1" })).toBe(
      "SELECT * FROM t WHERE a = 'x'' OR ''1''=''1'",
    );
  });

  it('names every parameter left unbound', () => {
    expect(() => inlineNamedParameters('SELECT :a, :b', {})).toThrow('SQL parameter(s) not bound: :a, :b');
  });
});

describe('assertIdentifier', () => {
  it.each(['revenue_lines', 'db_1'])('accepts %s', (id) => expect(assertIdentifier(id, 'table')).toBe(id));
  it.each(['x; drop table y', 'Revenue', '1abc', ''])('rejects %j', (id) => {
    expect(() => assertIdentifier(id, 'table')).toThrow(/not a safe SQL identifier/);
  });
});
