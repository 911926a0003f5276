import { z } from 'zod';
import { clusteringConfigSchema } from './clustering/clustering-config.ts';
import { describeUnknownKey, unknownConfigKeys } from './config-keys.ts';
import { ConfigError } from './errors.ts';
import { firmographicsConfigSchema } from './firmographics/firmographics-config.ts';
import { churnRiskConfigSchema } from './models/churn-risk.ts';
import { clvOptionsSchema } from './models/clv.ts';
import { growthPotentialConfigSchema } from './models/growth-potential.ts';
import { parsePlaybook } from './playbook/playbook-config.ts';
import { teamCapacitySchema } from './playbook/team-capacity.ts';

/** Version of the metric definitions (DESIGN §5); stamped on every snapshot row. Bump when a definition changes. */
export const METRIC_DEFINITION_VERSION = '1.0.0';

const bracketSchema = z.object({
  name: z.string().trim().min(1).max(40),
  /** Lower bound of annual (T12M) revenue in the reporting currency. */
  min: z.number().nonnegative(),
  /** Whether an account exactly at `min` belongs to this bracket. @default true */
  minInclusive: z.boolean().default(true),
});
export type Bracket = z.infer<typeof bracketSchema>;

export const DEFAULT_BRACKETS: Bracket[] = [
  { name: 'High', min: 100_000, minInclusive: false },
  { name: 'Medium', min: 10_000, minInclusive: true },
  { name: 'Low', min: 0, minInclusive: false },
];

const segmentsSchema = z
  .object({
    /** Revenue brackets, highest first. Each covers [min, next higher bracket's min). */
    brackets: z.array(bracketSchema).min(1).default(DEFAULT_BRACKETS),
    /** Segment of accounts with no positive T12M revenue. @default 'Inactive' */
    inactiveName: z.string().trim().min(1).max(40).default('Inactive'),
  })
  .superRefine((value, ctx) => {
    const names = new Set<string>();
    value.brackets.forEach((b, i) => {
      if (names.has(b.name) || b.name === value.inactiveName) {
        ctx.addIssue({
          code: 'custom',
          path: ['brackets', i, 'name'],
          message: `segment name '${b.name}' is used twice`,
        });
      }
      names.add(b.name);
      const higher = value.brackets[i - 1];
      if (higher && b.min >= higher.min) {
        ctx.addIssue({
          code: 'custom',
          path: ['brackets', i, 'min'],
          message: `brackets overlap or are out of order: '${b.name}' starts at ${b.min}, not below '${higher.name}' at ${higher.min}; list brackets highest first with strictly decreasing min`,
        });
      }
    });
    const lowest = value.brackets.at(-1);
    if (lowest && lowest.min === 0 && lowest.minInclusive) {
      ctx.addIssue({
        code: 'custom',
        path: ['brackets', value.brackets.length - 1, 'minInclusive'],
        message: `'${lowest.name}' cannot include 0: accounts with T12M <= 0 are '${value.inactiveName}'; set minInclusive to false`,
      });
    }
  });

const email = z.email();

/** A mail domain: host name labels separated by dots, no `@`, no leading or trailing dot. */
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((d) => !d.startsWith('@'), {
    error: (issue) =>
      `'${String(issue.input)}' is not a domain: write it without '@' (e.g. ${String(issue.input).slice(1)})`,
  })
  .refine((d) => d.startsWith('@') || DOMAIN.test(d), {
    error: (issue) => `'${String(issue.input)}' is not a domain name such as yourcompany.com`,
  });

/** The domain of an address, lower-cased: everything after its last `@`. */
export function mailDomain(address: string): string {
  return address
    .trim()
    .slice(address.trim().lastIndexOf('@') + 1)
    .toLowerCase();
}

const DEFAULT_FROM = 'revenue-segments@example.com';
const DEFAULT_LEADERSHIP = ['leadership@example.com'];

const mailSchema = z
  .object({
    /** Sender address (a verified SES identity on AWS); must be inside the allowed domains. */
    from: email.default(DEFAULT_FROM),
    /** Leadership recipients; always from config, never from data; must be inside the allowed domains. */
    leadership: z.array(email).min(1).optional(),
    /**
     * Mail only goes to addresses in exactly these domains (`yourcompany.com` does not admit
     * `yourcompany.com.evil.com` nor `sub.yourcompany.com`); others are refused and reported.
     * @default the domain of `from`, said in the run output
     */
    allowedDomains: z.array(domainSchema).min(1).optional(),
    /** Prefix of every subject line. */
    subjectPrefix: z.string().default('Revenue segments'),
  })
  .transform((mail) => ({
    ...mail,
    leadership: mail.leadership ?? DEFAULT_LEADERSHIP,
    allowedDomains: mail.allowedDomains ?? [mailDomain(mail.from)],
    /** Where the allowed domains came from: the config, or the domain of `from` when the config has none. */
    allowedDomainsFrom: mail.allowedDomains ? ('config' as const) : ('mail.from' as const),
  }))
  .superRefine((mail, ctx) => {
    const allowed = new Set(mail.allowedDomains);
    const list = mail.allowedDomains.join(', ');
    const where =
      mail.allowedDomainsFrom === 'config'
        ? `mail.allowedDomains (${list})`
        : `the domain of mail.from (${list})`;
    if (!allowed.has(mailDomain(mail.from))) {
      ctx.addIssue({
        code: 'custom',
        path: ['from'],
        message: `'${mail.from}' is outside ${where}: send from an address of your own domain or add '${mailDomain(mail.from)}' there`,
      });
    }
    const defaulted = mail.leadership === DEFAULT_LEADERSHIP;
    mail.leadership.forEach((address, i) => {
      if (defaulted && !allowed.has(mailDomain(address))) {
        ctx.addIssue({
          code: 'custom',
          path: ['leadership'],
          message: `not set, and the default '${address}' is outside ${where}: list the leadership recipients`,
        });
      } else if (!allowed.has(mailDomain(address))) {
        ctx.addIssue({
          code: 'custom',
          path: ['leadership', i],
          message: `'${address}' is outside ${where}: its mail would be refused; add '${mailDomain(address)}' to mail.allowedDomains or fix the address`,
        });
      }
    });
  });

