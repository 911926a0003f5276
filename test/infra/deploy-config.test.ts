import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../lambdas/core/errors.ts';
import { loadDeployConfig, mergeConfig, parseDeployConfig } from '../../lib/config.ts';
import { quarterStartMonths } from '../../lib/pipeline-stack.ts';
import { projectedPeriodIds } from '../../lib/snapshot-periods.ts';

function context(values: Record<string, unknown>) {
  return { tryGetContext: (key: string) => values[key] };
}

describe('parseDeployConfig', () => {
  it('fills every default from a config that names only the mail domains', () => {
    const config = parseDeployConfig({ runConfig: { mail: { allowedDomains: ['example.com'] } } });
    expect(config.glueDatabase).toBe('revenue_segments');
    expect(config.input).toEqual({
      format: 'csv',
      prefix: 'input/',
      optionalTables: [],
      parquetColumnTypes: {},
    });
    expect(config.athena.bytesScannedCutoffPerQuery).toBe(10 * 1024 * 1024 * 1024);
    expect(config.schedule.timeZone).toBe('UTC');
    expect(config.schedule.monthly).toEqual({ enabled: true, dayOfMonth: 2, hour: 6, minute: 0 });
    expect(config.lambda).toEqual({ memoryMb: 10_240, timeoutMinutes: 15, logRetentionDays: 90 });
    expect(config.ses).toEqual({ identity: 'domain', maxSendRate: 1 });
    expect(config.athena.queryTimeoutMinutes).toBe(30);
    expect(config.runConfig.mail.from).toBe('revenue-segments@example.com');
    expect(config.alarmEmail).toBeUndefined();
  });

  it('reports every problem at once, each with its path, including run config problems', () => {
    let message = '';
    try {
      parseDeployConfig({
        schedule: { timeZone: 'Mars/Olympus', monthly: { dayOfMonth: 31 } },
        athena: { bytesScannedCutoffPerQuery: 1000 },
        lambda: { timeoutMinutes: 20 },
        ses: { identity: 'phone' },
        runConfig: {
          segments: {
            brackets: [
              { name: 'Low', min: 0, minInclusive: false },
              { name: 'High', min: 100 },
            ],
          },
        },
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('schedule.timeZone: use an IANA time zone');
    expect(message).toContain('schedule.monthly.dayOfMonth:');
    expect(message).toContain('athena.bytesScannedCutoffPerQuery:');
    expect(message).toContain('lambda.timeoutMinutes:');
    expect(message).toContain('ses.identity:');
    expect(message).toContain('runConfig.segments.brackets.1.min: brackets overlap or are out of order');
  });
});

describe('parseDeployConfig is strict', () => {
  it('names a misspelt key anywhere in the deployment config, the run config included', () => {
    expect(() =>
      parseDeployConfig({
        runConfig: {
          mail: {
            from: 'r@acme.example',
            leadership: ['cro@acme.example'],
            allowed_domains: ['acme.example'],
          },
        },
      }),
    ).toThrow(
      "runConfig.mail.allowed_domains: unknown setting 'allowed_domains'; did you mean 'allowedDomains'?",
    );
  });
});

describe('parseDeployConfig: mail on AWS', () => {
  const mail = (m: object, ses: object = {}) => ({ runConfig: { mail: m }, ses });

  it('requires allowedDomains, so report mail cannot go wherever the input points', () => {
    expect(() => parseDeployConfig({})).toThrow(
      'runConfig.mail.allowedDomains: list the domains report mail may go to, e.g. ["example.com"]',
    );
  });

  it('refuses leadership addresses outside the allowed domains', () => {
    expect(() =>
      parseDeployConfig(
        mail({ allowedDomains: ['acme.example'], leadership: ['cro@acme.example', 'x@gmail.com'] }),
      ),
    ).toThrow("runConfig.mail.leadership.1: 'x@gmail.com' is outside mail.allowedDomains (acme.example)");
  });

  it('takes a domain identity for the sender, in its domain or a subdomain, or a single address for a trial', () => {
    const base = {
      from: 'reports@mail.acme.example',
      allowedDomains: ['acme.example', 'mail.acme.example'],
      leadership: ['c@acme.example'],
    };
    expect(parseDeployConfig(mail(base, { domain: 'acme.example' })).ses.domain).toBe('acme.example');
    expect(parseDeployConfig(mail(base, { identity: 'email' })).ses.identity).toBe('email');
    expect(() => parseDeployConfig(mail(base, { domain: 'other.example' }))).toThrow(
      'ses.domain: the sender reports@mail.acme.example is not in other.example',
    );
  });
});

describe('loadDeployConfig', () => {
  it('reads the file named in context and lets the context object override it, key by key', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'revseg-config-'));
    const file = path.join(dir, 'deploy.json');
    writeFileSync(
      file,
      JSON.stringify({
        glueDatabase: 'from_file',
        athena: { workGroup: 'wg-file', queryConcurrency: 2 },
        runConfig: { mail: { allowedDomains: ['example.com'] } },
      }),
    );

    const config = loadDeployConfig(
      context({
        'revseg:configFile': file,
        revseg: { athena: { queryConcurrency: 8 }, alarmEmail: 'ops@example.com' },
      }),
    );

    expect(config.glueDatabase).toBe('from_file');
    expect(config.athena.workGroup).toBe('wg-file');
    expect(config.athena.queryConcurrency).toBe(8);
    expect(config.alarmEmail).toBe('ops@example.com');
  });

  it('accepts the context object as JSON text (as `-c revseg=...` gives it) and names a bad source', () => {
    expect(
      loadDeployConfig(
        context({
          revseg: '{"glueDatabase":"cli_db","runConfig":{"mail":{"allowedDomains":["example.com"]}}}',
        }),
      ).glueDatabase,
    ).toBe('cli_db');
    expect(() => loadDeployConfig(context({ revseg: '{oops' }))).toThrow(
      "context 'revseg' is not valid JSON",
    );
    expect(() => loadDeployConfig(context({ 'revseg:configFile': '/nonexistent/deploy.json' }))).toThrow(
      'cannot read deployment config file /nonexistent/deploy.json',
    );
    expect(() => loadDeployConfig(context({ revseg: { glueDatabase: 'Bad-Name' } }))).toThrow(
      "context 'revseg' is invalid:\n  - glueDatabase: use lower-case letters, digits and _",
    );
  });
});

describe('helpers', () => {
  it('merges nested objects and replaces arrays and scalars', () => {
    expect(mergeConfig({ a: { b: 1, c: [1, 2] }, d: 1 }, { a: { c: [3] }, e: 2 })).toEqual({
      a: { b: 1, c: [3] },
      d: 1,
      e: 2,
    });
  });

  it.each([
    [1, '1,4,7,10'],
    [4, '1,4,7,10'],
    [2, '2,5,8,11'],
    [11, '2,5,8,11'],
    [12, '3,6,9,12'],
  ])('quarters of a fiscal year starting in month %i start in months %s', (start, months) => {
    expect(quarterStartMonths(start)).toBe(months);
  });

  it('projects every month and quarter of the configured years', () => {
    const ids = projectedPeriodIds(2025, 2026);
    expect(ids).toHaveLength(2 * 12 + 2 * 4);
    expect(ids.slice(0, 2)).toEqual(['2025-01', '2025-02']);
    expect(ids).toContain('2026-12');
    expect(ids.slice(-5)).toEqual(['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4']);
  });
});
