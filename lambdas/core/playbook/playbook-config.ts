import { z } from 'zod';
import type { SegmentsConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';

/** How often an account in a segment is reviewed. */
export const REVIEW_CADENCES = ['monthly', 'quarterly', 'annual'] as const;
export type ReviewCadence = (typeof REVIEW_CADENCES)[number];

const text = z.string().trim().min(1, 'must not be empty');

const playbookEntrySchema = z
  .object({
    /** How to pitch accounts in this segment. */
    pitchApproach: text,
    /** What the pitch must contain. */
    keyElements: z.array(text).min(1, 'list at least one key element'),
    /** Services offered to the segment. */
    services: z.array(text),
    /** Marketing approach. */
    marketing: text,
    /** Support level promised. */
    supportLevel: text,
    reviewCadence: z.enum(REVIEW_CADENCES, { message: 'use monthly, quarterly or annual' }),
    /** Percent (0-100) of the sales team's time spent on this segment. */
    salesTimeShare: z
      .number({ message: 'must be a number of percent, e.g. 60' })
      .min(0, 'must be 0 or more')
      .max(100, 'must be 100 or less'),
  })
  .strict();

/** What the playbook says to do with one segment. */
export type PlaybookEntry = z.infer<typeof playbookEntrySchema>;

/** Playbook per segment name, in report order (brackets highest first, then the inactive segment if given). */
export type Playbook = Readonly<Record<string, PlaybookEntry>>;

/**
 * Defaults from the seed for the top three brackets, by rank (High, Medium, Low by default). The seed
 * names services only for High; those of Medium and Low are this project's defaults in the same spirit.
 */
export const DEFAULT_PLAYBOOK_BY_RANK: readonly PlaybookEntry[] = [
  {
    pitchApproach: 'Personalized and consultative',
    keyElements: ['Long-term growth strategies', 'Custom solutions'],
    services: [
      'Custom implementation',
      'Priority technical support',
      'Quarterly business reviews',
      'Strategic planning sessions',
    ],
    marketing: 'Premium campaigns',
    supportLevel: '24/7 dedicated support',
    reviewCadence: 'monthly',
    salesTimeShare: 60,
  },
  {
    pitchApproach: 'Solution-focused and ROI-driven',
    keyElements: ['Clear ROI metrics', 'Use cases'],
    services: ['Guided implementation', 'Business-hours technical support', 'ROI reviews'],
    marketing: 'Targeted campaigns',
    supportLevel: 'Business hours support',
    reviewCadence: 'quarterly',
    salesTimeShare: 30,
  },
  {
    pitchApproach: 'Direct and simplified',
    keyElements: ['Clear benefits', 'Fast implementation'],
    services: ['Self-service onboarding', 'Knowledge base'],
    marketing: 'Automated campaigns',
    supportLevel: 'Self-service portal',
    reviewCadence: 'annual',
    salesTimeShare: 10,
  },
];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function issuesOf(result: z.ZodSafeParseResult<unknown>, prefix: string): string[] {
  if (result.success) return [];
  const fields = Object.keys(playbookEntrySchema.shape).join(', ');
  return result.error.issues.map((i) => {
    const hint = i.code === 'unrecognized_keys' ? `; the fields are ${fields}` : '';
    return `${[prefix, ...i.path.map(String)].join('.')}: ${i.message}${hint}`;
  });
}

/**
 * Parses the playbook against the configured segments; every problem is reported at once, each naming its
 * field. Input is keyed by segment name. Every bracket needs an entry: the top three default from
 * DEFAULT_PLAYBOOK_BY_RANK (a partial entry overrides only the fields it names), lower ones must be given
 * in full. The inactive segment's entry is optional and takes no sales time (its share defaults to, and
 * must be, 0). Bracket shares must sum to 100.
 */
export function parsePlaybook(input: unknown, segments: SegmentsConfig, source = 'playbook'): Playbook {
  const raw = input ?? {};
  if (!isPlainObject(raw)) {
    throw new ConfigError(
      `${source} is invalid: expected an object keyed by segment name, got ${typeof raw}`,
    );
  }
  const bracketNames = segments.brackets.map((b) => b.name);
  const known = [...bracketNames, segments.inactiveName];
  const problems: string[] = [];
  for (const key of Object.keys(raw)) {
    if (!known.includes(key)) {
      problems.push(`${source}.${key}: '${key}' is not a configured segment; use one of ${known.join(', ')}`);
    }
  }
  const playbook: Record<string, PlaybookEntry> = {};
  bracketNames.forEach((name, rank) => {
    const given = raw[name];
    const base = DEFAULT_PLAYBOOK_BY_RANK[rank];
    if (given !== undefined && !isPlainObject(given)) {
      problems.push(`${source}.${name}: expected an object with the segment's playbook`);
      return;
    }
    if (given === undefined && !base) {
      problems.push(
        `${source}.${name}: no playbook for segment '${name}'; defaults exist only for the top three brackets, so give ${Object.keys(playbookEntrySchema.shape).join(', ')}`,
      );
      return;
    }
    const result = playbookEntrySchema.safeParse({ ...base, ...given });
    problems.push(...issuesOf(result, `${source}.${name}`));
    if (result.success) playbook[name] = result.data;
  });
  const inactive = raw[segments.inactiveName];
  if (inactive !== undefined) {
    const prefix = `${source}.${segments.inactiveName}`;
    const result = isPlainObject(inactive)
      ? playbookEntrySchema.safeParse({ salesTimeShare: 0, ...inactive })
      : playbookEntrySchema.safeParse(inactive);
    problems.push(...issuesOf(result, prefix));
    if (result.success && result.data.salesTimeShare !== 0) {
      problems.push(
        `${prefix}.salesTimeShare: the inactive segment takes no sales time (shares are split over ${bracketNames.join(', ')}); set 0 or leave it out`,
      );
    } else if (result.success) {
      playbook[segments.inactiveName] = result.data;
    }
  }
  if (problems.length === 0) {
    const total = bracketNames.reduce((s, n) => s + (playbook[n]?.salesTimeShare ?? 0), 0);
    if (Math.abs(total - 100) > 1e-6) {
      const parts = bracketNames.map((n) => `${n} ${playbook[n]?.salesTimeShare}`).join(', ');
      problems.push(
        `${source}: salesTimeShare must sum to 100 over ${bracketNames.join(', ')}; got ${total} (${parts})`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(`${source} is invalid:\n  - ${problems.join('\n  - ')}`);
  return playbook;
}
