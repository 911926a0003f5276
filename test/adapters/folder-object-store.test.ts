import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FolderObjectStore, ObjectKeyError } from '../../lambdas/adapters/local/folder-object-store.ts';

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

async function allFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => e.name);
}

describe('FolderObjectStore', () => {
  let root: string;
  let store: FolderObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'revseg-store-'));
    store = new FolderObjectStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('maps a key to a file under the root and reads it back', async () => {
    await store.put('snapshots/a/part.parquet', text('one'));
    expect(await readFile(join(root, 'snapshots', 'a', 'part.parquet'), 'utf8')).toBe('one');
    expect(str(await store.get('snapshots/a/part.parquet'))).toBe('one');
    expect(store.locate('snapshots/a/part.parquet')).toBe(join(root, 'snapshots', 'a', 'part.parquet'));
    expect(store.locate('snapshots/')).toBe(join(root, 'snapshots'));
  });

  it('replaces an object and leaves no temporary file behind', async () => {
    await store.put('k/v.json', text('first'));
    await store.put('k/v.json', text('second'));
    expect(str(await store.get('k/v.json'))).toBe('second');
    expect(await allFiles(root)).toEqual(['v.json']);
  });

  it('returns undefined for a missing object', async () => {
    expect(await store.get('nothing/here.json')).toBeUndefined();
  });

  it('lists recursively and sorted, by string prefix like S3, skipping hidden files', async () => {
    for (const key of ['b/2/x', 'a/1', 'b/1', 'b/10/y', 'ba/z', 'b/2/a']) await store.put(key, text(key));
    await writeFile(join(root, 'b', '.DS_Store'), 'finder');
    expect(await store.list('b/')).toEqual(['b/1', 'b/10/y', 'b/2/a', 'b/2/x']);
    expect(await store.list('b')).toEqual(['b/1', 'b/10/y', 'b/2/a', 'b/2/x', 'ba/z']);
    expect(await store.list('b/1')).toEqual(['b/1', 'b/10/y']);
    expect(await store.list('')).toEqual(['a/1', 'b/1', 'b/10/y', 'b/2/a', 'b/2/x', 'ba/z']);
    expect(await store.list('missing/')).toEqual([]);
    expect(await store.list('a/1/')).toEqual([]);
  });

  it('deletes the given keys and ignores missing ones', async () => {
    await store.put('d/1', text('1'));
    await store.put('d/2', text('2'));
    await store.delete(['d/1', 'd/never']);
    expect(await store.list('d/')).toEqual(['d/2']);
  });

  it('putIfAbsent creates once, then refuses without touching the object', async () => {
    expect(await store.putIfAbsent('ledger/m.json', text('claim-1'))).toBe(true);
    expect(await store.putIfAbsent('ledger/m.json', text('claim-2'))).toBe(false);
    expect(str(await store.get('ledger/m.json'))).toBe('claim-1');
    expect(await allFiles(root)).toEqual(['m.json']);
  });

  it('putIfAbsent lets exactly one of many concurrent callers win, with its whole body', async () => {
    const bodies = Array.from({ length: 25 }, (_, i) => `claim-${i}-${'x'.repeat(100_000)}`);
    const results = await Promise.all(
      bodies.map((body) => new FolderObjectStore(root).putIfAbsent('ledger/race.json', text(body))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(str(await store.get('ledger/race.json'))).toBe(bodies[winner]);
    expect(await allFiles(root)).toEqual(['race.json']);
  });

  it.each([
    ['', 'is empty'],
    ['/etc/passwd', 'is absolute'],
    ['C:/x', 'is absolute'],
    ['a/../../x', "contains '..'"],
    ['..', "contains '..'"],
    ['a/./b', "contains '.'"],
    ['a//b', 'contains an empty folder name'],
    ['a\\b', 'contains a backslash'],
    ['a/b/', 'ends with /'],
    ['a/.hidden', "has a part starting with '.'"],
    ['x'.repeat(1025), 'is longer than 1024 characters'],
  ])('rejects key %j: %s', async (key, problem) => {
    await expect(store.put(key, text('x'))).rejects.toThrow(ObjectKeyError);
    await expect(store.putIfAbsent(key, text('x'))).rejects.toThrow(problem);
    await expect(store.get(key)).rejects.toThrow(problem);
    await expect(store.delete(['ok', key])).rejects.toThrow(problem);
    expect(await allFiles(root)).toEqual([]);
  });

  it.each(['../', '/abs/', 'a/../'])('rejects list prefix %j', async (prefix) => {
    await expect(store.list(prefix)).rejects.toThrow(ObjectKeyError);
  });
});

describe('FolderObjectStore compare-and-swap and file modes', () => {
  let root: string;
  let store: FolderObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'revseg-store-'));
    store = new FolderObjectStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('replaces an object only at the version it was read at', async () => {
    await store.put('ledger/a.json', text('claimed'));
    const read = await store.getVersioned('ledger/a.json');
    expect(str(read?.body)).toBe('claimed');
    const version = read?.version ?? '';
    expect(await store.putIfMatch('ledger/a.json', text('sent'), version)).toBe(true);
    expect(await store.putIfMatch('ledger/a.json', text('overwritten'), version)).toBe(false);
    expect(str(await store.get('ledger/a.json'))).toBe('sent');
    expect(await store.putIfMatch('ledger/missing.json', text('x'), version)).toBe(false);
    expect(await store.getVersioned('ledger/missing.json')).toBeUndefined();
    expect(await allFiles(root)).toEqual(['a.json']);
  });

  it('lets exactly one of many concurrent swaps from the same version win', async () => {
    await store.put('ledger/a.json', text('failed'));
    const version = (await store.getVersioned('ledger/a.json'))?.version ?? '';
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => store.putIfMatch('ledger/a.json', text(`claim ${i}`), version)),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(str(await store.get('ledger/a.json'))).toBe(`claim ${winner}`);
    expect(await allFiles(root)).toEqual(['a.json']);
  });

  it('takes over a lock left by a killed process once it is stale', async () => {
    await store.put('ledger/a.json', text('failed'));
    const version = (await store.getVersioned('ledger/a.json'))?.version ?? '';
    const lock = join(root, 'ledger', '.a.json.lock');
    await writeFile(lock, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(lock, old, old);
    expect(await store.putIfMatch('ledger/a.json', text('claimed'), version)).toBe(true);
  });

  it('writes files 0600 and folders 0700, whatever the umask', async () => {
    const previous = process.umask(0o022);
    try {
      await store.put('snapshots/t/part.parquet', text('x'));
      await store.putIfAbsent('mail-ledger/p/a.json', text('x'));
    } finally {
      process.umask(previous);
    }
    expect((await stat(join(root, 'snapshots', 't', 'part.parquet'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'mail-ledger', 'p', 'a.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(root, 'snapshots', 't'))).mode & 0o777).toBe(0o700);
  });
});
