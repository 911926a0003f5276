import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Ends every run with each skipped test and the reason it gave, then one plain
 * `vitest: N passed, N failed, N skipped` line that any CI can read.
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state === 'passed') counts.passed++;
        else if (result.state === 'failed') counts.failed++;
        else {
          counts.skipped++;
          const note = result.state === 'skipped' ? result.note : undefined;
          const file = path.relative(process.cwd(), module.moduleId);
          skipped.push(`skipped ${file} > ${test.fullName}: ${note ?? 'no reason given'}`);
        }
      }
    }
    const lines = [
      ...skipped,
      `vitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}
