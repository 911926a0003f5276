import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseRunConfig, type RunConfig } from '../core/config.ts';
import { ConfigError } from '../core/errors.ts';

/** Variables every handler reads; set by the stack's function construct. */
export const commonEnvSchema = z.object({
  /** Path of the run config JSON in the bundle (brackets, mail, validation...), validated by `parseRunConfig`. */
  REVSEG_RUN_CONFIG_FILE: z.string().min(1, 'set it to the path of the run config JSON'),
  /** Folder of the `.sql` files inside the bundle. */
  REVSEG_SQL_DIR: z.string().min(1),
});

/** Bucket of the planned statements (the Athena results bucket; they expire with the results). */
const planBucket = z.string().min(3, 'set it to the bucket of the planned statements');

/** Variables of the handler that plans a run's queries. */
export const planEnvSchema = commonEnvSchema.extend({
  REVSEG_PLAN_BUCKET: planBucket,
  /**
   * Comma-separated optional input tables the stack created Glue tables for (`input.optionalTables`); only
   * their queries are planned. @default '' (none)
   */
  REVSEG_OPTIONAL_TABLES: z
    .string()
    .regex(/^([a-z_]+(,[a-z_]+)*)?$/, 'use table names separated by commas, e.g. opportunities,costs')
    .default('')
    .transform((value) => (value === '' ? [] : value.split(','))),
});

/** Variables of the handler that starts one planned statement on Athena. */
export const startQueryEnvSchema = z.object({
  REVSEG_PLAN_BUCKET: planBucket,
  REVSEG_ATHENA_WORKGROUP: z.string().min(1),
  REVSEG_GLUE_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'use lower-case letters, digits and _'),
});

/** Variables of the handler that runs the job. */
export const jobEnvSchema = commonEnvSchema.extend({
  REVSEG_PLAN_BUCKET: planBucket,
  REVSEG_ATHENA_WORKGROUP: z.string().min(1),
  REVSEG_GLUE_DATABASE: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'use lower-case letters, digits and _'),
  /** Bucket of the snapshots and the mail ledger. */
  REVSEG_STORE_BUCKET: z.string().min(3),
  /** SES maximum send rate (recipients per second) of the account. */
  REVSEG_SES_MAX_SEND_RATE: z.coerce.number().positive(),
  REVSEG_SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Folder of the chart assets in the bundle (resvg WebAssembly and fonts, see `chartAssetsIn`). */
  REVSEG_CHART_ASSETS_DIR: z.string().min(1, 'set it to the folder of the bundled chart assets'),
});

/**
 * Reads and validates environment variables once (at module scope); every problem is reported at once,
 * each naming the variable and its bad value.
 */
export function readEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '(environment)');
    const value = env[name];
    return `${name}=${value === undefined ? '(not set)' : JSON.stringify(value.slice(0, 80))}: ${issue.message}`;
  });
  throw new ConfigError(`Lambda environment is invalid:\n  - ${problems.join('\n  - ')}`);
}

/** Reads and validates the run config file, naming the file in every error. */
export function readRunConfig(file: string): RunConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`run config ${file} cannot be read as JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseRunConfig(json, `run config ${file}`);
}
