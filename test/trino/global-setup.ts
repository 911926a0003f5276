import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { TRINO_LAKE } from './trino-book.ts';
import { TRINO_CATALOG, TRINO_URL, TrinoQueryEngine, trinoVersion } from './trino-query-engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The version of the Trino the suite runs against; empty when the suite is skipped. */
    trinoVersion: string;
    /** Why the suite is skipped (empty when it runs). */
    trinoSkipReason: string;
  }
}

const HOW_TO_START = 'start one with `npm run trino:start`, or run `npm run test:trino`';

/**
 * Finds the Trino the suite runs on. Without one the suite is skipped with one line saying how to start it,
 * except under CI=true, where a missing Trino fails the run: CI provisions it and must never skip silently.
 * REVSEG_TRINO=off skips it on purpose (CI runs the suite on its own with `npm run test:trino` first).
 */
export default async function setup(project: TestProject): Promise<void> {
  if (process.env.REVSEG_TRINO === 'off') {
    const reason = 'REVSEG_TRINO=off (`npm run test:trino` runs it)';
    console.log(`Trino suite skipped: ${reason}`);
    project.provide('trinoVersion', '');
    project.provide('trinoSkipReason', reason);
    return;
  }
  const version = await trinoVersion();
  if (!version) {
    const message = `no Trino answers at ${TRINO_URL}: ${HOW_TO_START}`;
    if (process.env.CI === 'true') throw new Error(`Trino suite cannot run under CI=true: ${message}`);
    console.log(`Trino suite skipped: ${message}`);
    project.provide('trinoVersion', '');
    project.provide('trinoSkipReason', message);
    return;
  }
  await assertSameLake();
  console.log(`Trino suite: Trino ${version} at ${TRINO_URL}`);
  project.provide('trinoVersion', version);
  project.provide('trinoSkipReason', '');
}

/**
 * The tests write their tables' files under TRINO_LAKE and Trino must read them there: a server started from
 * another checkout reads another folder, which would fail every test for a reason none of them names.
 */
async function assertSameLake(): Promise<void> {
  const schema = `revseg_probe_${process.pid}`;
  const dir = path.join(TRINO_LAKE, schema);
  mkdirSync(path.join(dir, 'probe'), { recursive: true });
  writeFileSync(path.join(dir, 'probe', 'probe.csv'), 'here\n');
  const engine = new TrinoQueryEngine({ schema });
  try {
    await engine.execute(`CREATE SCHEMA ${TRINO_CATALOG}.${schema} WITH (location = 'local:///${schema}/')`);
    await engine.execute(
      `CREATE TABLE ${schema}.probe (v varchar) WITH (format = 'CSV', external_location = 'local:///${schema}/probe/')`,
    );
    const rows = await engine.execute(`SELECT v FROM ${schema}.probe`);
    if (rows[0]?.v !== 'here') throw new Error('the probe table is empty');
  } catch (error) {
    throw new Error(
      `the Trino at ${TRINO_URL} does not read this checkout's lake ${TRINO_LAKE} (${(error as Error).message}): stop it and start this checkout's with \`npm run trino:start\``,
    );
  } finally {
    await engine.execute(`DROP TABLE IF EXISTS ${schema}.probe`).catch(() => undefined);
    await engine.execute(`DROP SCHEMA IF EXISTS ${TRINO_CATALOG}.${schema}`).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}
