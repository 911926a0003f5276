import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';

function sqlFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'revseg-sql-'));
  mkdirSync(path.join(dir, 'include'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, `${name}.sql`), text);
  return dir;
}

describe('FileSqlSource', () => {
  it('reads sql/<name>.sql and replaces each include line by the fragment', () => {
    const dir = sqlFolder({
      q: '-- q: demo\nWITH\n-- @include a\n,\n  --   @include  b  \nSELECT 1\n',
      'include/a': 'a AS (SELECT 1)\n\n',
      'include/b': 'b AS (SELECT 2)',
    });
    expect(new FileSqlSource(dir).load('q')).toBe(
      '-- q: demo\nWITH\na AS (SELECT 1)\n,\nb AS (SELECT 2)\nSELECT 1\n',
    );
  });

  it('loads the repository sql/ by default', () => {
    const text = new FileSqlSource().load('account_features');
    expect(text.split('\n')[0]).toMatch(/^-- account_features:/);
    expect(text).not.toMatch(/@include/);
  });

  it.each([
    ['../etc/passwd', /SQL name '..\/etc\/passwd' is invalid/],
    ['missing', /SQL file .*missing\.sql cannot be read/],
  ])('rejects %s', (name, message) => {
    expect(() => new FileSqlSource(sqlFolder({})).load(name)).toThrow(message);
  });

  it('names a missing fragment and refuses nested includes', () => {
    const dir = sqlFolder({
      gone: '-- @include nothing\n',
      nested: '-- @include outer\n',
      'include/outer': '-- @include inner\n',
    });
    expect(() => new FileSqlSource(dir).load('gone')).toThrow(/include[/\\]nothing\.sql cannot be read/);
    expect(() => new FileSqlSource(dir).load('nested')).toThrow(
      /sql\/include\/outer\.sql includes another fragment/,
    );
  });
});
