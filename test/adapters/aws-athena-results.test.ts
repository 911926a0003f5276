import { Readable } from 'node:stream';
import { AthenaClient, GetQueryResultsCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { fetchAthenaResults, parseS3Location } from '../../lambdas/adapters/aws/athena-results.ts';

const athena = mockClient(AthenaClient);
const s3 = mockClient(S3Client);
const athenaClient = new AthenaClient({ region: 'eu-west-1' });
const s3Client = new S3Client({ region: 'eu-west-1' });

const LOCATION = 's3://results-bucket/results/q-9.csv';
const select: QueryExecution = {
  QueryExecutionId: 'q-9',
  StatementType: 'DML',
  Status: { State: 'SUCCEEDED' },
  ResultConfiguration: { OutputLocation: LOCATION },
};
const COLUMNS = [
  { Name: 'account_id', Type: 'varchar' },
  { Name: 'Revenue_T12M', Type: 'double' },
  { Name: 'invoices', Type: 'bigint' },
  { Name: 'is_new', Type: 'boolean' },
  { Name: 'first_invoice_on', Type: 'date' },
  { Name: 'industry', Type: 'varchar' },
];

/** A result body as the SDK streams it in Node.js, delivered in small chunks so rows span chunk borders. */
function body(text: string): never {
  const bytes = Buffer.from(text, 'utf8');
  const chunks = [];
  for (let i = 0; i < bytes.length; i += 7) chunks.push(bytes.subarray(i, i + 7));
  return Readable.from(chunks) as never;
}

beforeEach(() => {
  athena.reset();
  s3.reset();
  athena.on(GetQueryResultsCommand).resolves({
    ResultSet: { ResultSetMetadata: { ColumnInfo: COLUMNS }, Rows: [] },
  });
});

describe('fetchAthenaResults from the result object in S3', () => {
  it('streams the CSV, typed by the result metadata: NULL is an empty unquoted field, "" an empty string', async () => {
    // Athena's result CSV: a header row, every value quoted, NULL written as nothing.
    s3.on(GetObjectCommand, { Bucket: 'results-bucket', Key: 'results/q-9.csv' }).resolves({
      Body: body(
        '"account_id","revenue_t12m","invoices","is_new","first_invoice_on","industry"\n' +
          '"A1","150000.5","3","false","2026-01-10","Software"\n' +
          '"A,2 ""quoted""","0.0","0","true",,""\n' +
          '"A3\nwith a line break","-12.25","1","false","2025-06-30",\n',
      ),
    });

    const rows = await fetchAthenaResults(athenaClient, select, s3Client);

    expect(rows).toEqual([
      {
        account_id: 'A1',
        revenue_t12m: 150000.5,
        invoices: 3,
        is_new: false,
        first_invoice_on: '2026-01-10',
        industry: 'Software',
      },
      {
        account_id: 'A,2 "quoted"',
        revenue_t12m: 0,
        invoices: 0,
        is_new: true,
        first_invoice_on: null,
        industry: '',
      },
      {
        account_id: 'A3\nwith a line break',
        revenue_t12m: -12.25,
        invoices: 1,
        is_new: false,
        first_invoice_on: '2025-06-30',
        industry: null,
      },
    ]);
    // Metadata only: one GetQueryResults call of one row, never a page of data.
    expect(athena).toHaveReceivedCommandTimes(GetQueryResultsCommand, 1);
    expect(athena).toHaveReceivedCommandWith(GetQueryResultsCommand, {
      QueryExecutionId: 'q-9',
      MaxResults: 1,
    });
  });

  it('reads an empty result (header only) as no rows', async () => {
    s3.on(GetObjectCommand).resolves({
      Body: body('"account_id","revenue_t12m","invoices","is_new","first_invoice_on","industry"\n'),
    });
    await expect(fetchAthenaResults(athenaClient, select, s3Client)).resolves.toEqual([]);
  });

  it('fails naming the query and the object when the header is not the metadata, or S3 refuses', async () => {
    s3.on(GetObjectCommand).resolvesOnce({ Body: body('"account_id","amount"\n"A1","1"\n') });
    await expect(fetchAthenaResults(athenaClient, select, s3Client)).rejects.toThrow(
      `athena query q-9: reading ${LOCATION} failed: its header (account_id, amount) is not the result's columns`,
    );

    s3.on(GetObjectCommand).rejects(
      new S3ServiceException({
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: {},
        message: 'Access Denied',
      }),
    );
    await expect(fetchAthenaResults(athenaClient, select, s3Client)).rejects.toThrow(
      `athena query q-9: reading ${LOCATION} failed: Access Denied`,
    );
  });

  it('fails on a row with a different number of fields than the header', async () => {
    s3.on(GetObjectCommand).resolves({
      Body: body(
        '"account_id","revenue_t12m","invoices","is_new","first_invoice_on","industry"\n"A1","1","2"\n',
      ),
    });
    await expect(fetchAthenaResults(athenaClient, select, s3Client)).rejects.toThrow(
      /athena query q-9: reading s3:\/\/results-bucket\/results\/q-9\.csv failed: .*record/i,
    );
  });

  it('reads CRLF line ends and a value whose closing quote ends a chunk, whatever the chunk size', async () => {
    const csv =
      '"account_id","revenue_t12m","invoices","is_new","first_invoice_on","industry"\r\n' +
      '"A""1","1","2","true","2026-01-01","x"\r\n"B","3","4","false",,""\r\n';
    for (const size of [1, 2, 3, 5, 64]) {
      const bytes = Buffer.from(csv);
      const chunks = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      s3.on(GetObjectCommand).resolves({ Body: Readable.from(chunks) as never });
      const rows = await fetchAthenaResults(athenaClient, select, s3Client);
      expect(rows.map((r) => [r.account_id, r.first_invoice_on, r.industry])).toEqual([
        ['A"1', '2026-01-01', 'x'],
        ['B', null, ''],
      ]);
    }
  });

  it('refuses an unquoted value or a truncated object instead of guessing', async () => {
    const header = '"account_id","revenue_t12m","invoices","is_new","first_invoice_on","industry"\n';
    s3.on(GetObjectCommand).resolves({ Body: body(`${header}"A1",12,"1","true",,\n`) });
    await expect(fetchAthenaResults(athenaClient, select, s3Client)).rejects.toThrow(
      `reading ${LOCATION} failed: not the CSV Athena writes: record 2, field 2: expected a comma or a line end`,
    );
    s3.reset();
    s3.on(GetObjectCommand).resolves({ Body: body(`${header}"A1","1","2","tr`) });
    await expect(fetchAthenaResults(athenaClient, select, s3Client)).rejects.toThrow(
      'the last record is incomplete',
    );
  });

  it('pages GetQueryResults for a statement that is not a SELECT (no CSV table to stream)', async () => {
    athena.on(GetQueryResultsCommand).resolves({
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: [{ Name: 'result', Type: 'varchar' }] },
        Rows: [{ Data: [{ VarCharValue: 'ok' }] }],
      },
    });
    const ddl = { ...select, StatementType: 'DDL' as const };
    await expect(fetchAthenaResults(athenaClient, ddl, s3Client)).resolves.toEqual([{ result: 'ok' }]);
    expect(s3).not.toHaveReceivedCommand(GetObjectCommand);
  });
});

describe('parseS3Location', () => {
  it('splits an s3:// URI and refuses anything else', () => {
    expect(parseS3Location('s3://b/results/x/y.csv')).toEqual({ bucket: 'b', key: 'results/x/y.csv' });
    expect(() => parseS3Location('https://b/x.csv')).toThrow(
      "'https://b/x.csv' is not an s3://bucket/key location",
    );
  });
});
