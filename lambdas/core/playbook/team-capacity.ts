import { z } from 'zod';
import { ConfigError } from '../errors.ts';

/** A month has at most 744 hours; more is a typo. */
const hours = z
  .number({ message: 'must be a number of hours per month' })
  .positive('must be more than 0')
  .max(744, 'must be at most 744 (hours in a month)');

export const teamCapacitySchema = z
  .object({
    /** Owners with their own hours per month for account work. @default [] */
    owners: z
      .array(
        z
          .object({
            email: z.email({ message: 'must be an email address' }).transform((e) => e.toLowerCase()),
            name: z.string().trim().min(1).optional(),
            hoursPerMonth: hours,
          })
          .strict(),
      )
      .default([]),
    /** Hours per month of an owner found in the accounts but not listed in `owners`. @default 120 */
    defaultHoursPerOwner: hours.default(120),
  })
  .strict()
  .superRefine((value, ctx) => {
    const seen = new Map<string, number>();
    value.owners.forEach((owner, i) => {
      const first = seen.get(owner.email);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['owners', i, 'email'],
          message: `'${owner.email}' is listed twice (also owners.${first}); keep one entry per owner`,
        });
      }
      seen.set(owner.email, i);
    });
  });

/** The sales team's capacity for account work. Emails are lower-cased. */
export type TeamCapacity = z.infer<typeof teamCapacitySchema>;

/** Parses team capacity, reporting every problem with its path. */
export function parseTeamCapacity(input: unknown, source = 'capacity'): TeamCapacity {
  const result = teamCapacitySchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (i) => `${[source, ...i.path.map(String)].join('.')}: ${i.message}`,
  );
  throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}
