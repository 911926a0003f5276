import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteObjectsCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../lambdas/adapters/aws/s3-object-store.ts';
import { FolderObjectStore } from '../../lambdas/adapters/local/folder-object-store.ts';
import { leaseKey, RunLease, RunLeaseError } from '../../lambdas/jobs/steps/run-lease.ts';

const LEASE_FILE = ['snapshots', '_leases', 'cadence=monthly', 'period=2026-10.json'];

describe('run lease on a local folder', () => {
  let root: string;
  let store: FolderObjectStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'revseg-lease-'));
    store = new FolderObjectStore(root);
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('refuses a second run of the same period, naming the holder, and lets it in once released', async () => {
    const first = await RunLease.acquire(store, 'monthly', '2026-10');
    const second = RunLease.acquire(store, 'monthly', '2026-10');
    await expect(second).rejects.toThrow(RunLeaseError);
    await expect(second).rejects.toThrow(
      new RegExp(
        `another run of monthly 2026-10 is in progress \\(run [0-9a-f-]{36} on .+ pid ${process.pid}`,
      ),
    );
    await expect(second).rejects.toThrow(join(root, ...LEASE_FILE));
    // Another period or cadence is not held.
    const other = await RunLease.acquire(store, 'quarterly', '2026-Q3');
    await other.release();
    await first.release();
    const again = await RunLease.acquire(store, 'monthly', '2026-10');
    await again.release();
  });

  it('gives the period to exactly one of many runs starting at once', async () => {
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => RunLease.acquire(store, 'monthly', '2026-10')),
    );
    const won = attempts.filter((a) => a.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const a of attempts) if (a.status === 'rejected') expect(a.reason).toBeInstanceOf(RunLeaseError);
    await (won[0] as PromiseFulfilledResult<RunLease>).value.release();
  });

  it('takes over an expired lease, and of two runs taking it over only one wins', async () => {
    let now = new Date('2026-11-02T09:00:00Z');
    const clock = () => now;
    const stale = await RunLease.acquire(store, 'monthly', '2026-10', { now: clock, ttlMs: 60_000 });
    now = new Date('2026-11-02T09:05:00Z');
    const takeovers = await Promise.allSettled([
      RunLease.acquire(store, 'monthly', '2026-10', { now: clock, ttlMs: 60_000 }),
      RunLease.acquire(store, 'monthly', '2026-10', { now: clock, ttlMs: 60_000 }),
    ]);
    expect(takeovers.filter((t) => t.status === 'fulfilled')).toHaveLength(1);
    // The run that was taken over learns it before it writes or mails anything, and releases nothing.
    await expect(stale.assertHeld()).rejects.toThrow(/lost its lease .* it stops here/);
    await stale.release();
    expect(await store.get(leaseKey('monthly', '2026-10'))).toBeDefined();
    const winner = takeovers.find((t) => t.status === 'fulfilled') as PromiseFulfilledResult<RunLease>;
    await winner.value.assertHeld();
    await winner.value.release();
  });

  it('takes over at once the lease of a process on this host that is gone (killed with SIGKILL)', async () => {
    const dead = await RunLease.acquire(store, 'monthly', '2026-10', { host: 'laptop' });
    const file = join(root, ...LEASE_FILE);
    const entry = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...entry, pid: 999_999 }));
    const alive = (pid: number) => pid !== 999_999;
    await expect(
      RunLease.acquire(store, 'monthly', '2026-10', { host: 'other-host', isAlive: alive }),
    ).rejects.toThrow(RunLeaseError);
    const next = await RunLease.acquire(store, 'monthly', '2026-10', { host: 'laptop', isAlive: alive });
    await expect(dead.assertHeld()).rejects.toThrow(RunLeaseError);
    await next.release();
  });

  it('tells a live holder from a later process that got its pid (Linux /proc start time)', async () => {
    const file = join(root, ...LEASE_FILE);
    const held = await RunLease.acquire(store, 'monthly', '2026-10');
    const entry = JSON.parse(await readFile(file, 'utf8'));
    await held.release();
    const stat = await readFile(`/proc/${process.ppid}/stat`, 'utf8');
    const parentStart = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    // The parent process is alive: as the holder it keeps the lease...
    await store.put(
      leaseKey('monthly', '2026-10'),
      new TextEncoder().encode(JSON.stringify({ ...entry, pid: process.ppid, pidStart: parentStart })),
    );
    await expect(RunLease.acquire(store, 'monthly', '2026-10')).rejects.toThrow(RunLeaseError);
    // ...but a holder that started at another time was another process, now gone.
    await store.put(
      leaseKey('monthly', '2026-10'),
      new TextEncoder().encode(JSON.stringify({ ...entry, pid: process.ppid, pidStart: '1' })),
    );
    const next = await RunLease.acquire(store, 'monthly', '2026-10');
    await next.release();
  });

  it('takes over a lease that cannot be read', async () => {
    const file = join(root, ...LEASE_FILE);
    await store.put(leaseKey('monthly', '2026-10'), new TextEncoder().encode(''));
    const lease = await RunLease.acquire(store, 'monthly', '2026-10');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid });
    await lease.release();
  });
});

