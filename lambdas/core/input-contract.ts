import type { TableDescription } from '../ports/query-engine.ts';
import { InputContractError } from './errors.ts';

/** The columns one input table must and may have (DESIGN §3). */
export interface TableContract {
  readonly table: string;
  readonly required: readonly string[];
  /** Columns the queries read when present; an engine exposes a missing one as NULL. */
  readonly optional: readonly string[];
}

/** The input tables every run needs, in the order they are checked. */
export const REQUIRED_INPUTS: readonly TableContract[] = [
  {
    table: 'revenue_lines',
    required: ['account_id', 'invoice_id', 'booked_on', 'amount', 'currency'],
    optional: ['product'],
  },
  {
    table: 'accounts',
    required: ['account_id', 'account_name', 'owner_email', 'owner_name', 'industry', 'country'],
    optional: ['employee_count', 'created_on', 'last_reviewed_on'],
  },
];

/** The contract of an input table, or undefined for a table the product does not know. */
export function contractOf(table: string): TableContract | undefined {
  return REQUIRED_INPUTS.find((c) => c.table === table);
}

/** Required columns of `contract` that `description` lacks (column names compare case-insensitively). */
export function missingColumns(contract: TableContract, description: TableDescription): string[] {
  const present = new Set(description.columns.map((c) => c.toLowerCase()));
  return contract.required.filter((c) => !present.has(c));
}

/**
 * Checks that every required table exists and has its required columns.
 * Throws one InputContractError listing every problem, each naming the source and what to do.
 */
export function assertInputContract(
  descriptions: Readonly<Record<string, TableDescription | undefined>>,
): void {
  const problems: string[] = [];
  for (const contract of REQUIRED_INPUTS) {
    const description = descriptions[contract.table];
    if (!description) {
      problems.push(
        `required table ${contract.table} is missing: provide it (CSV with a header or Parquet) with columns ${contract.required.join(', ')}`,
      );
      continue;
    }
    const missing = missingColumns(contract, description);
    if (missing.length > 0) {
      problems.push(
        `${contract.table} (${description.source}) lacks required column(s) ${missing.join(', ')}: add them to the export or map your columns onto these names (found: ${description.columns.join(', ') || 'none'})`,
      );
    }
  }
  if (problems.length > 0) {
    throw new InputContractError(`input does not meet the contract:\n  - ${problems.join('\n  - ')}`);
  }
}
