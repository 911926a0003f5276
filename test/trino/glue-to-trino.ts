import type * as glue from 'aws-cdk-lib/aws-glue';
import { OPEN_CSV_SERDE } from '../../lib/glue-tables.ts';

const PARQUET_SERDE = 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe';

/** Hive type names as Glue stores them, in Trino's spelling. */
function trinoType(hiveType: string): string {
  const type = hiveType.trim().toLowerCase();
  if (type === 'string') return 'varchar';
  if (type === 'int') return 'integer';
  if (type === 'timestamp') return 'timestamp(3)';
  if (/^(bigint|smallint|tinyint|double|float|boolean|date|decimal\(\d+,\s*\d+\))$/.test(type)) return type;
  throw new Error(`no Trino type for Glue column type '${hiveType}': add it to glue-to-trino.ts`);
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

type Columns = readonly glue.CfnTable.ColumnProperty[];

/**
 * The Trino `CREATE TABLE` for a Glue table definition, so the Trino tests read the very tables the stack
 * deploys: same columns and types, same SerDe (OpenCSVSerde: by position, header skipped, its quote and
 * escape characters; or Parquet), same partition keys and partition projection. `location` maps each
 * `s3://` URI onto the test's local folders. Anything this does not know how to carry over is an error, so a
 * new Glue setting cannot be silently left out of the tests.
 */
export function trinoCreateTable(
  schema: string,
  table: glue.CfnTable.TableInputProperty,
  location: (s3Uri: string) => string,
): string {
  const storage = table.storageDescriptor as glue.CfnTable.StorageDescriptorProperty | undefined;
  const serde = storage?.serdeInfo as glue.CfnTable.SerdeInfoProperty | undefined;
  const parameters = (table.parameters ?? {}) as Record<string, string>;
  const serdeParameters = (serde?.parameters ?? {}) as Record<string, string>;
  const columns = (storage?.columns ?? []) as Columns;
  const partitionKeys = (table.partitionKeys ?? []) as Columns;
  if (!table.name || !storage?.location) throw new Error('a Glue table needs a name and a location');

  const properties: string[] = [`external_location = ${quote(location(storage.location))}`];
  if (serde?.serializationLibrary === OPEN_CSV_SERDE) {
    properties.push(`format = 'CSV'`);
    const csv: Record<string, string> = {
      separatorChar: 'csv_separator',
      quoteChar: 'csv_quote',
      escapeChar: 'csv_escape',
    };
    for (const [key, value] of Object.entries(serdeParameters)) {
      const property = csv[key];
      if (!property) throw new Error(`OpenCSVSerde parameter ${key} has no Trino counterpart`);
      properties.push(`${property} = ${quote(value)}`);
    }
  } else if (serde?.serializationLibrary === PARQUET_SERDE) {
    properties.push(`format = 'PARQUET'`);
  } else {
    throw new Error(`SerDe ${serde?.serializationLibrary} of ${table.name} has no Trino counterpart`);
  }

  const columnProperties = new Map<string, string[]>();
  for (const [key, value] of Object.entries(parameters)) {
    if (key === 'classification') continue;
    if (key === 'skip.header.line.count') properties.push(`skip_header_line_count = ${Number(value)}`);
    else if (key === 'projection.enabled')
      properties.push(`partition_projection_enabled = ${value === 'true'}`);
    else if (key === 'storage.location.template') {
      properties.push(`partition_projection_location_template = ${quote(location(value))}`);
    } else {
      const projection = /^projection\.([a-z_]+)\.(type|values)$/.exec(key);
      if (!projection?.[1])
        throw new Error(`table parameter ${key} of ${table.name} has no Trino counterpart`);
      const [, column, what] = projection;
      const list = columnProperties.get(column) ?? [];
      list.push(
        what === 'type'
          ? `partition_projection_type = ${quote(value.toUpperCase())}`
          : `partition_projection_values = ARRAY[${value.split(',').map(quote).join(', ')}]`,
      );
      columnProperties.set(column, list);
    }
  }
  if (partitionKeys.length > 0) {
    properties.push(`partitioned_by = ARRAY[${partitionKeys.map((k) => quote(k.name)).join(', ')}]`);
  }

  const definitions = [...columns, ...partitionKeys].map((c) => {
    const extra = columnProperties.get(c.name);
    return `"${c.name}" ${trinoType(c.type ?? 'string')}${extra ? ` WITH (${extra.join(', ')})` : ''}`;
  });
  return `CREATE TABLE ${schema}.${table.name} (\n  ${definitions.join(',\n  ')}\n) WITH (\n  ${properties.join(',\n  ')}\n)`;
}
