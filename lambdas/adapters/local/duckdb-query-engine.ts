import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  type DuckDBConnection,
  type DuckDBDateValue,
  DuckDBInstance,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
  type DuckDBValueConverter,
  doubleFromDecimalValue,
  type JS,
  JSDuckDBValueConverter,
} from '@duckdb/node-api';
import { InputContractError, QueryError } from '../../core/errors.ts';
import { FX_RATE_COLUMNS, FX_RATES_TABLE } from '../../core/fx/fx-rates.ts';
import { contractOf } from '../../core/input-contract.ts';
import { type MarkedInclude, replaceMarkedIncludes } from '../../core/sql-includes.ts';
import { assertIdentifier, bindNamedParameters } from '../../core/sql-params.ts';
import type { QueryEngine, SqlValue, TableDescription } from '../../ports/query-engine.ts';
import { checkCsvHeader, headerFieldCount, raggedRowError } from './csv-file-check.ts';

/** One input table on disk: a file, a folder of part files, or a glob. */
export interface DuckDbInput {
  readonly path: string;
  readonly format: 'csv' | 'parquet';
}

/** Options of {@link DuckDbQueryEngine.create}. */
export interface DuckDbQueryEngineProps {
  /** Input files by table name (`revenue_lines`, `accounts`, ...); each becomes a view of that name. */
  readonly inputs: Readonly<Partial<Record<string, DuckDbInput>>>;
  /** DuckDB memory limit, e.g. `'1GB'`. @default DuckDB's (80% of RAM) */
  readonly memoryLimit?: string;
  /** Worker threads. @default DuckDB's (one per core) */
  readonly threads?: number;
  /** Where DuckDB spills what does not fit in `memoryLimit`. @default DuckDB's (`.tmp` in the working folder) */
  readonly tempDirectory?: string;
  /**
   * Evaluates each include marked by `FileSqlSource`'s `markIncludes` once into a temporary table and lets every
   * query read that table, as long as the include's parameter values stay the same; new values (another run
   * date) replace the table. Input files are taken as fixed for the engine's lifetime. @default false
   */
  readonly cacheIncludes?: boolean;
  /**
   * Field delimiter of every CSV input. CSV is always read with this explicit RFC 4180 dialect, never one
   * sniffed from a sample: a header row, fields quoted with `"` and a `"` inside a quoted field doubled.
   * @default ','
   */
  readonly csvDelimiter?: string;
}

/** A marked include evaluated into a temporary table, or being evaluated. */
interface CachedInclude {
  readonly key: string;
  readonly table: Promise<string>;
}

