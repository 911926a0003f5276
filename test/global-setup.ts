import { execFileSync } from 'node:child_process';

const SDK_NODE_MAJOR = 22;

/**
 * Once before all tests: compiles the CLI, so the tests that start `bin/revseg.js` run the JavaScript a
 * user runs, built from the sources under test rather than a stale dist/; and says once (instead of the AWS
 * SDK saying it in every test file) that this Node is older than the SDK's coming minimum.
 */
export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', '--quiet'], { stdio: 'inherit' });
  const major = Number(process.versions.node.split('.')[0]);
  if (major < SDK_NODE_MAJOR) {
    process.stdout.write(
      `note: Node ${process.versions.node}: AWS SDK releases after January 2027 need Node ${SDK_NODE_MAJOR}+ (the Lambda functions run Node 22); the SDK's own warning is turned off in the tests (AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED)\n`,
    );
  }
}
