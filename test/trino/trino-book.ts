import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inputTableInput } from '../../lib/glue-tables.ts';
import type { InputTableName } from '../../lib/input-tables.ts';
import type { GoldenEngine, GoldenInput, OpenEngine } from '../golden/golden-engine.ts';
import { trinoCreateTable } from './glue-to-trino.ts';
import { TRINO_CATALOG, TrinoQueryEngine } from './trino-query-engine.ts';

/** The folder Trino's Hive catalog sees as `local:///` (scripts/trino.sh writes the catalog so). */
export const TRINO_LAKE =
  process.env.REVSEG_TRINO_LAKE ?? fileURLToPath(new URL('../../.trino/lake/', import.meta.url));

/** A Trino schema of its own under the lake: the stand-in for one deployment's Glue database and buckets. */
export interface TrinoDeployment {
  readonly engine: TrinoQueryEngine;
  /** The folder that holds the schema's buckets (`<dir>/<bucket>/<key>` = `s3://<bucket>/<key>`). */
  readonly dir: string;
  /** The Trino location of an S3 URI: the same bucket and key under the deployment's folder. */
  location(s3Uri: string): string;
  /** The local folder of an S3 URI. */
  folder(s3Uri: string): string;
  /** Drops the schema's tables and the schema, and removes the folder. */
  close(): Promise<void>;
}

function s3Parts(uri: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(uri);
  if (!match?.[1]) throw new Error(`not an s3:// URI: ${uri}`);
  return { bucket: match[1], key: match[2] ?? '' };
}

/** Creates a fresh schema over a fresh folder in the lake. */
export async function openTrinoDeployment(name: string): Promise<TrinoDeployment> {
  const schema = `revseg_${name.replace(/[^a-z0-9]+/g, '_')}_${randomBytes(3).toString('hex')}`;
  const dir = path.join(TRINO_LAKE, schema);
  mkdirSync(dir, { recursive: true });
  const engine = new TrinoQueryEngine({ schema });
  await engine.execute(`CREATE SCHEMA ${TRINO_CATALOG}.${schema} WITH (location = 'local:///${schema}/')`);
  return {
    engine,
    dir,
    location: (uri) => {
      const { bucket, key } = s3Parts(uri);
      return `local:///${schema}/${bucket}/${key}`;
    },
    folder: (uri) => {
      const { bucket, key } = s3Parts(uri);
      return path.join(dir, bucket, key);
    },
    close: async () => {
      const tables = await engine.execute(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}'`,
      );
      for (const t of tables) await engine.execute(`DROP TABLE IF EXISTS ${schema}.${String(t.table_name)}`);
      await engine.execute(`DROP SCHEMA IF EXISTS ${TRINO_CATALOG}.${schema}`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Where the input tables live in a test deployment, as `input.prefix` lays them out in the input bucket. */
export const INPUT_ROOT = 's3://input-bucket/exports/';

/**
 * Puts each input's files under its table's prefix and creates the Glue definition of every given table, in
 * the given format, plus `fx_rates`, which the stack always creates (empty when no rates are exported).
 */
export async function createInputTables(
  deployment: TrinoDeployment,
  inputs: Readonly<Record<string, GoldenInput>>,
  parquetOverrides: Readonly<Record<string, string>> = {},
): Promise<void> {
  const tables = new Map(Object.entries(inputs));
  if (!tables.has('fx_rates')) tables.set('fx_rates', undefined as unknown as GoldenInput);
  for (const [table, input] of tables) {
    const uri = `${INPUT_ROOT}${table}/`;
    const folder = deployment.folder(uri);
    mkdirSync(folder, { recursive: true });
    const format = input?.format ?? 'csv';
    if (input) {
      const files = statSync(input.path).isDirectory()
        ? readdirSync(input.path)
            .filter((f) => f.endsWith(`.${format}`))
            .map((f) => path.join(input.path, f))
        : [input.path];
      for (const file of files) copyFileSync(file, path.join(folder, path.basename(file)));
    }
    const definition = inputTableInput(table as InputTableName, format, uri, parquetOverrides);
    await deployment.engine.execute(
      trinoCreateTable(deployment.engine.schema, definition, deployment.location),
    );
  }
}

/** The golden tests' engine factory on Trino: a deployment with only input tables. */
export const openTrino: OpenEngine = async (inputs) => {
  const deployment = await openTrinoDeployment('golden');
  await createInputTables(deployment, inputs);
  const engine = deployment.engine as TrinoQueryEngine & Partial<GoldenEngine>;
  return Object.assign(engine, { close: () => deployment.close() }) as GoldenEngine;
};
