import { randomUUID } from 'node:crypto';
import { RevsegError } from '../core/errors.ts';
import type { Period } from '../core/period.ts';
import type { ObjectStore } from '../ports/object-store.ts';
import { type PlannedStatement, parseEvent, type StoredStatement, storedStatementSchema } from './events.ts';

/** Key prefix of the planned statements in the results bucket (expired with the query results). */
export const PLANS_PREFIX = 'plans/';
/** Key prefix of the tables a run stages its shared includes into, in the results bucket (expired likewise). */
export const STAGING_PREFIX = 'staging/';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Writes each bound statement of a run to its own object, under a prefix unique to this plan, and returns
 * the name and key of each: the state machine carries keys, never SQL text (which can outgrow its 256 KB
 * state limit and would be logged with every state's data).
 */
export async function savePlannedStatements(
  store: ObjectStore,
  period: Period,
  statements: readonly StoredStatement[],
): Promise<PlannedStatement[]> {
  const prefix = `${PLANS_PREFIX}${period.cadence}/${period.id}/${randomUUID()}/`;
  return Promise.all(
    statements.map(async (statement, index) => {
      const key = `${prefix}${String(index).padStart(3, '0')}-${statement.name}.json`;
      await store.put(key, encoder.encode(JSON.stringify(statement)), 'application/json');
      return { name: statement.name, key };
    }),
  );
}

/** Reads back one planned statement, naming its location when it is missing or malformed. */
export async function loadPlannedStatement(store: ObjectStore, key: string): Promise<StoredStatement> {
  const body = await store.get(key);
  if (body === undefined) {
    throw new RevsegError(
      `planned statement ${store.locate(key)} is missing (query results and plans expire after athena.resultsExpirationDays): start the run again`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(decoder.decode(body));
  } catch (error) {
    throw new RevsegError(`planned statement ${store.locate(key)} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return parseEvent(storedStatementSchema, json, `planned statement ${store.locate(key)}`);
}
