/** A key/value blob store for snapshots, manifests and the mail ledger (a folder locally, S3 on AWS). */
export interface ObjectStore {
  /** Writes (or replaces) an object. */
  put(key: string, body: Uint8Array, contentType?: string): Promise<void>;
  /**
   * Writes an object only if no object exists at that key (S3 `If-None-Match: *`, exclusive create locally).
   * @returns true when this call created it, false when it already existed.
   */
  putIfAbsent(key: string, body: Uint8Array, contentType?: string): Promise<boolean>;
  /** Reads an object, or undefined when it does not exist. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Lists every key under a prefix (recursively), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Deletes the given keys; missing keys are ignored. */
  delete(keys: readonly string[]): Promise<void>;
  /** Where a key lives, for people: a file path or an s3:// URI. */
  locate(key: string): string;
}
