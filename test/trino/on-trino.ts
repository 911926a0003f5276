import { describe, inject, it } from 'vitest';

/**
 * A group of Trino tests. Without a Trino it holds one skipped test that says why (and how to start one),
 * instead of every test skipping silently, and none of its set-up runs.
 */
export function describeOnTrino(title: (version: string) => string, body: (version: string) => void): void {
  const version = inject('trinoVersion');
  describe(title(version || 'not running'), () => {
    if (!version) {
      it('runs on a real Trino', (ctx) => ctx.skip(inject('trinoSkipReason')));
      return;
    }
    body(version);
  });
}
