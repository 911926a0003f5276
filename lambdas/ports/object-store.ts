/** An object's bytes with an opaque version of them (the S3 ETag; a content hash locally). */
export interface VersionedObject {
  readonly body: Uint8Array;
  readonly version: string;
}

/** A key/value blob store for snapshots, manifests and the mail ledger (a folder locally, S3 on AWS). */
export interface ObjectStore {
  /** Writes (or replaces) an object. */
  put(key: string, body: Uint8Array, contentType?: string): Promise<void>;
  /**
   * Writes an object only if no object exists at that key (S3 `If-None-Match: *`, exclusive create locally).
   * @returns true when this call created it, false when it already existed.
   */
  putIfAbsent(key: string, body: Uint8Array, contentType?: string): Promise<boolean>;
  /**
   * Replaces an object only if it is still at `version` (S3 `If-Match: <ETag>`; locally under an exclusive lock):
   * a compare-and-swap, so of two writers that read the same version only one wins.
   * @returns true when this call replaced it, false when it changed or vanished since it was read.
   */
  putIfMatch(key: string, body: Uint8Array, version: string, contentType?: string): Promise<boolean>;
  /** Reads an object with its version (for `putIfMatch`), or undefined when it does not exist. */
  getVersioned(key: string): Promise<VersionedObject | undefined>;
  /** Reads an object, or undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Lists every key under a prefix (recursively), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes the given keys; missing keys are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /** Where a key lives, for people: a file path or an s3:// URI. */
  locate(key: string): string;
}