export const runConfigSchema = z.object({
  /** ISO 4217 reporting currency. @default 'USD' */
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'use an ISO 4217 code such as USD')
    .default('USD'),
  /** BCP 47 locale for numbers and dates in reports. @default 'en-US' */
  locale: z.string().default('en-US'),
  /** First month (1-12) of the fiscal year; quarters follow it. @default 1 */
  fiscalYearStartMonth: z.number().int().min(1).max(12).default(1),
  segments: segmentsSchema.default({ brackets: DEFAULT_BRACKETS, inactiveName: 'Inactive' }),
  validation: z
    .object({
      /** The run stops before writing anything when more than this share of revenue lines is quarantined. @default 0.05 */
      maxQuarantinedShare: z.number().min(0).max(1).default(0.05),
    })
    .default({ maxQuarantinedShare: 0.05 }),
  mail: mailSchema.prefault({}),
  report: z
    .object({
      /** How many accounts the leadership report lists by name in its top and movers tables. @default 10 */
      topAccounts: z.number().int().min(1).max(100).default(10),
      /**
       * How many accounts an owner mail lists by name in each table and list (the biggest first); the rest are
       * counted in one line, and all are in the attached CSV. @default 25
       */
      ownerListLimit: z.number().int().min(1).max(1000).default(25),
    })
    .default({ topAccounts: 10, ownerListLimit: 25 }),
  /** Predictive models (DESIGN §5: CLV, churn risk, growth potential). */
  models: z
    .object({
      /** Time unit the BG/NBD model is fitted in. @default 'weeks' */
      fitUnit: z.enum(['days', 'weeks']).default('weeks'),
      clv: clvOptionsSchema.default(clvOptionsSchema.parse({})),
      churnRisk: churnRiskConfigSchema.default(churnRiskConfigSchema.parse({})),
      growthPotential: growthPotentialConfigSchema.default(growthPotentialConfigSchema.parse({})),
    })
    .default(() => ({
      fitUnit: 'weeks' as const,
      clv: clvOptionsSchema.parse({}),
      churnRisk: churnRiskConfigSchema.parse({}),
      growthPotential: growthPotentialConfigSchema.parse({}),
    })),
  clustering: clusteringConfigSchema.default(() => clusteringConfigSchema.parse({})),
  /**
   * Per-segment playbook (pitch, services, marketing, support, review cadence, sales-time share), keyed by
   * segment name; validated against the configured segments with `parsePlaybook`. Defaults from DESIGN §5.
   */
  playbook: z.record(z.string(), z.unknown()).default({}),
  /** Sales team capacity for the resource plan. */
  capacity: teamCapacitySchema.default(() => teamCapacitySchema.parse({})),
  /** Size bands and regions for the firmographic breakdowns of the segment KPIs (issue 6). */
  firmographics: firmographicsConfigSchema.default(() => firmographicsConfigSchema.parse({})),
});

export type RunConfig = z.infer<typeof runConfigSchema>;
export type SegmentsConfig = RunConfig['segments'];

/** Parses a config object; every problem is reported at once, each with its path. */
export function parseRunConfig(input: unknown, source = 'config'): RunConfig {
  const result = runConfigSchema.safeParse(input ?? {});
  const unknownKeys = unknownConfigKeys(runConfigSchema, input ?? {}).map(describeUnknownKey);
  if (result.success && unknownKeys.length === 0) {
    // The playbook is keyed by segment names, so it can only be checked once the brackets are known.
    // An absent playbook is left to the defaults, which only fit the default three brackets.
    if (Object.keys(result.data.playbook).length > 0) {
      parsePlaybook(result.data.playbook, result.data.segments, `${source}: playbook`);
    }
    return result.data;
  }
  const problems = [
    ...unknownKeys,
    ...(result.error?.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`) ?? []),
  ];
  throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}

/** Segment names in report order: brackets highest first, then the inactive segment. */
export function segmentOrder(segments: SegmentsConfig): string[] {
  return [...segments.brackets.map((b) => b.name), segments.inactiveName];
}