const GLOB = /[*?[{]/;
const EXTENSIONS = { csv: /\.csv(\.gz|\.zst)?$/i, parquet: /\.parquet$/i } as const;

function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function firstLine(sql: string): string {
  const line = sql.split('\n').find((l) => l.trim() !== '') ?? '';
  const trimmed = line.trim();
  return trimmed.length > 100 ? `${trimmed.slice(0, 100)}…` : trimmed;
}

/** Results as plain JS values: BIGINT/DECIMAL as numbers, DATE as `YYYY-MM-DD`, timestamps as ISO strings. */
const plainValue: DuckDBValueConverter<JS> = (value: DuckDBValue, type: DuckDBType, converter) => {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT:
      return Number(value as bigint);
    case DuckDBTypeId.DECIMAL:
      return doubleFromDecimalValue(value);
    case DuckDBTypeId.DATE:
      return (value as DuckDBDateValue).toString();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_NS:
    case DuckDBTypeId.TIMESTAMP_TZ: {
      const converted = JSDuckDBValueConverter(value, type, converter);
      return converted instanceof Date ? converted.toISOString() : converted;
    }
    default:
      return JSDuckDBValueConverter(value, type, converter);
  }
};

/** What the engine registered for one input table. */
interface RegisteredInput {
  readonly source: string;
  readonly columns: readonly string[];
}

/**
 * Optional inputs that the SQL reads whether or not they were given: absent, each is an empty view with its
 * contract columns (as the always-created Glue table on AWS is empty), and `describeTable` says it is absent.
 */
const ALWAYS_PRESENT_INPUTS: Readonly<Record<string, readonly string[]>> = {
  [FX_RATES_TABLE]: FX_RATE_COLUMNS,
};

/**
 * QueryEngine over local CSV/Parquet files with DuckDB. Each input becomes a view with lower-case column
 * names; CSV is read with every column as VARCHAR so unparsable values reach the quarantine, Parquet with
 * the types it was written with. Optional contract columns that a file lacks are exposed as NULL, as the
 * Glue tables on AWS do; an absent `fx_rates` is an empty view.
 */
export class DuckDbQueryEngine implements QueryEngine {
  private readonly includes = new Map<string, CachedInclude>();
  private includeTables = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly registered: ReadonlyMap<string, RegisteredInput>,
    private readonly cacheIncludes: boolean,
  ) {}

  /** Opens an in-memory DuckDB and registers one view per input; a missing input path is an InputContractError. */
  static async create(props: DuckDbQueryEngineProps): Promise<DuckDbQueryEngine> {
    const options: Record<string, string> = {};
    if (props.memoryLimit) options.memory_limit = props.memoryLimit;
    if (props.threads) options.threads = String(props.threads);
    if (props.tempDirectory) options.temp_directory = props.tempDirectory;
    const instance = await DuckDBInstance.create(':memory:', options);
    const connection = await instance.connect();
    const registered = new Map<string, RegisteredInput>();
    try {
      await connection.run('SET preserve_insertion_order = false');
      const delimiter = csvDelimiterOf(props.csvDelimiter);
      for (const [table, input] of Object.entries(props.inputs)) {
        if (!input) continue;
        registered.set(
          table,
          await registerView(connection, assertIdentifier(table, 'input table'), input, delimiter),
        );
      }
      for (const [table, columns] of Object.entries(ALWAYS_PRESENT_INPUTS)) {
        if (registered.has(table)) continue;
        const select = columns.map((c) => `CAST(NULL AS VARCHAR) AS ${quoteIdentifier(c)}`).join(', ');
        await connection.run(`CREATE VIEW ${table} AS SELECT ${select} WHERE FALSE`);
      }
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      throw error;
    }
    return new DuckDbQueryEngine(instance, connection, registered, props.cacheIncludes ?? false);
  }

  async query<T = Record<string, unknown>>(
    sql: string,
    params: Readonly<Record<string, SqlValue>> = {},
  ): Promise<T[]> {
    const text = this.cacheIncludes
      ? await replaceMarkedIncludes(sql, params, (include) => this.readInclude(include))
      : sql;
    const bound = bindNamedParameters(text, params);
    let reader: Awaited<ReturnType<DuckDBConnection['runAndReadAll']>>;
    try {
      reader = await this.connection.runAndReadAll(bound.sql, bound.values);
    } catch (error) {
      const malformed = malformedCsvRow((error as Error).message);
      if (malformed) throw new InputContractError(malformed, { cause: error });
      throw new QueryError(`DuckDB query '${firstLine(sql)}' failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const names = reader.columnNames().map((n) => n.toLowerCase());
    return reader.convertRows(plainValue).map((row) => {
      const record: Record<string, unknown> = {};
      names.forEach((name, i) => {
        record[name] = row[i] ?? null;
      });
      return record as T;
    });
  }

  /** Tables that hold cached includes now, by include name (for tests and diagnostics). */
  async cachedIncludes(): Promise<Record<string, string>> {
    const entries = await Promise.all(
      [...this.includes].map(async ([name, cached]) => [name, await cached.table] as const),
    );
    return Object.fromEntries(entries);
  }

  /** SQL that reads a marked include's result, evaluating it into a temporary table on first use. */
  private async readInclude(include: MarkedInclude): Promise<string> {
    const current = this.includes.get(include.name);
    if (current?.key === include.key) return `SELECT * FROM ${await current.table}`;
    if (current) {
      this.includes.delete(include.name);
      await this.connection.run(`DROP TABLE IF EXISTS ${await current.table}`);
    }
    this.includeTables += 1;
    const table = `revseg_include_${include.name}_${this.includeTables}`;
    const created = this.connection
      .run(`CREATE TEMP TABLE ${table} AS ${include.bound.sql}`, include.bound.values)
      .then(
        () => table,
        (error: unknown) => {
          this.includes.delete(include.name);
          throw new QueryError(
            `DuckDB could not evaluate sql/include/${include.name}.sql: ${(error as Error).message}`,
            { cause: error },
          );
        },
      );
    this.includes.set(include.name, { key: include.key, table: created });
    return `SELECT * FROM ${await created}`;
  }

  async describeTable(table: string): Promise<TableDescription | undefined> {
    const input = this.registered.get(table);
    return input ? { table, source: input.source, columns: input.columns } : undefined;
  }

  /** Closes the connection and the database. */
  async close(): Promise<void> {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

async function resolveFiles(input: DuckDbInput, table: string): Promise<string[] | string> {
  if (GLOB.test(input.path)) return input.path;
  let isDirectory: boolean;
  try {
    isDirectory = statSync(input.path).isDirectory();
  } catch {
    throw new InputContractError(
      `input for ${table} not found at ${input.path}: export ${table} there or point the input at the right file or folder`,
    );
  }
  if (!isDirectory) return [input.path];
  const entries = await readdir(input.path, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && EXTENSIONS[input.format].test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
  if (files.length === 0) {
    throw new InputContractError(
      `input folder ${input.path} for ${table} holds no .${input.format} files: export ${table} as ${input.format} part files there`,
    );
  }
  return files;
}

/** One printable character other than a quote, a line break or a space; a tab is allowed. */
function csvDelimiterOf(delimiter = ','): string {
  if (delimiter.length !== 1 || /["\r\n ]/.test(delimiter)) {
    throw new InputContractError(
      `CSV delimiter ${JSON.stringify(delimiter)} is not one character other than a quote, a line break or a space: use ',' (the default), ';', '|' or a tab`,
    );
  }
  return delimiter;
}

/** The explicit RFC 4180 dialect every CSV input is read with; nothing is sniffed. */
function csvDialect(delimiter: string): string {
  return `header = true, delim = ${literal(delimiter)}, quote = '"', escape = '"', strict_mode = true`;
}

/**
 * A DuckDB CSV error as one line naming the file, the line and the problem, or null for another error.
 * DuckDB's message spans many lines (the original row, possible fixes, the dialect); only those three matter.
 */
export function malformedCsvRow(message: string): string | null {
  const line = /CSV Error on Line: (\d+)/.exec(message)?.[1];
  if (!line) return null;
  const file = /^\s*file = (.+)$/m.exec(message)?.[1]?.trim() ?? 'a CSV input';
  const lines = message.split('\n');
  const original = lines.findIndex((l) => l.startsWith('Original Line:'));
  const problem = (original >= 0 ? lines[original + 1] : undefined)?.trim() || 'the row does not parse';
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(problem);
  const what = columns
    ? `expected ${columns[1]} fields, found ${columns[2]}`
    : problem.replace(/\.$/, '').toLowerCase();
  return `${file} line ${line}: ${what}; quote a field that holds the delimiter, a quote or a line break with double quotes ("...") and double each quote inside it`;
}

async function registerView(
  connection: DuckDBConnection,
  table: string,
  input: DuckDbInput,
  delimiter: string,
): Promise<RegisteredInput> {
  const files = await resolveFiles(input, table);
  if (input.format === 'csv' && typeof files !== 'string') {
    for (const file of files) await checkCsvHeader(file, table);
  }
  const list = typeof files === 'string' ? literal(files) : `[${files.map(literal).join(', ')}]`;
  const header =
    input.format === 'csv'
      ? `read_csv(${list}, ${csvDialect(delimiter)}, all_varchar = true)`
      : `read_parquet(${list})`;
  let columns: string[];
  try {
    // The header row names the columns; the view then reads every file with them and no detection at all.
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${header}`);
    columns = described.getRowObjectsJS().map((r) => String(r.column_name));
  } catch (error) {
    const reason = (error as Error).message;
    const malformed = malformedCsvRow(reason);
    if (malformed) throw new InputContractError(malformed, { cause: error });
    if (/no files found/i.test(reason)) {
      throw new InputContractError(
        `input for ${table} not found at ${input.path}: no file matches; export ${table} there or fix the path`,
        { cause: error },
      );
    }
    const ragged =
      input.format === 'csv' && typeof files !== 'string' ? await raggedRowError(files, table) : undefined;
    if (ragged) throw ragged;
    throw new InputContractError(
      `input ${input.path} for ${table} cannot be read as ${input.format}: ${reason}`,
      {
        cause: error,
      },
    );
  }
  // A ragged row or a wrong delimiter can make the header read as one column; name the row instead.
  if (input.format === 'csv' && typeof files !== 'string' && files[0]) {
    if (columns.length !== (await headerFieldCount(files[0]))) {
      const ragged = await raggedRowError(files, table);
      if (ragged) throw ragged;
    }
  }
  const reader =
    input.format === 'csv'
      ? `read_csv(${list}, ${csvDialect(delimiter)}, auto_detect = false, columns = {${columns
          .map((c) => `${literal(c)}: 'VARCHAR'`)
          .join(', ')}})`
      : header;
  const lower = columns.map((c) => c.toLowerCase());
  const missingOptional = (contractOf(table)?.optional ?? []).filter((c) => !lower.includes(c));
  const select = [
    ...columns.map((c, i) => `${quoteIdentifier(c)} AS ${quoteIdentifier(lower[i] ?? c)}`),
    ...missingOptional.map((c) => `CAST(NULL AS VARCHAR) AS ${c}`),
  ].join(', ');
  await connection.run(`CREATE VIEW ${table} AS SELECT ${select} FROM ${reader}`);
  return { source: input.path, columns: lower };
}
