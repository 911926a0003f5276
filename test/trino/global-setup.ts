import type { TestProject } from 'vitest/node';
import { TRINO_URL, trinoVersion } from './trino-query-engine.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The version of the Trino the suite runs against; empty when the suite is skipped. */
    trinoVersion: string;
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
    console.log('Trino suite skipped: REVSEG_TRINO=off (`npm run test:trino` runs it)');
    project.provide('trinoVersion', '');
    return;
  }
  const version = await trinoVersion();
  if (!version) {
    const message = `no Trino answers at ${TRINO_URL}: ${HOW_TO_START}`;
    if (process.env.CI === 'true') throw new Error(`Trino suite cannot run under CI=true: ${message}`);
    console.log(`Trino suite skipped: ${message}`);
    project.provide('trinoVersion', '');
    return;
  }
  console.log(`Trino suite: Trino ${version} at ${TRINO_URL}`);
  project.provide('trinoVersion', version);
}
