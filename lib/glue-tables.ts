import type * as glue from 'aws-cdk-lib/aws-glue';
import { SNAPSHOT_PARTITION_KEYS } from '../lambdas/core/snapshot/layout.ts';
import { glueColumnType, SNAPSHOT_TABLE_SCHEMAS } from '../lambdas/core/snapshot/tables.ts';
import { glueInputColumns, type InputTableName } from './input-tables.ts';

/**
 * The Glue table definitions of the input and snapshot tables: what Athena reads on AWS. The stack deploys
 * them, and the Trino tests create their tables from the same objects, so a change here changes both.
 */

export type SnapshotTableName = keyof typeof SNAPSHOT_TABLE_SCHEMAS;

export const SNAPSHOT_TABLE_NAMES = Object.keys(SNAPSHOT_TABLE_SCHEMAS) as SnapshotTableName[];

const PARQUET_STORAGE = {
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serdeInfo: { serializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
};

/** The CSV SerDe Athena reads input CSV with: by position, header skipped, backslash escape. */
export const OPEN_CSV_SERDE = 'org.apache.hadoop.hive.serde2.OpenCSVSerde';

/** An input table over `location` (an S3 folder with a trailing `/`), in the configured format. */
export function inputTableInput(
  table: InputTableName,
  format: 'csv' | 'parquet',
  location: string,
  parquetOverrides: Readonly<Record<string, string>> = {},
): glue.CfnTable.TableInputProperty {
  const columns = glueInputColumns(table, format, parquetOverrides);
  if (format === 'parquet') {
    return {
      name: table,
      description: `input table ${table} (Parquet) under ${location}`,
      tableType: 'EXTERNAL_TABLE',
      parameters: { classification: 'parquet' },
      storageDescriptor: { location, columns, ...PARQUET_STORAGE },
    };
  }
  return {
    name: table,
    description: `input table ${table} (CSV with a header row, columns in contract order) under ${location}`,
    tableType: 'EXTERNAL_TABLE',
    parameters: { classification: 'csv', 'skip.header.line.count': '1' },
    storageDescriptor: {
      location,
      columns,
      inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      serdeInfo: {
        serializationLibrary: OPEN_CSV_SERDE,
        parameters: { separatorChar: ',', quoteChar: '"', escapeChar: '\\' },
      },
    },
  };
}

/**
 * A snapshot table over `root` (the table's S3 folder with a trailing `/`): Parquet, one partition per cadence
 * and period, found by partition projection over `periods` (no partition is ever registered).
 */
export function snapshotTableInput(
  table: SnapshotTableName,
  root: string,
  periods: readonly string[],
): glue.CfnTable.TableInputProperty {
  return {
    name: table,
    description: `revenue-segments snapshot table ${table}, one partition per cadence and period`,
    tableType: 'EXTERNAL_TABLE',
    parameters: {
      classification: 'parquet',
      'projection.enabled': 'true',
      'projection.cadence.type': 'enum',
      'projection.cadence.values': 'monthly,quarterly',
      'projection.period.type': 'enum',
      'projection.period.values': periods.join(','),
      'storage.location.template': `${root}cadence=\${cadence}/period=\${period}/`,
    },
    partitionKeys: SNAPSHOT_PARTITION_KEYS.map((k) => ({ name: k.name, type: glueColumnType(k.type) })),
    storageDescriptor: {
      location: root,
      columns: SNAPSHOT_TABLE_SCHEMAS[table].map((c) => ({ name: c.name, type: glueColumnType(c.type) })),
      ...PARQUET_STORAGE,
    },
  };
}
