import { RevsegError } from '../../core/errors.ts';

/** A local file or folder could not be written; the message names the path, the cause and what to do. */
export class LocalWriteError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalWriteError';
  }
}

const ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full: free space there (or pass --out on a larger disk) and rerun',
  EDQUOT: 'the disk quota is used up: free space there (or pass --out elsewhere) and rerun',
  EROFS: 'the file system is read-only: pass --out with a writable folder',
  EACCES: 'permission denied: make the folder writable by this user or pass --out with a writable folder',
  EPERM: 'permission denied: make the folder writable by this user or pass --out with a writable folder',
  ENOTDIR: 'a file is in the way where a folder is needed: move it or pass --out with another folder',
  EEXIST: 'a file is in the way where a folder is needed: move it or pass --out with another folder',
  EISDIR: 'a folder is in the way where a file is needed: move it or pass --out with another folder',
};

/**
 * Turns a failed local write into one clear error naming `path` (the file or folder being written).
 * Errors that are already ours pass through unchanged.
 */
export function localWriteError(error: unknown, path: string): Error {
  if (error instanceof RevsegError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const advice = ADVICE[code] ?? (error as Error).message;
  return new LocalWriteError(`cannot write ${path}: ${advice}${ADVICE[code] ? ` (${code})` : ''}`, {
    cause: error,
  });
}
