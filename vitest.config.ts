import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Said once by the global setup instead of once per test file.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: ['default', './test/plain-summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'default', include: ['test/**/*.test.ts'], exclude: ['test/trino/**'] },
      },
      {
        // The SQL and the whole job on a real Trino (the engine under Athena): `npm run test:trino`.
        extends: true,
        test: {
          name: 'trino',
          include: ['test/trino/**/*.test.ts'],
          globalSetup: ['test/trino/global-setup.ts'],
          // one Trino on a small machine: files one after another
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
