/**
 * The artifact store port: where the build farm keeps distribution files and environment
 * tarballs. Blobs are content-addressed by sha256, so a wheel fetched once serves every later
 * build, and identical puts are harmless. Named objects hold what is looked up by another key
 * (a tarball by its build key) and are written the same way.
 *
 * Every write is all or nothing: the bytes go to a temporary place, are hashed on the way, made
 * durable, checked against the sha256 they were promised to, and only then become visible under
 * their name (a rename on a filesystem, one PUT on S3). A mismatch, a broken source stream or a
 * crash leaves nothing that `has`, `size` or `read` can see.
 *
 * An abstract class rather than an interface so that it can serve as its own NestJS injection
 * token; nothing here depends on NestJS.
 */
import { Readable } from 'node:stream';
import { ByteRange } from './artifact-names';

/** What a put stored. */
export interface PutResult {
  /** Lower-case hex sha256 of the bytes. */
  readonly sha256: string;
  readonly size: number;
}

/** Context for error messages. */
export interface PutHint {
  /** The file's name, e.g. the wheel's filename. */
  readonly name?: string;
  /** Where the bytes come from, e.g. the URL. */
  readonly source?: string;
}

/** A content-addressed store of blobs plus a few named objects. */
export abstract class ArtifactStore {
  /** Where the store is, for logs: `file:///var/lib/venvfarm/artifacts`, `s3://bucket/prefix/`. */
  abstract readonly location: string;

  /** Whether the blob is stored. @throws InvalidArtifactNameError */
  abstract has(sha256: string): Promise<boolean>;

  /** The blob's size in bytes, or null when it is not stored. */
  abstract size(sha256: string): Promise<number | null>;

  /**
   * The blob's bytes, or the bytes of `range`. Resolves once the blob is known to exist, so a
   * caller can still answer 404 or 416 before it sends anything.
   * @throws ArtifactNotFoundError, RangeNotSatisfiableError
   */
  abstract read(sha256: string, range?: ByteRange): Promise<Readable>;

  /**
   * Streams `source` into the store. With `expectedSha256`, the blob becomes visible only when
   * the bytes hash to it; without, it is stored under whatever they hash to. Putting a blob that
   * is already stored, also concurrently, is safe and stores it once.
   * @throws HashMismatchError (nothing stored), or the source's own error (nothing stored).
   */
  abstract put(source: Readable, expectedSha256: string | null, hint?: PutHint): Promise<PutResult>;

  /**
   * The blob's path on the local filesystem (to hard-link or bind-mount it), for stores that have
   * one; null for remote stores. The path is where the blob is or would be: check `has` first.
   */
  localPath(_sha256: string): string | null {
    return null;
  }

  /**
   * Stores `source` as `namespace/key`, replacing an object of that name atomically, with the
   * same verification as {@link put} when `expectedSha256` is given.
   * @throws InvalidArtifactNameError, HashMismatchError (nothing stored).
   */
  abstract putNamed(namespace: string, key: string, source: Readable, expectedSha256?: string | null, hint?: PutHint): Promise<PutResult>;

  /** Whether `namespace/key` is stored. */
  async hasNamed(namespace: string, key: string): Promise<boolean> {
    return (await this.statNamed(namespace, key)) !== null;
  }

  /** The size of `namespace/key` in bytes (for `Content-Length`), or null when it is not stored. */
  abstract statNamed(namespace: string, key: string): Promise<number | null>;

  /**
   * The bytes of `namespace/key`, or of `range` (for HTTP `Range`).
   * @throws ArtifactNotFoundError, RangeNotSatisfiableError
   */
  abstract readNamed(namespace: string, key: string, range?: ByteRange): Promise<Readable>;

  /** Releases what the store holds open (an S3 client's sockets). */
  async close(): Promise<void> {}
}
