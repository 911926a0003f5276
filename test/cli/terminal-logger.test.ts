import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { terminalLogger } from '../../bin/terminal-logger.ts';

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

describe('the CLI logger', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the running step with a ticking clock on a terminal, then its time when it ends', () => {
    const { stream, text } = fakeStream(true);
    const logger = terminalLogger({ steps: true, stream });
    logger.info('draw charts…');
    vi.advanceTimersByTime(500);
    expect(text()).toBe('');
    vi.advanceTimersByTime(2_600);
    expect(text()).toContain('draw charts… 3 s');
    logger.info('draw charts done', { ms: 3_100, rows: 4 });
    const clearLine = '\r\u001b[2K';
    expect(text()).toContain(`${clearLine}   3.1s   draw charts done in 3100 ms, 4 rows\n`);
  });

  it('says once that a long step is still running when writing to a file or a pipe', () => {
    const { stream, text } = fakeStream(false);
    const logger = terminalLogger({ steps: false, stream });
    logger.info('screenshots…');
    vi.advanceTimersByTime(12_000);
    expect(text().match(/screenshots… \(still running\)/g)).toHaveLength(1);
    logger.info('screenshots done', { ms: 12_000 });
    expect(text()).not.toContain('done');
    logger.warn('an image did not load');
    expect(text()).toContain('warning: an image did not load');
  });
});
