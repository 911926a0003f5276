import {
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { RevsegError } from '../../core/errors.ts';
import type { ObjectStore, VersionedObject } from '../../ports/object-store.ts';

const defaultS3 = new S3Client({});

/** S3 allows at most this many keys per DeleteObjects request. */
const DELETE_BATCH = 1000;

export interface S3ObjectStoreProps {
  readonly bucket: string;
  /** Prepended to every key, e.g. `team-a/`. @default '' */
  readonly prefix?: string;
  readonly client?: S3Client;
}

/** The object store on S3: snapshots, manifests and the mail ledger live under one bucket (and prefix). */
export class S3ObjectStore implements ObjectStore {
  private readonly client: S3Client;
  private readonly prefix: string;

  constructor(private readonly props: S3ObjectStoreProps) {
    this.client = props.client ?? defaultS3;
    this.prefix = props.prefix ?? '';
  }

  async put(key: string, body: Uint8Array, contentType?: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.props.bucket,
        Key: this.prefix + key,
        Body: body,
        ContentType: contentType,
      }),
    );
  }

  async putIfAbsent(key: string, body: Uint8Array, contentType?: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.props.bucket,
          Key: this.prefix + key,
          Body: body,
          ContentType: contentType,
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (error) {
      // 412: the object exists. 409: another conditional write to the same key is in flight, so
      // someone else is creating it; either way this caller did not.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 412 || status === 409) return false;
      throw error;
    }
  }

  async putIfMatch(key: string, body: Uint8Array, version: string, contentType?: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.props.bucket,
          Key: this.prefix + key,
          Body: body,
          ContentType: contentType,
          IfMatch: version,
        }),
      );
      return true;
    } catch (error) {
      // 412: the ETag changed; 409: a concurrent conditional write; 404: the object was deleted meanwhile.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 412 || status === 409 || status === 404) return false;
      throw error;
    }
  }

  async getVersioned(key: string): Promise<VersionedObject | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.props.bucket, Key: this.prefix + key }),
      );
      if (!out.ETag)
        throw new RevsegError(`s3://${this.props.bucket}/${this.prefix}${key} came back without an ETag`);
      return { body: out.Body ? await out.Body.transformToByteArray() : new Uint8Array(), version: out.ETag };
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      if (isAccessDenied(error)) return this.absentOrDenied(key, error);
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.props.bucket, Key: this.prefix + key }),
      );
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      if (isAccessDenied(error)) return this.absentOrDenied(key, error);
      throw error;
    }
  }

  /**
   * S3 answers a GET of a missing key with 403 AccessDenied, not 404, when the caller may not list that key
   * (e.g. its s3:ListBucket grant carries an s3:prefix condition). Listing exactly that key tells the two
   * apart: absent when it is not listed, a real denial (thrown, naming the key) when it is.
   */
  private async absentOrDenied(key: string, denied: unknown): Promise<undefined> {
    const fullKey = this.prefix + key;
    let listed: boolean;
    try {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.props.bucket, Prefix: fullKey, MaxKeys: 1 }),
      );
      listed = (out.Contents ?? []).some((o) => o.Key === fullKey);
    } catch (error) {
      throw new RevsegError(
        `reading ${this.locate(key)} was denied (403) and listing it was refused too (${(error as Error).message}): ` +
          'grant the role s3:GetObject on the key and s3:ListBucket on the bucket',
        { cause: denied },
      );
    }
    if (!listed) return undefined;
    throw new RevsegError(
      `reading ${this.locate(key)} was denied (403) although the object exists: grant the role s3:GetObject on it`,
      { cause: denied },
    );
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.props.bucket, Prefix: this.prefix + prefix },
    );
    for await (const page of pages) {
      for (const object of page.Contents ?? []) {
        if (object.Key) keys.push(object.Key.slice(this.prefix.length));
      }
    }
    return keys.sort();
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (let start = 0; start < keys.length; start += DELETE_BATCH) {
      const batch = keys.slice(start, start + DELETE_BATCH);
      const out = await this.client.send(
        new DeleteObjectsCommand({
          Bucket: this.props.bucket,
          Delete: { Objects: batch.map((key) => ({ Key: this.prefix + key })), Quiet: true },
        }),
      );
      const errors = out.Errors ?? [];
      if (errors.length > 0) {
        const detail = errors.map((e) => `${e.Key}: ${e.Code} ${e.Message ?? ''}`.trim()).join('; ');
        throw new RevsegError(
          `deleting ${errors.length} object(s) from s3://${this.props.bucket} failed: ${detail}`,
        );
      }
    }
  }

  locate(key: string): string {
    return `s3://${this.props.bucket}/${this.prefix}${key}`;
  }
}

function isAccessDenied(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.name === 'AccessDenied' || error.$metadata.httpStatusCode === 403)
  );
}
