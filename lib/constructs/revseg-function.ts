import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, FileSystem, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { chartAssetsIn, packagedChartAssets } from '../../lambdas/adapters/local/chart-rasterizer.ts';

/** Project root: handlers, `sql/` and package-lock.json are found from here. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the bundled SQL files are inside the deployed function. */
export const BUNDLED_SQL_DIR = '/var/task/sql';

/** CommonJS dependencies bundled into ESM still call require() for Node built-ins. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);";

/** Powertools service name (also the `service` dimension of every metric) and metrics namespace. */
export const SERVICE_NAME = 'revenue-segments';
export const METRICS_NAMESPACE = 'RevenueSegments';

/** Folder of the chart assets (resvg WebAssembly and fonts) inside a bundle, and its path in Lambda. */
export const CHART_ASSETS_FOLDER = 'chart-assets';
export const BUNDLED_CHART_ASSETS_DIR = `/var/task/${CHART_ASSETS_FOLDER}`;

/**
 * Shell commands that copy the chart assets from the installed packages (under `inputDir`, the project
 * root) into `<outputDir>/chart-assets/` under the names `chartAssetsIn` expects. esbuild bundles only
 * JavaScript, so the `.wasm` and `.ttf` files travel beside it.
 */
export function chartAssetCopyCommands(inputDir: string, outputDir: string): string[] {
  const packaged = packagedChartAssets();
  const target = chartAssetsIn(path.join(outputDir, CHART_ASSETS_FOLDER));
  const fromRoot = (file: string) => path.join(inputDir, path.relative(PROJECT_ROOT, file));
  return [
    `mkdir -p "${path.join(outputDir, CHART_ASSETS_FOLDER)}"`,
    `cp "${fromRoot(packaged.wasm)}" "${target.wasm}"`,
    ...packaged.fonts.map((font, i) => `cp "${fromRoot(font)}" "${target.fonts[i]}"`),
  ];
}

/**
 * V8's old-space limit for a function of `memoryMb`: three quarters of it, the rest left to buffers (Parquet
 * files, result streams), code and the runtime. Set explicitly because V8 sizes its default heap from the
 * host, not from the function's memory, and a run that outgrows it should fail as out of memory in the
 * log rather than be killed by Lambda.
 */
export function heapLimitMb(memoryMb: number): number {
  return Math.floor(memoryMb * 0.75);
}

export interface RevsegFunctionProps {
  /** File name of the handler under `lambdas/handlers/`, without `.ts`, e.g. `run-period`. */
  readonly handlerName: string;
  readonly description: string;
  /** @default 1024 */
  readonly memoryMb?: number;
  /** @default Duration.minutes(1) */
  readonly timeout?: Duration;
  /** Extra environment on top of the Powertools and SQL settings. */
  readonly environment?: Readonly<Record<string, string>>;
  /** @default 90 */
  readonly logRetentionDays?: number;
  /**
   * Files written at the root of the bundle (`/var/task/<name>`), e.g. the run config, which may outgrow
   * Lambda's 4 KB of environment. @default none
   */
  readonly bundledFiles?: Readonly<Record<string, string>>;
  /**
   * Ship the chart assets (resvg WebAssembly, fonts) in `chart-assets/` and point `REVSEG_CHART_ASSETS_DIR`
   * at them, for a handler that draws the report charts. @default false
   */
  readonly chartAssets?: boolean;
}

const BUNDLED_FILE_NAME = /^[a-z0-9-]+\.json$/;

/**
 * The one function construct of the project: a Node.js 22 arm64 handler bundled locally with esbuild as
 * ESM (never in Docker), the `sql/` folder copied into the bundle, Powertools settings, its own log group,
 * and a role that may only write to that log group until a grant adds more.
 */
export class RevsegFunction extends Construct {
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** Folder the `bundledFiles` are staged in before bundling copies them. */
  readonly stagedFilesDir: string;

  constructor(scope: Construct, id: string, props: RevsegFunctionProps) {
    super(scope, id);
    this.stagedFilesDir = FileSystem.mkdtemp('revseg-bundled-files-');
    const files = Object.entries(props.bundledFiles ?? {});
    for (const [name, content] of files) {
      if (!BUNDLED_FILE_NAME.test(name))
        throw new Error(`bundled file name '${name}' must match ${BUNDLED_FILE_NAME}`);
      writeFileSync(path.join(this.stagedFilesDir, name), content);
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetentionDays ?? 90,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `${props.description}: writes its own logs; other permissions are granted by the stack`,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, 'lambdas', 'handlers', `${props.handlerName}.ts`),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memoryMb ?? 1024,
      timeout: props.timeout ?? Duration.minutes(1),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: `--enable-source-maps --max-old-space-size=${heapLimitMb(props.memoryMb ?? 1024)}`,
        REVSEG_SQL_DIR: BUNDLED_SQL_DIR,
        ...(props.chartAssets ? { REVSEG_CHART_ASSETS_DIR: BUNDLED_CHART_ASSETS_DIR } : {}),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node22',
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        banner: ESM_REQUIRE_BANNER,
        // Replaces the default (the runtime's @aws-sdk/*): the bundle carries the SDK versions the tests ran
        // with. DuckDB is local-only and never reached from a handler.
        externalModules: ['@duckdb/node-api'],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (inputDir: string, outputDir: string) => [
            `cp -r "${inputDir}/sql" "${outputDir}/sql"`,
            ...files.map(([name]) => `cp "${path.join(this.stagedFilesDir, name)}" "${outputDir}/${name}"`),
            ...(props.chartAssets ? chartAssetCopyCommands(inputDir, outputDir) : []),
          ],
        },
      },
    });
  }
}