describe('run lease on S3', () => {
  const s3 = mockClient(S3Client);
  const objects = new Map<string, { body: Uint8Array; etag: string }>();
  let writes = 0;
  const failed = (status: number) =>
    new S3ServiceException({
      name: 'PreconditionFailed',
      $fault: 'client',
      $metadata: { httpStatusCode: status },
      message: 'no',
    });

  beforeEach(() => {
    s3.reset();
    objects.clear();
    s3.on(PutObjectCommand).callsFake(async (input) => {
      const key = input.Key as string;
      if (input.IfNoneMatch === '*' && objects.has(key)) throw failed(412);
      if (input.IfMatch !== undefined && objects.get(key)?.etag !== input.IfMatch) throw failed(412);
      const etag = `"${++writes}"`;
      objects.set(key, { body: input.Body as Uint8Array, etag });
      return { ETag: etag };
    });
    s3.on(GetObjectCommand).callsFake(async (input) => {
      const object = objects.get(input.Key as string);
      if (!object) throw new NoSuchKey({ message: 'no such key', $metadata: {} });
      return { ETag: object.etag, Body: { transformToByteArray: async () => object.body } };
    });
    s3.on(DeleteObjectsCommand).callsFake(async (input) => {
      for (const o of input.Delete?.Objects ?? []) objects.delete(o.Key as string);
      return {};
    });
  });

  it('creates the lease with If-None-Match, refuses a second run and replaces a stale one with If-Match', async () => {
    const store = new S3ObjectStore({ bucket: 'b', client: new S3Client({ region: 'eu-west-1' }) });
    let now = new Date('2026-11-02T09:00:00Z');
    const options = { now: () => now, ttlMs: 60_000, host: 'lambda-a' };
    const first = await RunLease.acquire(store, 'monthly', '2026-10', options);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: 'snapshots/_leases/cadence=monthly/period=2026-10.json',
      IfNoneMatch: '*',
    });
    await expect(
      RunLease.acquire(store, 'monthly', '2026-10', { ...options, host: 'lambda-b' }),
    ).rejects.toThrow(
      /another run of monthly 2026-10 is in progress .*s3:\/\/b\/snapshots\/_leases\/cadence=monthly\/period=2026-10\.json expires at 2026-11-02T09:01:00\.000Z/,
    );

    now = new Date('2026-11-02T09:02:00Z');
    const etagBefore = objects.get(leaseKey('monthly', '2026-10'))?.etag;
    const second = await RunLease.acquire(store, 'monthly', '2026-10', { ...options, host: 'lambda-b' });
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, { IfMatch: etagBefore });
    await expect(first.assertHeld()).rejects.toThrow(RunLeaseError);
    await second.assertHeld();
    await second.release();
    expect(objects.size).toBe(0);
  });
});
