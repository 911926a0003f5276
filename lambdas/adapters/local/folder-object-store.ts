import { createHash, randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { RevsegError } from '../../core/errors.ts';
import type { ObjectStore, VersionedObject } from '../../ports/object-store.ts';
import { localWriteError } from './write-errors.ts';

/** Files are written for their owner only (snapshots, ledger entries may hold personal data). */
export const OWNER_FILE_MODE = 0o600;
/** Folders are created for their owner only. */
export const OWNER_DIR_MODE = 0o700;

/** A lock older than this was left by a killed process (a locked swap takes milliseconds). */
const STALE_LOCK_MS = 30_000;
/** How long a compare-and-swap waits for another writer's lock before reporting a conflict. */
const LOCK_WAIT_MS = 2_000;

/** A key or prefix that cannot name an object safely. */
export class ObjectKeyError extends RevsegError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ObjectKeyError';
  }
}

const MAX_KEY_LENGTH = 1024;

function keyProblem(key: string, isPrefix: boolean): string | undefined {
  if (key.length > MAX_KEY_LENGTH) return `is longer than ${MAX_KEY_LENGTH} characters`;
  if (!isPrefix && key.length === 0) return 'is empty';
  if (key.startsWith('/') || /^[A-Za-z]:/.test(key)) return 'is absolute; use a path relative to the store';
  if (/[\\\0]/.test(key)) return 'contains a backslash or NUL; separate folders with /';
  const segments = key.split('/');
  if (isPrefix && segments.at(-1) === '') segments.pop();
  if (!isPrefix && segments.at(-1) === '') return 'ends with /; name an object, not a folder';
  for (const segment of segments) {
    if (segment === '') return 'contains an empty folder name (//)';
    if (segment === '.' || segment === '..')
      return `contains '${segment}'; keys cannot leave or alias folders`;
    if (segment.startsWith('.'))
      return `has a part starting with '.' ('${segment}'), which is reserved for temporary files`;
  }
  return undefined;
}

/**
 * Checks that a key is relative, has no `.`/`..` or hidden parts, and uses `/` between folders.
 * @throws ObjectKeyError naming the key and what to change.
 */
export function assertObjectKey(key: string, what = 'object key'): string {
  const problem = keyProblem(key, false);
  if (problem) throw new ObjectKeyError(`${what} '${key}' ${problem}`);
  return key;
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** The version of a local object: a hash of its bytes (entries that matter carry a claim id and time). */
function versionOf(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('hex');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * ObjectStore over a local folder: key `a/b.json` is the file `<root>/a/b.json`. Writes go to a hidden
 * temporary file in the same folder and are renamed into place, so readers never see half a file, and a write
 * that fails (disk full, read-only folder) removes its temporary file and names the path in its error.
 * Files are created 0600 and folders 0700: only the owner reads the snapshots, the ledger and the mails.
 */
export class FolderObjectStore implements ObjectStore {
  readonly rootDir: string;

  constructor(rootDir: string) {
    this.rootDir = resolve(rootDir);
  }

  async put(key: string, body: Uint8Array): Promise<void> {
    const file = this.pathOf(key);
    const temp = await this.writeTemp(file, body);
    try {
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw localWriteError(error, file);
    }
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    const body = await this.get(key);
    return body === undefined ? undefined : { body, version: versionOf(body) };
  }

  /**
   * Compare-and-swap under an exclusive lock file (`O_EXCL` create of a hidden `.<name>.lock` beside the file):
   * the current bytes are hashed and compared with `version` while no other swap can run, then the new bytes
   * are renamed into place. A lock left by a killed process is taken over after {@link STALE_LOCK_MS}.
   */
  async putIfMatch(key: string, body: Uint8Array, version: string): Promise<boolean> {
    const file = this.pathOf(key);
    const temp = await this.writeTemp(file, body);
    const lock = join(dirname(file), `.${basename(file)}.lock`);
    try {
      if (!(await this.acquireLock(lock))) return false;
      try {
        const current = await this.get(key);
        if (current === undefined || versionOf(current) !== version) return false;
        await rename(temp, file);
        return true;
      } finally {
        await rm(lock, { force: true });
      }
    } catch (error) {
      throw localWriteError(error, file);
    } finally {
      await rm(temp, { force: true });
    }
  }

  /**
   * Exclusive create: the body is written to a temporary file, then hard-linked to the key's path, which
   * fails with EEXIST like an `O_EXCL` (`wx`) open when the file exists, so of two concurrent callers
   * only one succeeds, and unlike `wx` no reader can see the file half written.
   */
  async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    const file = this.pathOf(key);
    const temp = await this.writeTemp(file, body);
    try {
      await link(temp, file);
      return true;
    } catch (error) {
      if (isCode(error, 'EEXIST')) return false;
      throw localWriteError(error, file);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (error) {
      if (isCode(error, 'ENOENT')) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const problem = keyProblem(prefix, true);
    if (problem) throw new ObjectKeyError(`prefix '${prefix}' ${problem}`);
    const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
    const keys: string[] = [];
    await this.walk(folder, keys);
    return keys.filter((key) => key.startsWith(prefix)).sort();
  }

  async delete(keys: readonly string[]): Promise<void> {
    const files = keys.map((key) => this.pathOf(key));
    await Promise.all(
      files.map((file) =>
        rm(file, { force: true }).catch((error: unknown) => {
          throw localWriteError(error, file);
        }),
      ),
    );
  }

  /** The file of a key, or the folder of a prefix ending in `/`. */
  locate(key: string): string {
    const problem = keyProblem(key, true);
    if (problem) throw new ObjectKeyError(`key '${key}' ${problem}`);
    return join(this.rootDir, ...key.split('/'));
  }

  private pathOf(key: string): string {
    assertObjectKey(key);
    return join(this.rootDir, ...key.split('/'));
  }

  /** Writes the body to a hidden temporary file beside `file`; on failure nothing is left behind. */
  private async writeTemp(file: string, body: Uint8Array): Promise<string> {
    const folder = dirname(file);
    try {
      await mkdir(folder, { recursive: true, mode: OWNER_DIR_MODE });
    } catch (error) {
      throw localWriteError(error, folder);
    }
    const temp = join(folder, `.${basename(file)}.${randomUUID()}.tmp`);
    try {
      await writeFile(temp, body, { mode: OWNER_FILE_MODE, flag: 'wx' });
    } catch (error) {
      await rm(temp, { force: true });
      throw localWriteError(error, file);
    }
    return temp;
  }

  /** Takes an exclusive lock file, waiting a little for another holder; false when it stays taken. */
  private async acquireLock(lock: string): Promise<boolean> {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      try {
        const handle = await open(lock, 'wx', OWNER_FILE_MODE);
        await handle.close();
        return true;
      } catch (error) {
        if (!isCode(error, 'EEXIST')) throw error;
      }
      const held = await stat(lock).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) {
        await rm(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) return false;
      await sleep(20);
    }
  }

  /** Collects the keys of every file under a folder key (`''` or ending in `/`), skipping hidden entries. */
  private async walk(folder: string, keys: string[]): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.rootDir, ...folder.split('/')), { withFileTypes: true });
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) await this.walk(`${folder}${entry.name}/`, keys);
      else if (entry.isFile()) keys.push(`${folder}${entry.name}`);
    }
  }
}
