import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import type { Logger } from '../../ports/logger.ts';

/** The Logger port on Powertools: JSON lines in CloudWatch with the Lambda context and the given attributes. */
export class PowertoolsLoggerAdapter implements Logger {
  constructor(readonly powertools: PowertoolsLogger = new PowertoolsLogger()) {}

  /** Stamps every following line with this invocation's request id, function name and cold start. */
  useLambdaContext(context: Context | undefined): void {
    if (context) this.powertools.addContext(context);
  }

  info(message: string, attributes?: Record<string, unknown>): void {
    this.powertools.info(message, attributes ?? {});
  }

  warn(message: string, attributes?: Record<string, unknown>): void {
    this.powertools.warn(message, attributes ?? {});
  }

  error(message: string, attributes?: Record<string, unknown>): void {
    this.powertools.error(message, attributes ?? {});
  }
}
