import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryError } from '../../core/errors.ts';
import type { SqlSource } from '../../ports/sql-source.ts';

const DEFAULT_SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));
const NAME = /^[a-z0-9_]+(?:\/[a-z0-9_]+)*$/;
const INCLUDE = /^[ \t]*--[ \t]*@include[ \t]+(\S+)[ \t]*$/gm;
const NESTED_INCLUDE = /^[ \t]*--[ \t]*@include\b/m;

/**
 * Reads `sql/<name>.sql`. A line `-- @include <name>` is replaced by the text of `sql/include/<name>.sql`
 * (itself free of includes), so a fragment shared by several queries lives in one file.
 */
export class FileSqlSource implements SqlSource {
  private readonly cache = new Map<string, string>();

  /** @param directory folder holding the `.sql` files. @default the repository's `sql/` */
  constructor(private readonly directory: string = DEFAULT_SQL_DIR) {}

  load(name: string): string {
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    const text = this.read(name).replace(INCLUDE, (_line, fragment: string) => {
      const included = this.read(`include/${fragment}`);
      if (NESTED_INCLUDE.test(included)) {
        throw new QueryError(`sql/include/${fragment}.sql includes another fragment: fragments cannot nest`);
      }
      return included.trimEnd();
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
