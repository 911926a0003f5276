import { z } from 'zod';

const sizeBandSchema = z.object({
  name: z.string().trim().min(1).max(40),
  /** Smallest employee count in the band; the band runs up to the next larger band's minimum. */
  minEmployees: z.number().int().min(1),
});
export type SizeBand = z.infer<typeof sizeBandSchema>;

/** Default company size bands, largest first. */
export const DEFAULT_SIZE_BANDS: SizeBand[] = [
  { name: 'Enterprise (1000+)', minEmployees: 1000 },
  { name: 'Large (250-999)', minEmployees: 250 },
  { name: 'Mid-market (50-249)', minEmployees: 50 },
  { name: 'Small (1-49)', minEmployees: 1 },
];

/** Firmographic breakdowns of the segment KPIs (issue 6): size bands and the country-to-region map. */
export const firmographicsConfigSchema = z
  .object({
    /** Company size bands by employee count, largest first, strictly decreasing minimums. */
    sizeBands: z.array(sizeBandSchema).min(1).default(DEFAULT_SIZE_BANDS),
    /**
     * Region of a country code (ISO 3166-1 alpha-2, upper-case), overriding the continent the code
     * belongs to, e.g. `{ "MX": "LATAM" }`.
     */
    regions: z
      .record(
        z.string().regex(/^[A-Z]{2}$/, 'use an ISO 3166-1 alpha-2 code such as US'),
        z.string().trim().min(1),
      )
      .default({}),
  })
  .superRefine((value, ctx) => {
    value.sizeBands.forEach((band, i) => {
      const larger = value.sizeBands[i - 1];
      if (larger && band.minEmployees >= larger.minEmployees) {
        ctx.addIssue({
          code: 'custom',
          path: ['sizeBands', i, 'minEmployees'],
          message: `size bands are out of order: '${band.name}' starts at ${band.minEmployees}, not below '${larger.name}' at ${larger.minEmployees}; list bands largest first`,
        });
      }
    });
  });

export type FirmographicsConfig = z.infer<typeof firmographicsConfigSchema>;
