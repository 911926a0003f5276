/** A value bound to a named `:parameter` in a SQL file. Never spliced into SQL text. */
export type SqlValue = string | number | boolean | null;

/** What the engine knows of one input table: where it comes from and which columns it has. */
export interface TableDescription {
  readonly table: string;
  /** Human-readable origin used in error messages: a file path locally, `glue:db.table` on AWS. */
  readonly source: string;
  /** Column names, lower-cased. */
  readonly columns: readonly string[];
}

/**
 * The SQL engine that scans and aggregates input data (DuckDB locally, Athena on AWS).
 * SQL text uses named parameters (`:period_end`); adapters bind them as real parameters.
 */
export interface QueryEngine {
  /** Runs one statement and returns its rows as plain objects keyed by column name (lower-case). */
  query<T = Record<string, unknown>>(sql: string, params?: Readonly<Record<string, SqlValue>>): Promise<T[]>;
  /** Describes an input table, or returns undefined when the table is not configured / does not exist. */
  describeTable(table: string): Promise<TableDescription | undefined>;
}
