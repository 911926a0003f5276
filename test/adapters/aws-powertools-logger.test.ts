import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import { PowertoolsLoggerAdapter } from '../../lambdas/adapters/aws/powertools-logger.ts';

describe('PowertoolsLoggerAdapter', () => {
  it('passes each level and its attributes to Powertools', () => {
    const powertools = new Logger({ serviceName: 'revenue-segments' });
    const info = vi.spyOn(powertools, 'info').mockImplementation(() => {});
    const warn = vi.spyOn(powertools, 'warn').mockImplementation(() => {});
    const error = vi.spyOn(powertools, 'error').mockImplementation(() => {});
    const logger = new PowertoolsLoggerAdapter(powertools);

    logger.info('read input', { rows: 3 });
    logger.warn('slow');
    logger.error('failed', { reason: 'x' });

    expect(info).toHaveBeenCalledWith('read input', { rows: 3 });
    expect(warn).toHaveBeenCalledWith('slow', {});
    expect(error).toHaveBeenCalledWith('failed', { reason: 'x' });
  });
});
