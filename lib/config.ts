import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { runConfigSchema } from '../lambdas/core/config.ts';
import { describeUnknownKey, unknownConfigKeys } from '../lambdas/core/config-keys.ts';
import { ConfigError } from '../lambdas/core/errors.ts';

/** Context key of the deployment config object (cdk.json `context` or `-c`). */
export const CONFIG_CONTEXT_KEY = 'revseg';
/** Context key of an optional JSON file with the deployment config; context values override it. */
export const CONFIG_FILE_CONTEXT_KEY = 'revseg:configFile';

/** Default memory of the job function (Lambda's maximum; see `lambda.memoryMb`). */
export const DEFAULT_JOB_MEMORY_MB = 10_240;

export const OPTIONAL_INPUT_TABLES = [
  'opportunities',
  'costs',
  'fx_rates',
  'activities',
  'segment_overrides',
  'campaign_responses',
] as const;

const identifier = z.string().regex(/^[a-z_][a-z0-9_]{0,127}$/, 'use lower-case letters, digits and _');
const prefix = z
  .string()
  .regex(
    /^([A-Za-z0-9!_.*'()-]+\/)*$/,
    "use a key prefix ending in '/', e.g. 'input/', or '' for the bucket root",
  );

const scheduleSchema = z.object({
  /** @default true */
  enabled: z.boolean().default(true),
  /** Day of month of the run, after the period closed. Days 1 and 29-31 are refused: day 1 can still be the previous month in UTC, and not every month has 29-31. @default 2 */
  dayOfMonth: z.number().int().min(2).max(28).default(2),
  /** @default 6 */
  hour: z.number().int().min(0).max(23).default(6),
  /** @default 0 */
  minute: z.number().int().min(0).max(59).default(0),
});
const defaultSchedule = { enabled: true, dayOfMonth: 2, hour: 6, minute: 0 };

export const deployConfigSchema = z
  .object({
    /** Prefix of the stack names. @default 'RevenueSegments' */
    stackPrefix: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,100}$/)
      .default('RevenueSegments'),
    /** Target account and region; default: the CLI's credentials (CDK_DEFAULT_ACCOUNT / CDK_DEFAULT_REGION). */
    account: z
      .string()
      .regex(/^\d{12}$/, 'use a 12-digit AWS account id')
      .optional(),
    region: z
      .string()
      .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'use a region code such as eu-west-1')
      .optional(),
    /** Glue database of the input and snapshot tables. @default 'revenue_segments' */
    glueDatabase: identifier.default('revenue_segments'),
    input: z
      .object({
        /** File format of the input tables (CSV with a header row, or Parquet). @default 'csv' */
        format: z.enum(['csv', 'parquet']).default('csv'),
        /** An existing bucket holding the exports; default: a bucket the stack creates. */
        bucketName: z
          .string()
          .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'use an S3 bucket name')
          .optional(),
        /**
         * The KMS key of an existing input bucket encrypted with SSE-KMS: the query roles get kms:Decrypt on it,
         * through S3 only. @default none (SSE-S3)
         */
        kmsKeyArn: z
          .string()
          .regex(
            /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
            'use a KMS key ARN such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-...',
          )
          .optional(),
        /** Key prefix of the input tables; each table reads `<prefix><table>/`. @default 'input/' */
        prefix: prefix.default('input/'),
        /** Optional inputs (DESIGN §3) to create Glue tables for. @default [] */
        optionalTables: z.array(z.enum(OPTIONAL_INPUT_TABLES)).default([]),
        /** Hive types of Parquet columns that differ from the defaults, e.g. `{ "revenue_lines.amount": "double" }`. @default {} */
        parquetColumnTypes: z
          .record(
            z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'use <table>.<column>'),
            z
              .string()
              .regex(/^[a-z]+(\(\d+(,\s*\d+)?\))?$/, 'use a Hive type such as double or decimal(18,2)'),
          )
          .default({}),
      })
      .default({ format: 'csv', prefix: 'input/', optionalTables: [], parquetColumnTypes: {} }),
    athena: z
      .object({
        /** @default 'revenue-segments' */
        workGroup: z
          .string()
          .regex(/^[A-Za-z0-9._-]{1,128}$/)
          .default('revenue-segments'),
        /** Athena cancels any query that would scan more (bytes; Athena's minimum is 10 MB). @default 10 GiB */
        bytesScannedCutoffPerQuery: z
          .number()
          .int()
          .min(10_000_000)
          .default(10 * 1024 ** 3),
        /** Days before query results are deleted. @default 7 */
        resultsExpirationDays: z.number().int().min(1).max(3650).default(7),
        /** Planned queries run at once by the state machine. @default 4 */
        queryConcurrency: z.number().int().min(1).max(20).default(4),
        /**
         * A single query running longer is stopped and the run fails. Athena's own limit is the account's
         * "DML query timeout" quota, 30 minutes by default: raise that quota (Service Quotas) before this.
         * @default 30
         */
        queryTimeoutMinutes: z
          .number()
          .int()
          .min(1)
          .max(24 * 60)
          .default(30),
      })
      .default({
        workGroup: 'revenue-segments',
        bytesScannedCutoffPerQuery: 10 * 1024 ** 3,
        resultsExpirationDays: 7,
        queryConcurrency: 4,
        queryTimeoutMinutes: 30,
      }),
    snapshots: z
      .object({
        /** First and last year Athena's partition projection lists periods for. @default 2015..2040 */
        firstYear: z.number().int().min(1990).max(2100).default(2015),
        lastYear: z.number().int().min(1990).max(2100).default(2040),
        /** Days a replaced snapshot object (a rerun's previous version) is kept. @default 90 */
        noncurrentVersionDays: z.number().int().min(1).default(90),
      })
      .default({ firstYear: 2015, lastYear: 2040, noncurrentVersionDays: 90 })
      .refine((s) => s.firstYear <= s.lastYear, { message: 'firstYear must not be after lastYear' }),
    schedule: z
      .object({
        /** IANA time zone of the schedules. @default 'UTC' */
        timeZone: z
          .string()
          .refine((tz) => tz === 'UTC' || Intl.supportedValuesOf('timeZone').includes(tz), {
            message: 'use an IANA time zone such as Europe/Berlin or America/New_York',
          })
          .default('UTC'),
        monthly: scheduleSchema.default(defaultSchedule),
        quarterly: scheduleSchema.default(defaultSchedule),
      })
      .default({ timeZone: 'UTC', monthly: defaultSchedule, quarterly: defaultSchedule }),
    lambda: z
      .object({
        /**
         * Memory of the job function; CPU grows with it. The job's share of a million-account run peaked at
         * 9.2 GB RSS in `npm run bench` (bench/aws-million.ts; 100,000 accounts: 1.4 GB), so the default is
         * Lambda's maximum; a small book can do with less. @default 10240
         */
        memoryMb: z.number().int().min(512).max(10_240).default(DEFAULT_JOB_MEMORY_MB),
        /** Timeout of the job function (it never waits for a long Athena query). @default 15 */
        timeoutMinutes: z.number().int().min(1).max(15).default(15),
        /** Days Lambda and state machine logs are kept. @default 90 */
        logRetentionDays: z.number().int().min(1).default(90),
      })
      .default({ memoryMb: DEFAULT_JOB_MEMORY_MB, timeoutMinutes: 15, logRetentionDays: 90 }),
    ses: z
      .object({
        /**
         * The SES identity the stack creates for the sender (`runConfig.mail.from`): 'domain' verifies its domain
         * with Easy DKIM (publish the three CNAME records; receivers enforcing DMARC then accept the mail),
         * 'email' verifies that one address (a trial: no DKIM aligned with your domain), 'none' uses an identity
         * that exists already. @default 'domain'
         */
        identity: z.enum(['email', 'domain', 'none']).default('domain'),
        /** The domain of the domain identity; the sender must be in it. @default the sender's domain */
        domain: z
          .string()
          .regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'use a lower-case domain such as example.com')
          .optional(),
        /** The account's SES maximum send rate (per second; 1 in the sandbox). @default 1 */
        maxSendRate: z.number().positive().max(1000).default(1),
        /** An existing SES configuration set to send through. @default one the stack creates, with bounce and complaint events */
        configurationSet: z.string().min(1).optional(),
      })
      .default({ identity: 'domain', maxSendRate: 1 }),
    /**
     * The Glue catalog is governed by Lake Formation: grant the query roles SELECT and DESCRIBE on the
     * database's tables and lakeformation:GetDataAccess. @default false
     */
    lakeFormation: z.boolean().default(false),
    /** Who is mailed when a run fails or a scheduled start is dead-lettered. @default none */
    alarmEmail: z.email().optional(),
    /** The run config (brackets, mail, validation), as `lambdas/core/config.ts` validates it. */
    runConfig: runConfigSchema.default(runConfigSchema.parse({})),
  })
  .superRefine((config, ctx) => {
    const { from, allowedDomainsFrom } = config.runConfig.mail;
    const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
    // On AWS the list must be written down (the run config alone falls back to the sender's domain): it is
    // what IAM enforces on every send (ses:Recipients), so it is chosen, not inferred.
    if (allowedDomainsFrom !== 'config') {
      ctx.addIssue({
        code: 'custom',
        path: ['runConfig', 'mail', 'allowedDomains'],
        message:
          'list the domains report mail may go to, e.g. ["example.com"]; on AWS it is required and IAM enforces it (ses:Recipients)',
      });
    }
    const domain = config.ses.domain;
    if (
      config.ses.identity === 'domain' &&
      domain &&
      domainOf(from) !== domain &&
      !domainOf(from).endsWith(`.${domain}`)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['ses', 'domain'],
        message: `the sender ${from} is not in ${domain}: use the sender's domain, or a sender address in it`,
      });
    }
  });

