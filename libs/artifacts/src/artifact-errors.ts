/**
 * Errors of the artifact store and of staging. Each carries what it is about (the file's name,
 * the hashes, the key, the range) so a build can fail with "numpy-2.0.0-…whl: sha256 … is not
 * the expected …" and an HTTP handler can map a missing artifact to 404 and a bad range to 416.
 */

/** Base class of everything libs/artifacts throws on purpose. */
export class ArtifactError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The bytes put into the store do not hash to the sha256 they were promised to: a corrupt or
 * tampered download. Nothing was stored.
 */
export class HashMismatchError extends ArtifactError {
  constructor(
    /** The file's name (a wheel's filename, a tarball's key), or null when the caller gave none. */
    readonly filename: string | null,
    readonly expected: string,
    readonly actual: string,
    /** Bytes received. */
    readonly size: number,
    /** Where the bytes came from (a URL), when known. */
    readonly source: string | null = null,
  ) {
    super(`${filename ?? 'artifact'}: sha256 ${actual} of ${size} bytes${source === null ? '' : ` from ${source}`} is not the expected ${expected}; nothing was stored`);
  }
}

/** A file to stage has no sha256: builds install only files whose hash is known in advance. */
export class MissingHashError extends ArtifactError {
  constructor(
    readonly filename: string,
    readonly url: string | null = null,
  ) {
    super(`${filename}: no sha256 is known for this file, and builds install only hash-verified files`);
  }
}

/** A blob or named object that is not in the store. */
export class ArtifactNotFoundError extends ArtifactError {
  constructor(
    /** `sha256:<hex>` or `<namespace>/<key>`. */
    readonly artifact: string,
  ) {
    super(`${artifact} is not in the artifact store`);
  }
}

/** A byte range that does not overlap the object (HTTP 416). */
export class RangeNotSatisfiableError extends ArtifactError {
  constructor(
    readonly artifact: string,
    readonly range: { readonly start: number; readonly end?: number },
    /** The object's size, for `Content-Range: bytes *\/size`. */
    readonly size: number,
  ) {
    super(`${artifact}: range ${range.start}-${range.end ?? ''} is outside its ${size} bytes`);
  }
}

/** A sha256, namespace, key or filename that is malformed or unsafe as a path. */
export class InvalidArtifactNameError extends ArtifactError {
  constructor(
    /** What was named: `sha256`, `namespace`, `key`, `filename`. */
    readonly kind: string,
    readonly value: string,
    readonly reason: string,
  ) {
    super(`invalid ${kind} ${JSON.stringify(value)}: ${reason}`);
  }
}

/** `VENVFARM_STORE` (or `--store`) names no store this library can open. */
export class InvalidStoreSpecError extends ArtifactError {
  constructor(
    readonly spec: string,
    readonly reason: string,
  ) {
    super(`invalid artifact store ${JSON.stringify(spec)}: ${reason} (expected file:///path, a path, or s3://bucket/prefix)`);
  }
}

/**
 * A file could not be fetched into the store while staging (the fetcher failed, or its stream
 * broke); the cause says how. Hash mismatches and missing hashes are not wrapped.
 */
export class StageFetchError extends ArtifactError {
  constructor(
    readonly filename: string,
    readonly url: string,
    options: { cause: unknown },
  ) {
    super(`${filename}: fetching ${url} into the artifact store failed: ${describe(options.cause)}`, options);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
