import { Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { SNAPSHOTS_PREFIX } from '../lambdas/core/snapshot/layout.ts';
import {
  createPlanAccessPolicies,
  createQueryAccessPolicy,
  createStoreAccessPolicy,
  RESULTS_PREFIX,
} from './access-policies.ts';
import type { DeployConfig } from './config.ts';
import { inputTableInput, SNAPSHOT_TABLE_NAMES, snapshotTableInput } from './glue-tables.ts';
import type { InputTableName } from './input-tables.ts';
import { acknowledgeRule } from './nag-acknowledgments.ts';
import { projectedPeriodIds } from './snapshot-periods.ts';

export interface RevenueSegmentsDataStackProps extends StackProps {
  readonly config: DeployConfig;
}

/**
 * Stateful resources, kept apart so the stateless stack can be replaced freely: buckets (input data,
 * snapshots + mail ledger, Athena results, access logs), the Glue database with the input and snapshot
 * tables, and the Athena workgroup.
 */
export class RevenueSegmentsDataStack extends Stack {
  readonly inputBucket: s3.IBucket;
  readonly inputPrefix: string;
  /** KMS key of an SSE-KMS input bucket, decrypted by the query roles. */
  readonly inputKmsKeyArn?: string;
  /** The catalog is governed by Lake Formation. */
  readonly lakeFormation: boolean;
  readonly storeBucket: s3.Bucket;
  readonly resultsBucket: s3.Bucket;
  readonly databaseName: string;
  readonly workGroupName: string;
  /** Glue tables over the input data (DESIGN §3). */
  readonly inputTableNames: readonly InputTableName[];
  /** Every Glue table the runs may read: the input tables, then the snapshot tables. */
  readonly tableNames: readonly string[];
  readonly workGroupArn: string;
  /**
   * Run queries in the workgroup (start, watch, stop): the Glue tables, the input and snapshot data, the
   * results prefix. Attached to the state machine and the job function.
   */
  readonly queryAccessPolicy: iam.ManagedPolicy;
  /** Read, replace and delete snapshot partitions and keep the mail ledger; nothing else in the bucket. */
  readonly storeAccessPolicy: iam.ManagedPolicy;
  /** Store (plan step) and read back (query step, job) the bound statements of a run. */
  readonly planAccessPolicies: { readonly write: iam.ManagedPolicy; readonly read: iam.ManagedPolicy };

  constructor(scope: Construct, id: string, props: RevenueSegmentsDataStackProps) {
    super(scope, id, props);
    const { config } = props;

    const accessLogs = new s3.Bucket(this, 'AccessLogsBucket', {
      ...secureBucketDefaults(),
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });
    acknowledgeRule(
      accessLogs,
      'S1',
      'This bucket is the server access log target of the other buckets; logging it into itself would log its own log deliveries without end.',
    );

    this.inputPrefix = config.input.prefix;
    this.inputKmsKeyArn = config.input.kmsKeyArn;
    this.lakeFormation = config.lakeFormation;
    this.inputBucket = config.input.bucketName
      ? s3.Bucket.fromBucketName(this, 'InputBucket', config.input.bucketName)
      : new s3.Bucket(this, 'InputBucket', {
          ...secureBucketDefaults(),
          versioned: true,
          serverAccessLogsBucket: accessLogs,
          serverAccessLogsPrefix: 'input/',
        });

    this.storeBucket = new s3.Bucket(this, 'StoreBucket', {
      ...secureBucketDefaults(),
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'store/',
      lifecycleRules: [
        { noncurrentVersionExpiration: Duration.days(config.snapshots.noncurrentVersionDays) },
      ],
    });

    this.resultsBucket = new s3.Bucket(this, 'ResultsBucket', {
      ...secureBucketDefaults(),
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'results/',
      lifecycleRules: [
        {
          expiration: Duration.days(config.athena.resultsExpirationDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });

    this.databaseName = config.glueDatabase;
    const database = new glue.CfnDatabase(this, 'Database', {
      catalogId: this.account,
      databaseInput: {
        name: this.databaseName,
        description: 'revenue-segments: input tables (DESIGN §3) and snapshot tables (DESIGN §6)',
      },
    });

    // fx_rates always exists (empty when no data is under its prefix): every revenue query joins it, and a
    // single-currency book needs no rates (sql/include/checked_revenue_lines.sql)
    const inputTables: InputTableName[] = [
      'revenue_lines',
      'accounts',
      ...new Set<InputTableName>([...config.input.optionalTables, 'fx_rates']),
    ];
    for (const table of inputTables) {
      const location = `s3://${this.inputBucket.bucketName}/${this.inputPrefix}${table}/`;
      new glue.CfnTable(this, `Input-${table}`, {
        catalogId: this.account,
        databaseName: database.ref,
        tableInput: inputTableInput(table, config.input.format, location, config.input.parquetColumnTypes),
      });
    }

    const periods = projectedPeriodIds(config.snapshots.firstYear, config.snapshots.lastYear);
    for (const table of SNAPSHOT_TABLE_NAMES) {
      const root = `s3://${this.storeBucket.bucketName}/${SNAPSHOTS_PREFIX}/${table}/`;
      new glue.CfnTable(this, `Snapshot-${table}`, {
        catalogId: this.account,
        databaseName: database.ref,
        tableInput: snapshotTableInput(table, root, periods),
      });
    }
    this.inputTableNames = inputTables;
    this.tableNames = [...inputTables, ...SNAPSHOT_TABLE_NAMES];

    this.workGroupName = config.athena.workGroup;
    new athena.CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: 'revenue-segments runs and leadership queries; settings are enforced on every query',
      state: 'ENABLED',
      recursiveDeleteOption: false,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        bytesScannedCutoffPerQuery: config.athena.bytesScannedCutoffPerQuery,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        resultConfiguration: {
          outputLocation: `s3://${this.resultsBucket.bucketName}/${RESULTS_PREFIX}`,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: this.account,
          aclConfiguration: { s3AclOption: 'BUCKET_OWNER_FULL_CONTROL' },
        },
      },
    }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    this.workGroupArn = this.formatArn({
      service: 'athena',
      resource: 'workgroup',
      resourceName: this.workGroupName,
    });

    this.queryAccessPolicy = createQueryAccessPolicy(this);
    this.storeAccessPolicy = createStoreAccessPolicy(this);
    this.planAccessPolicies = createPlanAccessPolicies(this);
  }
}

function secureBucketDefaults(): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    encryption: s3.BucketEncryption.S3_MANAGED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    removalPolicy: RemovalPolicy.RETAIN,
  };
}
