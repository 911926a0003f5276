import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  athenaStatementText,
  planAthenaStatements,
  planStagedAthenaStatements,
  type StagedPlan,
} from '../../lambdas/adapters/aws/athena-statement-plan.ts';
import { FileSqlSource } from '../../lambdas/adapters/local/file-sql-source.ts';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { discoverInputs } from '../../lambdas/adapters/local/local-runtime.ts';
import { OutboxMailer } from '../../lambdas/adapters/local/outbox-mailer.ts';
import { writeSampleBook } from '../../lambdas/adapters/local/sample-book-writer.ts';
import { parsePeriod } from '../../lambdas/core/period.ts';
import { RUN_SCOPED_INCLUDES } from '../../lambdas/core/sql-includes.ts';
import { runPeriod } from '../../lambdas/jobs/run-period.ts';
import { plannedQueries } from '../../lambdas/jobs/steps/read-input.ts';
import { fixedClock } from '../../lambdas/ports/clock.ts';
import { silentLogger } from '../../lambdas/ports/logger.ts';
import type { QueryEngine, SqlValue } from '../../lambdas/ports/query-engine.ts';
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

const RESULTS = 's3://results-bucket/';

/** Bytes a statement reads at most: every table it names in a FROM or JOIN, whole. */
function scanBytes(statement: string, sizes: ReadonlyMap<string, number>): number {
  const code = statement.replace(/'(?:[^']|'')*'|--[^\n]*/g, ' ');
  const tables = new Set([...code.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1] ?? ''));
  return [...tables].reduce((sum, table) => sum + (sizes.get(table) ?? 0), 0);
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/**
 * What the state machine does on AWS, with Trino for Athena: the plan stages the shared includes by CREATE
 * TABLE AS, runs the planned statements on the staged tables, and the job reads their results by statement text;
 * nothing runs that was not planned. The snapshot must be the DuckDB run's.
 */
describeOnTrino(
  (version) => `a staged run on Trino ${version}: each input scanned once, the same snapshot`,
  (version) => {
    let work: string;
    let deployment: TrinoDeployment;
    let duckSnapshot: Map<string, Row[]>;
    let stagedSnapshot: Map<string, Row[]>;
    const plans: { run: string; plan: StagedPlan; unstaged: string[]; sizes: Map<string, number> }[] = [];

    beforeAll(async () => {
      work = mkdtempSync(path.join(tmpdir(), 'revseg-trino-staged-'));
      const dataDir = path.join(work, 'data');
      await writeSampleBook({
        outDir: dataDir,
        format: 'csv',
        lines: 20_000,
        seed: 23,
        asOf: AS_OF,
        multiCurrency: true,
        engagementInputs: true,
        salesInputs: true,
      });
      const inputs = discoverInputs(dataDir);
      const inputSizes = Object.entries(inputs).map(
        ([table, input]) => [table, statSync(input.path).size] as const,
      );
      const clock = fixedClock(`${AS_OF}T09:00:00Z`);

      duckSnapshot = await duckDbSnapshot(inputs, path.join(work, 'duckdb'), config, clock);

      deployment = await openTrinoDeployment('staged');
      await createInputTables(deployment, inputs);
      const optionalTables = Object.keys(inputs).filter((t) => t !== 'revenue_lines' && t !== 'accounts');
      const sql = new FileSqlSource(undefined, { markIncludes: RUN_SCOPED_INCLUDES });
      // Athena writes to S3; the test's Trino writes the same keys under the deployment's folder
      const onTrino = (statement: string) =>
        statement.replaceAll(`'${RESULTS}`, `'${deployment.location(RESULTS)}`);

      for (const run of RUNS) {
        const period = parsePeriod(run.periodId, run.cadence);
        const tag = `${run.cadence}_${run.periodId.replace('-', '_').toLowerCase()}_test`;
        const queries = plannedQueries(
          period,
          AS_OF,
          config.fiscalYearStartMonth,
          config.currency,
          optionalTables,
        );
        const plan = planStagedAthenaStatements(queries, sql, {
          tag,
          location: (table) => `${RESULTS}staging/${tag}/${table}/`,
        });
        const unstaged = planAthenaStatements(queries, new FileSqlSource()).map((s) => s.queryString);
        for (const stage of plan.stages) await deployment.engine.execute(onTrino(stage.queryString));
        const results = new Map<string, Record<string, unknown>[]>();
        for (const statement of plan.statements) {
          results.set(statement.queryString, await deployment.engine.execute(statement.queryString));
        }
        const planned: QueryEngine = {
          async query<T>(text: string, params?: Readonly<Record<string, SqlValue>>): Promise<T[]> {
            const statement = athenaStatementText(text, params, tag);
            const rows = results.get(statement);
            if (!rows)
              throw new Error(`the job ran a statement that was not planned: ${statement.slice(0, 300)}`);
            return rows as T[];
          },
          describeTable: (table) => deployment.engine.describeTable(table),
        };
        await runPeriod(
          {
            engine: planned,
            store: new FolderObjectStore(deployment.folder(STORE)),
            mailer: new OutboxMailer(path.join(work, 'outbox'), { clock }),
            clock,
            logger: silentLogger,
            sql,
          },
          config,
          run,
        );
        const sizes = new Map<string, number>(inputSizes);
        for (const stage of plan.stages) {
          const table = /^CREATE TABLE ([a-z0-9_]+)/.exec(stage.queryString)?.[1] ?? '';
          sizes.set(table, folderBytes(deployment.folder(`${RESULTS}staging/${tag}/${table}/`)));
        }
        for (const drop of plan.cleanup) await deployment.engine.execute(drop.queryString);
        plans.push({ run: `${run.cadence} ${run.periodId}`, plan, unstaged, sizes });
      }
      stagedSnapshot = await readSnapshot(deployment.folder(STORE));
    });

    afterAll(async () => {
      await deployment?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('writes the DuckDB run snapshot, every table and row', () => {
      const { report, differences } = compareSnapshots(duckSnapshot, stagedSnapshot);
      console.log(parityTable(`staged Athena flow on Trino ${version} vs DuckDB`, report));
      expect(differences).toEqual([]);
      expect(report.filter((r) => r.duckdb !== r.trino)).toEqual([]);
      expect(report.find((r) => r.table === 'account_segments monthly 2026-10')?.duckdb).toBeGreaterThan(100);
    });

    it('reads the raw inputs only in the staging statements, and says what a run scans', async () => {
      const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
      for (const { run, plan, unstaged, sizes } of plans) {
        expect(plan.stages.length).toBe(3);
        for (const statement of plan.statements) {
          expect({
            statement: statement.name,
            reads: /\bFROM\s+revenue_lines\b/i.test(statement.queryString),
          }).toEqual({ statement: statement.name, reads: false });
        }
        const staging = plan.stages.reduce((sum, s) => sum + scanBytes(s.queryString, sizes), 0);
        const reads = plan.statements.reduce((sum, s) => sum + scanBytes(s.queryString, sizes), 0);
        const before = unstaged.reduce((sum, s) => sum + scanBytes(s, sizes), 0);
        console.log(
          `${run}: staged run scans at most ${mb(staging + reads)} (staging ${mb(staging)}, ${plan.statements.length} statements ${mb(reads)}); ` +
            `unstaged ${mb(before)}; raw revenue_lines ${mb(sizes.get('revenue_lines') ?? 0)}`,
        );
        expect(staging + reads).toBeLessThan(before);
      }
      const left = await deployment.engine.execute(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = '${deployment.engine.schema}' AND table_name LIKE 'revseg_stage_%'`,
      );
      expect(left).toEqual([]);
    });
  },
);
