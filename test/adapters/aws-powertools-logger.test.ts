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

  it('puts the Lambda request id on every line once it has the invocation context', () => {
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    try {
      const logger = new PowertoolsLoggerAdapter(
        new Logger({ serviceName: 'revenue-segments', logLevel: 'INFO' }),
      );
      logger.useLambdaContext({
        awsRequestId: 'req-1234',
        functionName: 'revseg-job',
        functionVersion: '$LATEST',
        invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:revseg-job',
        memoryLimitInMB: '2048',
        callbackWaitsForEmptyEventLoop: true,
        logGroupName: '/aws/lambda/revseg-job',
        logStreamName: 's',
        getRemainingTimeInMillis: () => 1000,
        done: () => {},
        fail: () => {},
        succeed: () => {},
      });
      logger.info('read input', { rows: 3 });
      logger.warn('slow');
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
    const records = lines.filter((l) => l.includes('"message"')).map((l) => JSON.parse(l));
    expect(records).toHaveLength(2);
    for (const record of records) expect(record.function_request_id).toBe('req-1234');
  });
});
