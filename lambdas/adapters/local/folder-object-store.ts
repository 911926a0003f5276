import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { link, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { RevsegError } from '../../core/errors.ts';
import type { ObjectStore } from '../../ports/object-store.ts';

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

/**
 * ObjectStore over a local folder: key `a/b.json` is the file `<root>/a/b.json`. Writes go to a hidden
 * temporary file in the same folder and are renamed into place, so readers never see half a file.
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
      throw error;
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
      throw error;
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
    await Promise.all(files.map((file) => rm(file, { force: true })));
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

  private async writeTemp(file: string, body: Uint8Array): Promise<string> {
    await mkdir(dirname(file), { recursive: true });
    const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
    await writeFile(temp, body);
    return temp;
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
