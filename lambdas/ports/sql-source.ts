/** Gives the text of a SQL file under `sql/` by name (without `.sql`). */
export interface SqlSource {
  load(name: string): string;
}