export type DeployConfig = z.infer<typeof deployConfigSchema>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges `override` into `base`: nested objects merge, other values (arrays too) replace. */
export function mergeConfig(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = mergeConfig(base[key], value);
  return out;
}

/** Validates a deployment config object; every problem is reported at once, each with its path. */
export function parseDeployConfig(input: unknown, source = 'deployment config'): DeployConfig {
  const result = deployConfigSchema.safeParse(input ?? {});
  const unknownKeys = unknownConfigKeys(deployConfigSchema, input ?? {}).map(describeUnknownKey);
  if (result.success && unknownKeys.length === 0) return result.data;
  const problems = [
    ...unknownKeys,
    ...(result.error?.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) ?? []),
  ];
  throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}

/** Where `loadDeployConfig` reads context from: a CDK App's node, or anything with `tryGetContext`. */
export interface ContextSource {
  tryGetContext(key: string): unknown;
}

/**
 * Reads the deployment config from the JSON file named by context `revseg:configFile` (if any) and the
 * context object `revseg` (which overrides the file), then validates it.
 */
export function loadDeployConfig(context: ContextSource): DeployConfig {
  const file = context.tryGetContext(CONFIG_FILE_CONTEXT_KEY);
  let fromFile: unknown = {};
  const sources: string[] = [];
  if (typeof file === 'string' && file.length > 0) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read deployment config file ${file}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    sources.push(file);
  }
  let fromContext = context.tryGetContext(CONFIG_CONTEXT_KEY);
  if (typeof fromContext === 'string') {
    // `-c revseg='{...}'` on the command line arrives as text.
    try {
      fromContext = JSON.parse(fromContext);
    } catch (error) {
      throw new ConfigError(
        `context '${CONFIG_CONTEXT_KEY}' is not valid JSON: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
  }
  if (fromContext !== undefined) sources.push(`context '${CONFIG_CONTEXT_KEY}'`);
  return parseDeployConfig(
    mergeConfig(fromFile, fromContext ?? {}),
    sources.join(' + ') || 'deployment config',
  );
}
