import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/** A key in a config object that its schema does not know, with the closest known key when one is near. */
export interface UnknownConfigKey {
  readonly path: string;
  readonly key: string;
  readonly suggestion?: string;
}

/** The parts of a zod schema's definition this walk reads (zod 4's `_zod.def`). */
interface SchemaDef {
  readonly type: string;
  readonly shape?: Record<string, z.ZodType>;
  readonly catchall?: z.ZodType;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly getter?: () => z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** Wrappers whose value is validated by an inner schema (defaults, optionals, refinements' pipes). */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current);
    const inner = def.innerType ?? (def.type === 'pipe' ? def.in : undefined) ?? def.getter?.();
    if (!inner) return current;
    current = inner;
  }
  return current;
}

/** Lower-case without separators, so `allowed_domains` and `AllowedDomains` both meet `allowedDomains`. */
function folded(key: string): string {
  return key.toLowerCase().replace(/[_\-\s.]/g, '');
}

/** The known key a typo most likely meant: same letters without separators, or a small edit away. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  if (known.length === 0) return undefined;
  const same = known.find((k) => folded(k) === folded(key));
  if (same) return same;
  const best = closest(folded(key), known.map(folded));
  const match = known.find((k) => folded(k) === best);
  if (match === undefined) return undefined;
  const limit = Math.max(2, Math.floor(match.length / 3));
  return distance(folded(key), best) <= limit ? match : undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function walk(schema: z.ZodType, value: unknown, path: string[], found: UnknownConfigKey[]): void {
  const def = defOf(unwrap(schema));
  if (def.type === 'object' && def.shape && isPlainObject(value)) {
    const known = Object.keys(def.shape);
    const open = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
    for (const [key, child] of Object.entries(value)) {
      const childSchema = def.shape[key];
      if (childSchema) walk(childSchema, child, [...path, key], found);
      else if (!open) found.push({ path: [...path, key].join('.'), key, suggestion: suggestKey(key, known) });
    }
  } else if (def.type === 'array' && def.element && Array.isArray(value)) {
    value.forEach((item, i) => {
      if (def.element) walk(def.element, item, [...path, String(i)], found);
    });
  } else if (def.type === 'record' && def.valueType && isPlainObject(value)) {
    for (const [key, child] of Object.entries(value)) walk(def.valueType, child, [...path, key], found);
  } else if (def.type === 'union' && def.options && isPlainObject(value)) {
    // A key is unknown only when no object alternative knows it.
    const shapes = def.options.map((o) => defOf(unwrap(o))).filter((d) => d.type === 'object' && d.shape);
    if (shapes.length !== def.options.length) return;
    const known = shapes.flatMap((d) => Object.keys(d.shape ?? {}));
    for (const key of Object.keys(value)) {
      if (!known.includes(key)) {
        found.push({ path: [...path, key].join('.'), key, suggestion: suggestKey(key, known) });
      }
    }
  }
}

/**
 * Every key of `value` that `schema` does not declare, at any depth, in document order. zod drops unknown
 * keys silently, so a misspelt setting (`allowed_domains`) would otherwise fall back to its default unnoticed.
 * Records with free keys (e.g. the playbook, keyed by segment) are walked into but their own keys are free.
 */
export function unknownConfigKeys(schema: z.ZodType, value: unknown): UnknownConfigKey[] {
  const found: UnknownConfigKey[] = [];
  walk(schema, value, [], found);
  return found;
}

/** One line per unknown key: where it is, and what was probably meant. */
export function describeUnknownKey(unknown: UnknownConfigKey): string {
  const hint = unknown.suggestion ? `; did you mean '${unknown.suggestion}'?` : '; remove it';
  return `${unknown.path}: unknown setting '${unknown.key}'${hint}`;
}
