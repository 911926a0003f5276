import * as iam from 'aws-cdk-lib/aws-iam';
import { SNAPSHOTS_PREFIX } from '../lambdas/core/snapshot/layout.ts';
import { PLANS_PREFIX, STAGING_PREFIX } from '../lambdas/handlers/planned-statements.ts';
import type { RevenueSegmentsDataStack } from './data-stack.ts';
import { acknowledgeWildcardResource } from './nag-acknowledgments.ts';

/** Key prefix of Athena query results in the results bucket. */
export const RESULTS_PREFIX = 'results/';
/** Key prefix of the mail ledger in the store bucket (see lambdas/jobs/steps/mail-ledger.ts). */
export const MAIL_LEDGER_PREFIX = 'mail-ledger/';

/**
 * Run queries in the workgroup (start, watch, stop) over the input and snapshot tables and keep their
 * results: attached to the state machine and the job function. Object grants are limited to prefixes.
 */
export function createQueryAccessPolicy(data: RevenueSegmentsDataStack): iam.ManagedPolicy {
  const glueArn = (resource: string) =>
    data.formatArn({ service: 'glue', resource, resourceName: undefined });
  const inputPrefixes = data.inputTableNames.map((t) => `${data.inputPrefix}${t}/`);
  const inputObjects = inputPrefixes.map((p) => data.inputBucket.arnForObjects(`${p}*`));
  const snapshotObjects = data.storeBucket.arnForObjects(`${SNAPSHOTS_PREFIX}/*`);
  const resultObjects = data.resultsBucket.arnForObjects(`${RESULTS_PREFIX}*`);
  const stagedObjects = data.resultsBucket.arnForObjects(`${STAGING_PREFIX}*`);
  const stagedTables = glueArn(`table/${data.databaseName}/revseg_stage_*`);
  const policy = new iam.ManagedPolicy(data, 'QueryAccessPolicy', {
    description: 'revenue-segments: run Athena queries in the workgroup over the input and snapshot tables',
    statements: [
      new iam.PolicyStatement({
        sid: 'RunQueriesInWorkGroup',
        actions: ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'],
        resources: [data.workGroupArn],
      }),
      new iam.PolicyStatement({
        sid: 'UseDataCatalog',
        actions: ['athena:GetDataCatalog'],
        resources: [
          data.formatArn({ service: 'athena', resource: 'datacatalog', resourceName: 'AwsDataCatalog' }),
        ],
      }),
      new iam.PolicyStatement({
        sid: 'ReadGlueTables',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetPartition', 'glue:GetPartitions'],
        resources: [
          glueArn('catalog'),
          glueArn(`database/${data.databaseName}`),
          ...data.tableNames.map((t) => glueArn(`table/${data.databaseName}/${t}`)),
        ],
      }),
      // A run stages the lines it checks once (CREATE TABLE AS) and drops those tables when it is done.
      new iam.PolicyStatement({
        sid: 'StageRunTables',
        actions: ['glue:CreateTable', 'glue:DeleteTable', 'glue:GetTable'],
        resources: [glueArn('catalog'), glueArn(`database/${data.databaseName}`), stagedTables],
      }),
      new iam.PolicyStatement({
        sid: 'WriteStagedData',
        actions: [
          's3:GetObject',
          's3:PutObject',
          's3:DeleteObject',
          's3:AbortMultipartUpload',
          's3:ListMultipartUploadParts',
        ],
        resources: [stagedObjects],
      }),
      new iam.PolicyStatement({ sid: 'ReadInputData', actions: ['s3:GetObject'], resources: inputObjects }),
      new iam.PolicyStatement({
        sid: 'ListInputData',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [data.inputBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': inputPrefixes.map((p) => `${p}*`) } },
      }),
      new iam.PolicyStatement({
        sid: 'ReadSnapshots',
        actions: ['s3:GetObject'],
        resources: [snapshotObjects],
      }),
      new iam.PolicyStatement({
        sid: 'ListSnapshots',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [data.storeBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${SNAPSHOTS_PREFIX}/*`] } },
      }),
      new iam.PolicyStatement({
        sid: 'WriteQueryResults',
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [resultObjects],
      }),
      ...(data.inputKmsKeyArn
        ? [
            // An input bucket encrypted with SSE-KMS: Athena decrypts with the caller's credentials.
            new iam.PolicyStatement({
              sid: 'DecryptInputData',
              actions: ['kms:Decrypt'],
              resources: [data.inputKmsKeyArn],
              conditions: { StringEquals: { 'kms:ViaService': `s3.${data.region}.amazonaws.com` } },
            }),
          ]
        : []),
      ...(data.lakeFormation
        ? [
            // With Lake Formation, Athena gets temporary credentials for the data through this call; the
            // tables themselves are granted in Lake Formation (see the pipeline stack).
            new iam.PolicyStatement({
              sid: 'LakeFormationDataAccess',
              actions: ['lakeformation:GetDataAccess'],
              resources: ['*'],
            }),
          ]
        : []),
      new iam.PolicyStatement({
        sid: 'LocateQueryResults',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: [data.resultsBucket.bucketArn],
      }),
    ],
  });
  for (const objects of inputObjects) {
    acknowledgeWildcardResource(
      policy,
      objects,
      'Athena reads every file of an input table, and the files under a table prefix are named by the exports; the grant is read-only and limited to that one table prefix.',
    );
  }
  acknowledgeWildcardResource(
    policy,
    snapshotObjects,
    'Athena reads the snapshot tables, whose Parquet files are created per cadence and period; read-only and limited to the snapshots/ prefix.',
  );
  if (data.lakeFormation) {
    acknowledgeWildcardResource(
      policy,
      '*',
      'lakeformation:GetDataAccess supports no resource-level permissions; what data it gives is decided by the Lake Formation grants on the database tables.',
    );
  }
  acknowledgeWildcardResource(
    policy,
    stagedTables,
    'A run names its staged tables revseg_stage_<period>_<random tag>_..., unknown before the run plans; limited to that name prefix in the one database.',
  );
  acknowledgeWildcardResource(
    policy,
    stagedObjects,
    'Athena writes a staged table as files it names under the run tag, unknown in advance; limited to the staging/ prefix of the dedicated results bucket, which expires objects.',
  );
  acknowledgeWildcardResource(
    policy,
    resultObjects,
    'Athena writes each query result under a key named by its query execution id, unknown in advance; limited to the results/ prefix of the dedicated results bucket, which expires objects.',
  );
  return policy;
}

/** Read, replace and delete snapshot partitions and keep the mail ledger; nothing else in the bucket. */
export function createStoreAccessPolicy(data: RevenueSegmentsDataStack): iam.ManagedPolicy {
  const prefixes = [`${SNAPSHOTS_PREFIX}/`, MAIL_LEDGER_PREFIX];
  const objects = prefixes.map((p) => data.storeBucket.arnForObjects(`${p}*`));
  const policy = new iam.ManagedPolicy(data, 'StoreAccessPolicy', {
    description: 'revenue-segments: write snapshot partitions and the mail ledger',
    statements: [
      new iam.PolicyStatement({
        sid: 'WriteSnapshotsAndLedger',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
        resources: objects,
      }),
      // No s3:prefix condition: S3 answers a GET of a missing key with 404 only to a caller that may list
      // that key, and 403 AccessDenied otherwise, so a prefix-conditioned grant would make the first run's
      // look for the previous snapshot (or a ledger entry) fail instead of finding nothing. The bucket holds
      // nothing but snapshots and the ledger, so listing it reveals no other data.
      new iam.PolicyStatement({
        sid: 'ListSnapshotsAndLedger',
        actions: ['s3:ListBucket'],
        resources: [data.storeBucket.bucketArn],
      }),
    ],
  });
  acknowledgeWildcardResource(
    policy,
    objects[0] ?? '',
    'A run replaces the Parquet files and manifest of its own period, whose keys are made per table, cadence and period; limited to the snapshots/ prefix.',
  );
  acknowledgeWildcardResource(
    policy,
    objects[1] ?? '',
    'The mail ledger keeps one object per period and recipient (exactly-once delivery); limited to the mail-ledger/ prefix.',
  );
  return policy;
}

/**
 * The plan step writes each run's bound statements under `plans/` in the results bucket (which expires
 * them with the query results); the query step and the job read them back. One policy per direction.
 */
export function createPlanAccessPolicies(data: RevenueSegmentsDataStack): {
  write: iam.ManagedPolicy;
  read: iam.ManagedPolicy;
} {
  const plans = data.resultsBucket.arnForObjects(`${PLANS_PREFIX}*`);
  const policy = (id: string, description: string, sid: string, action: string) => {
    const managed = new iam.ManagedPolicy(data, id, {
      description,
      statements: [new iam.PolicyStatement({ sid, actions: [action], resources: [plans] })],
    });
    acknowledgeWildcardResource(
      managed,
      plans,
      'Each run stores its bound statements under a key made of its period and a random id, unknown in advance; limited to the plans/ prefix of the results bucket, which expires objects.',
    );
    return managed;
  };
  return {
    write: policy(
      'PlanWritePolicy',
      'revenue-segments: store the bound statements of a run',
      'WritePlannedStatements',
      's3:PutObject',
    ),
    read: policy(
      'PlanReadPolicy',
      'revenue-segments: read the bound statements of a run',
      'ReadPlannedStatements',
      's3:GetObject',
    ),
  };
}
