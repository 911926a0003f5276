import { RevsegError } from '../../errors.ts';

/** A chart could not be drawn; the message names the chart and the reason. The mail goes out without it. */
export class ChartError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ChartError';
  }
}
