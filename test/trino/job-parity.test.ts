import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { discoverInputs } from '../../lambdas/adapters/local/local-runtime.ts';
import { OutboxMailer } from '../../lambdas/adapters/local/outbox-mailer.ts';
import { writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { SNAPSHOT_TABLE_SCHEMAS } from '../../lambdas/core/snapshot/tables.ts';
import { type JobDeps, runPeriod } from '../../lambdas/jobs/run-period.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';
import { SNAPSHOT_TABLE_NAMES, snapshotTableInput } from '../../lib/glue-tables.ts';
import { NAMED_QUERIES, NAMED_QUERY_DIR } from '../../lib/pipeline-stack.ts';
import { trinoCreateTable } from './glue-to-trino.ts';
import { describeOnTrino } from './on-trino.ts';
import {
  PARITY_AS_OF as AS_OF,
  compareSnapshots,
  PARITY_CONFIG as config,
  duckDbSnapshot,
  parityTable,
  type Row,
  RUNS,
  readSnapshot,
  STORE,
} from './snapshot-compare.ts';
import { createInputTables, openTrinoDeployment, type TrinoDeployment } from './trino-book.ts';

/** The books both engines run: CSV with every optional input, and Parquet as an export would type it. */
const BOOKS = [
  {
    label: 'CSV book with every optional input',
    format: 'csv',
    lines: 30_000,
    optionalInputs: true,
    tables: [
      'accounts',
      'activities',
      'campaign_responses',
      'costs',
      'fx_rates',
      'opportunities',
      'revenue_lines',
      'segment_overrides',
    ],
    parquetOverrides: {},
  },
  {
    // planted problems cannot be stored in typed columns, so the deployment declares those two as string
    label: 'Parquet book',
    format: 'parquet',
    lines: 10_000,
    optionalInputs: false,
    tables: ['accounts', 'fx_rates', 'revenue_lines'],
    parquetOverrides: { 'revenue_lines.booked_on': 'string', 'revenue_lines.amount': 'string' },
  },
] as const;

describeOnTrino(
  (version) => `the whole job on Trino ${version}`,
  (version) => {
    describe.each(BOOKS)("$label: the DuckDB run's snapshot", (book) => {
      let work: string;
      let deployment: TrinoDeployment;
      let duckSnapshot: Map<string, Row[]>;
      let trinoSnapshot: Map<string, Row[]>;
      let trinoDeps: JobDeps;

      beforeAll(async () => {
        work = mkdtempSync(path.join(tmpdir(), 'revseg-trino-parity-'));
        const dataDir = path.join(work, 'data');
        // tens of thousands of lines, planted problems, several currencies, every optional input
        await writeSampleBook({
          outDir: dataDir,
          format: book.format,
          lines: book.lines,
          seed: 17,
          asOf: AS_OF,
          multiCurrency: true,
          engagementInputs: book.optionalInputs,
          salesInputs: book.optionalInputs,
        });
        const inputs = discoverInputs(dataDir);
        expect(Object.keys(inputs).sort()).toEqual([...book.tables].sort());
        expect(Object.values(inputs).every((input) => input.format === book.format)).toBe(true);

        const clock = fixedClock(`${AS_OF}T09:00:00Z`);
        duckSnapshot = await duckDbSnapshot(inputs, path.join(work, 'duckdb'), config, clock);

        deployment = await openTrinoDeployment(`parity_${book.format}`);
        await createInputTables(deployment, inputs, book.parquetOverrides);
        trinoDeps = {
          engine: deployment.engine,
          store: new FolderObjectStore(deployment.folder(STORE)),
          mailer: new OutboxMailer(path.join(work, 'trino-outbox'), { clock }),
          clock,
          logger: silentLogger,
          sql: new FileSqlSource(),
        };
        for (const run of RUNS) await runPeriod(trinoDeps, config, run);
        trinoSnapshot = await readSnapshot(deployment.folder(STORE));
      });

      afterAll(async () => {
        await deployment?.close();
        if (work) rmSync(work, { recursive: true, force: true });
      });

      it('sends Athena only statements with their values written in: no ? and no :name', () => {
        expect(deployment.engine.sent.length).toBeGreaterThan(10);
        for (const statement of deployment.engine.sent) {
          const code = statement.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
          expect(code).not.toMatch(/\?|(?<!:):[a-z_][a-z0-9_]*/i);
        }
      });

      it('writes every table of the DuckDB snapshot, every row, with the same values', () => {
        const { report, differences } = compareSnapshots(duckSnapshot, trinoSnapshot);
        console.log(parityTable(`snapshot parity, Trino ${version} vs DuckDB, ${book.label}`, report));
        expect(differences).toEqual([]);
        expect(report.filter((r) => r.duckdb !== r.trino)).toEqual([]);
        // the comparison is not vacuous: the main tables have rows for both runs
        for (const run of RUNS) {
          expect(duckSnapshot.get(`account_segments ${run.cadence} ${run.periodId}`)?.length).toBeGreaterThan(
            100,
          );
          expect(duckSnapshot.get(`segment_kpis ${run.cadence} ${run.periodId}`)?.length).toBeGreaterThan(2);
        }
        expect(Object.keys(SNAPSHOT_TABLE_SCHEMAS).length).toBe(SNAPSHOT_TABLE_NAMES.length);
      });

      it('the Athena named queries run on Trino over the snapshot the job wrote, and return rows', async () => {
        const periods = RUNS.map((r) => r.periodId);
        for (const table of SNAPSHOT_TABLE_NAMES) {
          const definition = snapshotTableInput(table, `${STORE}snapshots/${table}/`, periods);
          await deployment.engine.execute(
            trinoCreateTable(deployment.engine.schema, definition, deployment.location),
          );
        }
        const counts: Record<string, number> = {};
        for (const query of NAMED_QUERIES) {
          const text = readFileSync(path.join(NAMED_QUERY_DIR, `${query.file}.sql`), 'utf8');
          counts[query.file] = (await deployment.engine.execute(text)).length;
        }
        console.log(`named queries on Trino: ${JSON.stringify(counts)}`);
        // The CSV book is the full one: every question has an answer there. On the smaller Parquet book whether
        // a High account is at risk depends on the generated data, so there it is enough that each one runs.
        const answered = Object.entries(counts).map(([file, rows]) => ({ file, rows: rows > 0 }));
        if (book.optionalInputs) expect(answered.filter((a) => !a.rows)).toEqual([]);
        expect(counts['latest-segment-summary']).toBeGreaterThan(0);
        expect(counts['segment-trend']).toBeGreaterThan(0);
      });
    });
  },
);
