import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { ConfigError, RevsegError } from '../../lambdas/core/errors.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { commonEnvSchema, jobEnvSchema, readEnv, readRunConfig } from '../../lambdas/handlers/env.ts';
import { parseEvent, runInputSchema, runJobInputSchema } from '../../lambdas/handlers/events.ts';
import { loadPlannedStatement, savePlannedStatements } from '../../lambdas/handlers/planned-statements.ts';

const jobEnv = {
  REVSEG_RUN_CONFIG_FILE: '/var/task/run-config.json',
  REVSEG_SQL_DIR: '/var/task/sql',
  REVSEG_ATHENA_WORKGROUP: 'revenue-segments',
  REVSEG_GLUE_DATABASE: 'revenue_segments',
  REVSEG_STORE_BUCKET: 'store-bucket',
  REVSEG_PLAN_BUCKET: 'results-bucket',
  REVSEG_SES_MAX_SEND_RATE: '14',
  REVSEG_CHART_ASSETS_DIR: '/var/task/chart-assets',
};

describe('handler environment', () => {
  it('parses the job variables, turning the send rate into a number', () => {
    expect(readEnv(jobEnvSchema, jobEnv)).toEqual({ ...jobEnv, REVSEG_SES_MAX_SEND_RATE: 14 });
  });

  it('names every missing or bad variable with its value', () => {
    let message = '';
    try {
      readEnv(jobEnvSchema, {
        ...jobEnv,
        REVSEG_SES_MAX_SEND_RATE: 'false',
        REVSEG_GLUE_DATABASE: 'Bad-DB',
        REVSEG_STORE_BUCKET: undefined,
      });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toContain('REVSEG_SES_MAX_SEND_RATE="false":');
    expect(message).toContain('REVSEG_GLUE_DATABASE="Bad-DB": use lower-case letters, digits and _');
    expect(message).toContain('REVSEG_STORE_BUCKET=(not set):');
  });

  it('needs only the run config and SQL folder for the plan step', () => {
    expect(() => readEnv(commonEnvSchema, {})).toThrow(/REVSEG_RUN_CONFIG_FILE=\(not set\)/);
    expect(readEnv(commonEnvSchema, { REVSEG_RUN_CONFIG_FILE: '/c.json', REVSEG_SQL_DIR: '/sql' })).toEqual({
      REVSEG_RUN_CONFIG_FILE: '/c.json',
      REVSEG_SQL_DIR: '/sql',
    });
  });

  it('reads the run config file, filling defaults, and names the file when it is bad', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'revseg-run-config-'));
    const good = path.join(dir, 'good.json');
    const notJson = path.join(dir, 'not-json.json');
    const invalid = path.join(dir, 'invalid.json');
    writeFileSync(good, '{"currency":"EUR"}');
    writeFileSync(notJson, "{currency:'EUR'}");
    writeFileSync(invalid, '{"currency":"euro"}');

    const config = readRunConfig(good);
    expect(config.currency).toBe('EUR');
    expect(config.fiscalYearStartMonth).toBe(1);
    expect(() => readRunConfig(notJson)).toThrow(`run config ${notJson} cannot be read as JSON`);
    expect(() => readRunConfig(invalid)).toThrow(
      `run config ${invalid} is invalid:\n  - currency: use an ISO 4217 code`,
    );
    expect(() => readRunConfig(path.join(dir, 'missing.json'))).toThrow(ConfigError);
  });
});

describe('state machine input', () => {
  it.each([
    [{ cadence: 'monthly' }],
    [{ cadence: 'quarterly', periodId: '2026-Q3', resend: true }],
    [{ cadence: 'monthly', scheduledTime: '2026-11-02T05:00:00Z' }],
    [{ cadence: 'monthly', periodId: '2026-10', resendTo: ['ana.rahman@example.com'] }],
    [{ cadence: 'monthly', periodId: '2024-01', skipMail: true }],
  ])('accepts %j', (input) => {
    expect(parseEvent(runInputSchema, input, 'state machine input')).toEqual(input);
  });

  it.each([
    [{ cadence: 'weekly' }, 'cadence:'],
    [{ cadence: 'monthly', periodId: '2026-13' }, 'periodId: use YYYY-MM or YYYY-Qn'],
    [{ cadence: 'monthly', period: '2026-10' }, 'period'],
    [{ cadence: 'monthly', resend: 'false' }, 'resend:'],
    [{ cadence: 'monthly', resendTo: ['not-an-address'] }, 'resendTo.0:'],
    [{ cadence: 'monthly', scheduledTime: 'yesterday' }, 'scheduledTime:'],
    [{ cadence: 'monthly', skipMail: 'true' }, 'skipMail:'],
  ])('refuses %j, naming the field', (input, field) => {
    expect(() => parseEvent(runInputSchema, input, 'state machine input')).toThrow(RevsegError);
    expect(() => parseEvent(runInputSchema, input, 'state machine input')).toThrow(field);
  });

  it('requires an execution id for every query handed to the job step', () => {
    const input = {
      request: { cadence: 'monthly', periodId: '2026-10', resend: false, skipMail: false },
      runAt: '2026-11-02T05:00:00.000Z',
      stagingTag: '2026_10_0a1b2c3d',
      queries: [{ name: 'account_features', key: 'plans/monthly/2026-10/x/000-account_features.json' }],
    };
    expect(() => parseEvent(runJobInputSchema, input, 'job step input')).toThrow(
      'job step input is invalid:\n  - queries.0.queryExecutionId:',
    );
  });

  it('requires the tag of the tables the plan staged, so the job reads the staged statements', () => {
    const input = {
      request: { cadence: 'monthly', periodId: '2026-10', resend: false, skipMail: false },
      runAt: '2026-11-02T05:00:00.000Z',
      stagingTag: '2026-10; DROP TABLE accounts',
      queries: [],
    };
    expect(() => parseEvent(runJobInputSchema, input, 'job step input')).toThrow(
      'job step input is invalid:\n  - stagingTag:',
    );
  });
});

describe('planned statements in S3', () => {
  const period = parsePeriod('2026-10', 'monthly', 1);

  it('stores each statement under a prefix of its own plan and reads it back by key', async () => {
    const store = new FolderObjectStore(mkdtempSync(path.join(tmpdir(), 'revseg-plans-')));
    const planned = await savePlannedStatements(store, period, [
      { name: 'account_features', queryString: 'SELECT 1' },
      { name: 'quarantine_summary', queryString: 'SELECT 2' },
    ]);
    expect(planned.map((p) => p.name)).toEqual(['account_features', 'quarantine_summary']);
    expect(planned[0]?.key).toMatch(/^plans\/monthly\/2026-10\/[0-9a-f-]{36}\/000-account_features\.json$/);
    await expect(loadPlannedStatement(store, planned[1]?.key ?? '')).resolves.toEqual({
      name: 'quarantine_summary',
      queryString: 'SELECT 2',
    });
  });

  it('names the object and what to do when a planned statement is missing or malformed', async () => {
    const store = new FolderObjectStore(mkdtempSync(path.join(tmpdir(), 'revseg-plans-')));
    await expect(loadPlannedStatement(store, 'plans/monthly/2026-10/x/000-a.json')).rejects.toThrow(
      /planned statement .*000-a\.json is missing .*start the run again/,
    );
    await store.put('plans/bad.json', new TextEncoder().encode('{"name":"a"}'));
    await expect(loadPlannedStatement(store, 'plans/bad.json')).rejects.toThrow('queryString');
  });
});
