import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  discoverInputs,
  type LocalRuntime,
  openLocalRuntime,
} from '../../lambdas/adapters/local/local-runtime.ts';
import {
  type SampleBookResult,
  type SampleBookWriteOptions,
  writeSampleBook,
} from '../../lambdas/adapters/local/sample-book-writer.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';

/** A sample book written to `<root>/data` and a local runtime over it writing to `<root>/out`. */
export interface GeneratedBook {
  readonly root: string;
  readonly book: SampleBookResult;
  readonly runtime: LocalRuntime;
  /** Closes the runtime and removes the folder. */
  close(): Promise<void>;
}

/**
 * Generates a CSV sample book in a new temporary folder (`revseg-<name>-…`) and opens the local adapters on it,
 * with the clock at 09:00 UTC on `options.asOf`: the set-up the end-to-end tests share.
 */
export async function openGeneratedBook(
  name: string,
  options: Omit<SampleBookWriteOptions, 'outDir'> & { readonly asOf: string },
): Promise<GeneratedBook> {
  const root = mkdtempSync(path.join(tmpdir(), `revseg-${name}-`));
  const book = await writeSampleBook({ format: 'csv', ...options, outDir: path.join(root, 'data') });
  const runtime = await openLocalRuntime({
    inputs: discoverInputs(path.join(root, 'data')),
    outDir: path.join(root, 'out'),
    logger: silentLogger,
    clock: fixedClock(`${options.asOf}T09:00:00Z`),
  });
  return {
    root,
    book,
    runtime,
    close: async () => {
      await runtime.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
