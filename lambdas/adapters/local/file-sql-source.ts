import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryError } from '../../core/errors.ts';
import { markInclude } from '../../core/sql-includes.ts';
import type { SqlSource } from '../../ports/sql-source.ts';

/**
 * The repository's `sql/` folder: the nearest one above this module, which is `lambdas/adapters/local/` when
 * run from source and `dist/chunks/` when run compiled.
 */
function repositorySqlDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'sql');
    if (existsSync(path.join(candidate, 'include'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return fileURLToPath(new URL('../../../sql/', import.meta.url));
    dir = parent;
  }
}
const NAME = /^[a-z0-9_]+(?:\/[a-z0-9_]+)*$/;
const INCLUDE = /^[ \t]*--[ \t]*@include[ \t]+(\S+)[ \t]*$/gm;
const NESTED_INCLUDE = /^[ \t]*--[ \t]*@include\b/m;

/** Options of {@link FileSqlSource}. */
export interface FileSqlSourceOptions {
  /**
   * Includes to wrap in `-- @begin-include` / `-- @end-include` comments, so that an engine that caches them
   * (the local DuckDB engine) evaluates each once per parameter values. Only includes that are a whole SELECT
   * can be marked. @default none
   */
  readonly markIncludes?: readonly string[];
}

/**
 * Reads `sql/<name>.sql`. A line `-- @include <name>` is replaced by the text of `sql/include/<name>.sql`
 * (itself free of includes), so a fragment shared by several queries lives in one file.
 */
export class FileSqlSource implements SqlSource {
  private readonly cache = new Map<string, string>();
  private readonly marked: ReadonlySet<string>;

  /** @param directory folder holding the `.sql` files. @default the repository's `sql/` */
  constructor(
    private readonly directory: string = repositorySqlDir(),
    options: FileSqlSourceOptions = {},
  ) {
    this.marked = new Set(options.markIncludes ?? []);
  }

  load(name: string): string {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const text = this.read(name).replace(INCLUDE, (_line, fragment: string) => {
      const included = this.read(`include/${fragment}`);
      if (NESTED_INCLUDE.test(included)) {
        throw new QueryError(`sql/include/${fragment}.sql includes another fragment: fragments cannot nest`);
      }
      return this.marked.has(fragment) ? markInclude(fragment, included.trimEnd()) : included.trimEnd();
    });
    this.cache.set(name, text);
    return text;
  }

  private read(name: string): string {
    if (!NAME.test(name)) {
      throw new QueryError(`SQL name '${name}' is invalid: use lower-case letters, digits, _ and / only`);
    }
    const file = path.join(this.directory, `${name}.sql`);
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      throw new QueryError(`SQL file ${file} cannot be read: ${(error as Error).message}`, { cause: error });
    }
  }
}
