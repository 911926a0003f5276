import { RevsegError } from '../errors.ts';

/** A model could not be evaluated (a series did not converge, parameters out of range). */
export class ModelError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ModelError';
  }
}
