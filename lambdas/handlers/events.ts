import { z } from 'zod';
import { RevsegError } from '../core/errors.ts';
import { CADENCES } from '../core/period.ts';

/**
 * Input of the state machine (and of its planning step): what the schedules send, and what a person
 * sends for a backfill, e.g. `{ "cadence": "monthly", "periodId": "2026-07" }`.
 */
export const runInputSchema = z.strictObject({
  cadence: z.enum(CADENCES),
  periodId: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$/, 'use YYYY-MM or YYYY-Qn')
    .optional(),
  resend: z.boolean().optional(),
  /** Send again only the mails to these addresses (e.g. one a run reported in doubt). */
  resendTo: z.array(z.email()).optional(),
  /** Build the snapshot and the mails but send none (a backfill of past periods mails nobody). */
  skipMail: z.boolean().optional(),
  /** Set by EventBridge Scheduler: the run is as of this instant, even if it starts late or is retried. */
  scheduledTime: z.iso.datetime({ offset: true }).optional(),
});
export type RunInput = z.infer<typeof runInputSchema>;

/** A bound statement as the plan step stores it in S3 (its text never travels through the state machine). */
export const storedStatementSchema = z.object({
  name: z.string().min(1),
  queryString: z.string().min(1),
});
export type StoredStatement = z.infer<typeof storedStatementSchema>;

/** A planned statement as the state machine carries it: its name and the S3 key of its text. */
export const plannedStatementSchema = z.object({ name: z.string().min(1), key: z.string().min(1) });
export type PlannedStatement = z.infer<typeof plannedStatementSchema>;

/** Output of the planning step: the resolved request, the instant the run is as of, and the statements. */
export const runPlanSchema = z.object({
  request: z.object({
    cadence: z.enum(CADENCES),
    periodId: z.string(),
    resend: z.boolean(),
    resendTo: z.array(z.string()).optional(),
    skipMail: z.boolean(),
  }),
  runAt: z.iso.datetime({ offset: true }),
  /** Names the tables the run stages its shared includes into (see planStagedAthenaStatements). */
  stagingTag: z.string().regex(/^[a-z0-9_]{1,40}$/),
  /** CREATE TABLE AS statements run first, one after another. */
  stages: z.array(plannedStatementSchema),
  statements: z.array(plannedStatementSchema),
  /** DROP TABLE statements run after the job. */
  cleanup: z.array(plannedStatementSchema),
});
export type RunPlan = z.infer<typeof runPlanSchema>;

/** A planned statement once started on Athena (output of the query step). */
export const startedStatementSchema = plannedStatementSchema.extend({ queryExecutionId: z.string().min(1) });
export type StartedStatement = z.infer<typeof startedStatementSchema>;

/** Input of the job step: the plan plus the Athena execution id of every statement. */
export const runJobInputSchema = runPlanSchema
  .omit({ statements: true, stages: true, cleanup: true })
  .extend({
    queries: z.array(startedStatementSchema),
  });
export type RunJobInput = z.infer<typeof runJobInputSchema>;

/** Validates a Lambda event, naming each bad field, so a mistyped backfill input fails with a clear message. */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(event);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join('.') || '(event)'}: ${i.message}`);
  throw new RevsegError(`${what} is invalid:\n  - ${problems.join('\n  - ')}`);
}
