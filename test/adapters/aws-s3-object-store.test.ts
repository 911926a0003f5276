import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { S3ObjectStore } from '../../lambdas/adapters/aws/s3-object-store.ts';

const s3 = mockClient(S3Client);
const store = new S3ObjectStore({
  bucket: 'store-bucket',
  prefix: 'team/',
  client: new S3Client({ region: 'eu-west-1' }),
});
const bytes = (text: string) => new TextEncoder().encode(text);

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
    message: name,
  });
}

beforeEach(() => s3.reset());

describe('S3ObjectStore', () => {
  it('puts an object under the prefix with its content type', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('snapshots/a.json', bytes('{}'), 'application/json');
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'store-bucket',
      Key: 'team/snapshots/a.json',
      ContentType: 'application/json',
    });
  });

  it('creates with If-None-Match: * and reports false when S3 answers 412 (or 409 for a concurrent create)', async () => {
    s3.on(PutObjectCommand, { Key: 'team/mail-ledger/new.json' })
      .resolves({})
      .on(PutObjectCommand, { Key: 'team/mail-ledger/taken.json' })
      .rejects(s3Error('PreconditionFailed', 412))
      .on(PutObjectCommand, { Key: 'team/mail-ledger/racing.json' })
      .rejects(s3Error('ConditionalRequestConflict', 409));

    await expect(store.putIfAbsent('mail-ledger/new.json', bytes('a'))).resolves.toBe(true);
    await expect(store.putIfAbsent('mail-ledger/taken.json', bytes('a'))).resolves.toBe(false);
    await expect(store.putIfAbsent('mail-ledger/racing.json', bytes('a'))).resolves.toBe(false);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Key: 'team/mail-ledger/new.json',
      IfNoneMatch: '*',
    });
  });

  it('passes on other errors of a conditional create', async () => {
    s3.on(PutObjectCommand).rejects(s3Error('AccessDenied', 403));
    await expect(store.putIfAbsent('mail-ledger/x.json', bytes('a'))).rejects.toThrow('AccessDenied');
  });

  it('gets the bytes of an object, and undefined for a missing key', async () => {
    s3.on(GetObjectCommand, { Key: 'team/snapshots/m.json' })
      // The SDK's streaming body, reduced to the one method the store calls.
      .resolves({ Body: { transformToByteArray: async () => bytes('hello') } as never })
      .on(GetObjectCommand, { Key: 'team/snapshots/missing.json' })
      .rejects(
        new NoSuchKey({ message: 'The specified key does not exist.', $metadata: { httpStatusCode: 404 } }),
      );

    const body = await store.get('snapshots/m.json');
    expect(new TextDecoder().decode(body)).toBe('hello');
    await expect(store.get('snapshots/missing.json')).resolves.toBeUndefined();
  });

  // What S3 really answers for a missing key when the caller's s3:ListBucket grant does not cover it
  // (e.g. it carries an s3:prefix condition): 403 AccessDenied, not 404 NoSuchKey.
  const accessDenied = () => s3Error('AccessDenied', 403);

  it('reads a 403 on a key that listing shows absent as absent (the first run looking for its previous snapshot)', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());
    s3.on(ListObjectsV2Command, { Prefix: 'team/snapshots/_manifests/monthly/2026-09.json' }).resolves({
      Contents: [{ Key: 'team/snapshots/_manifests/monthly/2026-09.json.tmp' }],
    });

    await expect(store.get('snapshots/_manifests/monthly/2026-09.json')).resolves.toBeUndefined();
    expect(s3).toHaveReceivedCommandWith(ListObjectsV2Command, {
      Bucket: 'store-bucket',
      Prefix: 'team/snapshots/_manifests/monthly/2026-09.json',
      MaxKeys: 1,
    });
  });

  it('fails naming the key when a 403 hides an object that exists, or listing is denied too', async () => {
    s3.on(GetObjectCommand).rejects(accessDenied());
    s3.on(ListObjectsV2Command, { Prefix: 'team/snapshots/there.parquet' })
      .resolves({ Contents: [{ Key: 'team/snapshots/there.parquet' }] })
      .on(ListObjectsV2Command, { Prefix: 'team/mail-ledger/x.json' })
      .rejects(accessDenied());

    await expect(store.get('snapshots/there.parquet')).rejects.toThrow(
      's3://store-bucket/team/snapshots/there.parquet was denied (403) although the object exists: grant the role s3:GetObject on it',
    );
    await expect(store.get('mail-ledger/x.json')).rejects.toThrow(
      /s3:\/\/store-bucket\/team\/mail-ledger\/x\.json was denied \(403\) and listing it was refused too/,
    );
  });

  it('lists every page of keys under a prefix, without the store prefix, sorted', async () => {
    s3.on(ListObjectsV2Command, { Prefix: 'team/snapshots/', ContinuationToken: undefined })
      .resolves({
        Contents: [{ Key: 'team/snapshots/b/part.parquet' }, { Key: 'team/snapshots/a/part.parquet' }],
        IsTruncated: true,
        NextContinuationToken: 'page-2',
      })
      .on(ListObjectsV2Command, { Prefix: 'team/snapshots/', ContinuationToken: 'page-2' })
      .resolves({ Contents: [{ Key: 'team/snapshots/_manifests/m.json' }], IsTruncated: false });

    await expect(store.list('snapshots/')).resolves.toEqual([
      'snapshots/_manifests/m.json',
      'snapshots/a/part.parquet',
      'snapshots/b/part.parquet',
    ]);
    expect(s3).toHaveReceivedCommandTimes(ListObjectsV2Command, 2);
  });

  it('deletes in batches of at most 1000 keys', async () => {
    s3.on(DeleteObjectsCommand).resolves({});
    const keys = Array.from({ length: 2500 }, (_, i) => `snapshots/t/part-${i}.parquet`);

    await store.delete(keys);

    const batches = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects ?? []);
    expect(batches.map((b) => b.length)).toEqual([1000, 1000, 500]);
    expect(batches[0]?.[0]).toEqual({ Key: 'team/snapshots/t/part-0.parquet' });
    expect(batches[2]?.at(-1)).toEqual({ Key: 'team/snapshots/t/part-2499.parquet' });
  });

  it('does nothing for an empty delete and names the keys S3 could not delete', async () => {
    await store.delete([]);
    expect(s3).not.toHaveReceivedCommand(DeleteObjectsCommand);

    s3.on(DeleteObjectsCommand).resolves({
      Errors: [{ Key: 'team/snapshots/x', Code: 'AccessDenied', Message: 'denied' }],
    });
    await expect(store.delete(['snapshots/x'])).rejects.toThrow(
      'deleting 1 object(s) from s3://store-bucket failed: team/snapshots/x: AccessDenied denied',
    );
  });

  it('locates a key as an s3:// URI', () => {
    expect(store.locate('snapshots/')).toBe('s3://store-bucket/team/snapshots/');
  });

  it('reads the ETag as the version and replaces only with If-Match on it', async () => {
    s3.on(GetObjectCommand, { Key: 'team/leases/a.json' }).resolves({
      ETag: '"abc"',
      Body: { transformToByteArray: async () => bytes('lease') } as never,
    });
    s3.on(GetObjectCommand, { Key: 'team/leases/none.json' }).rejects(
      new NoSuchKey({ $metadata: {}, message: 'no such key' }),
    );
    s3.on(PutObjectCommand, { IfMatch: '"abc"' }).resolves({});
    s3.on(PutObjectCommand, { IfMatch: '"old"' }).rejects(s3Error('PreconditionFailed', 412));
    s3.on(PutObjectCommand, { IfMatch: '"gone"' }).rejects(s3Error('NoSuchKey', 404));

    const read = await store.getVersioned('leases/a.json');
    expect(read?.version).toBe('"abc"');
    expect(new TextDecoder().decode(read?.body)).toBe('lease');
    await expect(store.getVersioned('leases/none.json')).resolves.toBeUndefined();
    await expect(store.putIfMatch('leases/a.json', bytes('mine'), '"abc"', 'application/json')).resolves.toBe(
      true,
    );
    await expect(store.putIfMatch('leases/a.json', bytes('mine'), '"old"')).resolves.toBe(false);
    await expect(store.putIfMatch('leases/a.json', bytes('mine'), '"gone"')).resolves.toBe(false);
    expect(s3).toHaveReceivedCommandWith(PutObjectCommand, {
      Bucket: 'store-bucket',
      Key: 'team/leases/a.json',
      IfMatch: '"abc"',
      ContentType: 'application/json',
    });
  });
});
