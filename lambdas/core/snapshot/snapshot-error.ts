import { RevsegError } from '../errors.ts';

/** A snapshot could not be built, encoded, written or read; the message names the table, key, row or column. */
export class SnapshotError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnapshotError';
  }
}
