import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_TABLE_NAMES, SNAPSHOT_TABLE_SCHEMAS } from '../../lambdas/core/snapshot/tables.ts';
import { REPO } from './markdown.ts';

const doc = readFileSync(path.join(REPO, 'docs', 'metrics.md'), 'utf8');
const columns = new Set(SNAPSHOT_TABLE_NAMES.flatMap((t) => SNAPSHOT_TABLE_SCHEMAS[t].map((c) => c.name)));

/** The last cell of each table row: the column (or columns) that store the metric. */
const storedIn = doc
  .split('\n')
  .filter((l) => l.startsWith('| ') && !l.startsWith('| Metric') && !l.startsWith('| ---'))
  .map((l) => l.split('|').at(-2) ?? '');

describe('docs/metrics.md', () => {
  it('names only snapshot columns that exist (a * stands for a family of them)', () => {
    expect(storedIn.length).toBeGreaterThan(20);
    for (const cell of storedIn) {
      for (const [, name = ''] of cell.matchAll(/`([a-z0-9_*]+)`/g)) {
        const known = name.endsWith('*')
          ? [...columns].some((c) => c.startsWith(name.slice(0, -1)))
          : columns.has(name);
        expect(known, `${name} in docs/metrics.md is not a snapshot column`).toBe(true);
      }
    }
  });

  it('names only code files that exist', () => {
    for (const [, file = ''] of doc.matchAll(/`((?:lambdas|sql)\/[\w/.-]+\.(?:ts|sql))`/g)) {
      expect(() => readFileSync(path.join(REPO, file)), file).not.toThrow();
    }
  });

  it('states the edge cases the mails depend on: GRR floor, ARPA denominator, negative Inactive revenue', () => {
    expect(doc).toMatch(/min\(max\(T12M, 0\), prior\)/);
    expect(doc).toMatch(/floored at zero/);
    expect(doc).toMatch(/ARPA \| T12M revenue of the group \/ its \*\*active\*\* accounts/);
    expect(doc).toMatch(/Inactive segment's revenue, which can therefore be printed below \$0/);
  });
});
