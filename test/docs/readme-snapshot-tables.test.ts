import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRunConfig } from '../../lambdas/core/config.ts';
import { SNAPSHOT_TABLE_NAMES, SNAPSHOT_TABLE_SCHEMAS } from '../../lambdas/core/snapshot/tables.ts';
import { parseDeployConfig } from '../../lib/config.ts';
import { snapshotColumnsMarkdown, withSnapshotTables } from '../../scripts/snapshot-table-docs.ts';
import { linkTargets, REPO } from './markdown.ts';

const readme = () => readFileSync(path.join(REPO, 'README.md'), 'utf8');
const FRONT_DOCS = [
  'docs/snapshot-tables.md',
  'README.md',
  'docs/cli.md',
  'docs/configuration.md',
  'docs/development.md',
  'docs/input-data.md',
  'docs/outputs.md',
];

describe('the README', () => {
  it('lists every snapshot table with every column, as the schemas say (npm run docs:tables rewrites it)', () => {
    const text = readme();
    expect(text, 'README.md is stale: run npm run docs:tables').toBe(withSnapshotTables(text));
    for (const table of SNAPSHOT_TABLE_NAMES) {
      const row = text.split('\n').find((l) => l.startsWith(`| \`${table}\` |`));
      expect(row, table).toBeDefined();
    }
    const accountRow = text.split('\n').find((l) => l.startsWith('| `account_segments` |')) ?? '';
    for (const column of SNAPSHOT_TABLE_SCHEMAS.account_segments.slice(0, 10)) {
      expect(accountRow).toContain(`\`${column.name}\``);
    }
  });

  it('has docs/snapshot-tables.md with every column and its type, as the schemas say', () => {
    const text = readFileSync(path.join(REPO, 'docs/snapshot-tables.md'), 'utf8');
    expect(text, 'docs/snapshot-tables.md is stale: run npm run docs:tables').toBe(snapshotColumnsMarkdown());
    expect(text).toContain('| `churn_risk` | string |');
    expect(text).toContain('| `revenue_t12m` | double |');
  });

  it('notices a stale table', () => {
    const stale = readme().replace('`churn_risk`, ', '');
    expect(withSnapshotTables(stale)).not.toBe(stale);
  });

  it.each(FRONT_DOCS)('%s links only to files in the repository', (file) => {
    for (const target of linkTargets(file)) {
      expect(target, `${file} links to ${target}`).not.toMatch(/^[a-z]+:/i);
      const resolved = path.resolve(REPO, path.dirname(file), target.split('#')[0] ?? '');
      expect(resolved.startsWith(REPO), `${file} links outside the repository: ${target}`).toBe(true);
      expect(existsSync(resolved), `${file} links to missing ${target}`).toBe(true);
    }
  });

  it('ships the example configs it uses, valid, and the license it declares', () => {
    const runConfig = JSON.parse(readFileSync(path.join(REPO, 'examples/revseg.config.json'), 'utf8'));
    expect(parseRunConfig(runConfig, 'examples/revseg.config.json').mail.allowedDomains).toContain(
      'example.com',
    );
    const deploy = JSON.parse(readFileSync(path.join(REPO, 'examples/deploy.json'), 'utf8'));
    expect(parseDeployConfig(deploy, 'examples/deploy.json').runConfig.currency).toBe('USD');
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { license: string };
    expect(pkg.license).toBe('Apache-2.0');
    expect(readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(
      /Apache License\s+Version 2\.0, January 2004/,
    );
  });
});
