import { continents, countries, type TCountryCode } from 'countries-list';
import { UNKNOWN } from './firmographic-profile.ts';

/**
 * The region of a country: the configured override for its code, else the name of the continent the
 * ISO 3166-1 alpha-2 code belongs to (e.g. `DE` -> `Europe`); `Unknown` for a missing or unknown code.
 */
export function regionOf(country: string | null, overrides: Readonly<Record<string, string>> = {}): string {
  const code = country?.trim().toUpperCase() ?? '';
  if (code === '') return UNKNOWN;
  const override = overrides[code];
  if (override !== undefined) return override;
  if (!Object.hasOwn(countries, code)) return UNKNOWN;
  return continents[countries[code as TCountryCode].continent];
}
