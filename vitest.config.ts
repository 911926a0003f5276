import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
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
