/**
 * The S3 adapter (`VENVFARM_STORE=s3://bucket/prefix`), for stores shared by workers on many
 * hosts. Keys mirror the filesystem layout under the prefix: `blobs/sha256/ab/cdef…` and
 * `named/<namespace>/<key>`.
 *
 * A put first spools the source to a local temporary file while hashing it (verified-spool.ts),
 * and uploads only verified bytes, in one PutObject with a known length: S3 makes an object
 * visible only when its upload is complete, so a mismatch or a crash leaves nothing behind, and
 * there is no temporary object to copy and clean up. The upload carries the sha256 as its
 * checksum, so S3 itself refuses bytes damaged on the way. A blob that is already there is not
 * uploaded again.
 *
 * The client is made without the SDK's default CRC trailers (`requestChecksumCalculation:
 * WHEN_REQUIRED`): S3-compatible servers (MinIO before 2025, Ceph, s3rver) do not all speak
 * aws-chunked uploads, and the sha256 above covers integrity.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { ArtifactNotFoundError } from './artifact-errors';
import { ByteRange, checkedOrDestroy, checkSegment, checkSha256, resolveRange } from './artifact-names';
import { ArtifactStore, PutHint, PutResult } from './artifact-store';
import { spoolVerified } from './verified-spool';

/** Where and how the S3 store works. */
export interface S3ArtifactStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix, with or without a trailing slash; '' for the bucket's root. */
  readonly prefix?: string;
  /** Local folder for the temporary files of puts. Default the OS's temporary folder. */
  readonly spoolDir?: string;
}

/**
 * An S3 client configured from the environment: the SDK's usual variables and files for
 * credentials and region (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`,
 * `AWS_REGION`, `AWS_PROFILE`, instance roles), plus `VENVFARM_S3_ENDPOINT` for an
 * S3-compatible server, which is then addressed path-style (`http://host/bucket/key`).
 */
export function s3ClientFromEnv(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.VENVFARM_S3_ENDPOINT || undefined;
  const credentials =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, sessionToken: env.AWS_SESSION_TOKEN || undefined }
      : undefined;
  return new S3Client({
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
    endpoint,
    forcePathStyle: endpoint !== undefined,
    credentials,
    maxAttempts: 5,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Content-addressed blobs and named objects in an S3 bucket. */
export class S3ArtifactStore extends ArtifactStore {
  readonly location: string;
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly spoolDir: string;

  constructor(options: S3ArtifactStoreOptions) {
    super();
    this.client = options.client;
    this.bucket = options.bucket;
    const prefix = (options.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.prefix = prefix === '' ? '' : `${prefix}/`;
    this.spoolDir = options.spoolDir ?? tmpdir();
    this.location = `s3://${this.bucket}/${this.prefix}`;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    return this.head(this.blobKey(sha256));
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    return this.get(this.blobKey(sha256), `sha256:${checkSha256(sha256)}`, range);
  }

  async put(source: Readable, expectedSha256: string | null, hint: PutHint = {}): Promise<PutResult> {
    const spooled = await spoolVerified(source, this.spoolDir, expectedSha256, hint);
    try {
      const key = this.blobKey(spooled.sha256);
      if ((await this.head(key)) !== spooled.size) await this.upload(key, spooled.path, spooled.size, spooled.sha256);
      return { sha256: spooled.sha256, size: spooled.size };
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  async putNamed(namespace: string, key: string, source: Readable, expectedSha256: string | null = null, hint: PutHint = {}): Promise<PutResult> {
    const objectKey = checkedOrDestroy(source, () => this.namedKey(namespace, key));
    const spooled = await spoolVerified(source, this.spoolDir, expectedSha256, { name: `${namespace}/${key}`, ...hint });
    try {
      await this.upload(objectKey, spooled.path, spooled.size, spooled.sha256);
      return { sha256: spooled.sha256, size: spooled.size };
    } finally {
      await rm(spooled.path, { force: true });
    }
  }

  async statNamed(namespace: string, key: string): Promise<number | null> {
    return this.head(this.namedKey(namespace, key));
  }

  async readNamed(namespace: string, key: string, range?: ByteRange): Promise<Readable> {
    return this.get(this.namedKey(namespace, key), `${namespace}/${key}`, range);
  }

  override async close(): Promise<void> {
    this.client.destroy();
  }

  private blobKey(sha256: string): string {
    const hex = checkSha256(sha256);
    return `${this.prefix}blobs/sha256/${hex.slice(0, 2)}/${hex.slice(2)}`;
  }

  private namedKey(namespace: string, key: string): string {
    return `${this.prefix}named/${checkSegment('namespace', namespace)}/${checkSegment('key', key)}`;
  }

  private async head(key: string): Promise<number | null> {
    try {
      const answer = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return answer.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  private async upload(key: string, path: string, size: number, sha256: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: createReadStream(path),
        ContentLength: size,
        ContentType: 'application/octet-stream',
        ChecksumSHA256: Buffer.from(sha256, 'hex').toString('base64'),
      }),
    );
  }

  /** A range is checked against the object's size first, so a bad one is refused before any byte is sent. */
  private async get(key: string, artifact: string, range: ByteRange | undefined): Promise<Readable> {
    let bounds: { start: number; end: number } | undefined;
    if (range !== undefined) {
      const size = await this.head(key);
      if (size === null) throw new ArtifactNotFoundError(artifact);
      bounds = resolveRange(artifact, range, size);
    }
    try {
      const header = bounds === undefined ? undefined : `bytes=${bounds.start}-${bounds.end}`;
      const answer = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: header }));
      if (!(answer.Body instanceof Readable)) throw new Error(`S3 answered ${key} without a body stream`);
      if (bounds === undefined) return answer.Body;
      // A server may answer more than the range (HTTP lets it ignore Range; s3rver reads
      // `bytes=0-0` as everything): cut what was asked out of what came.
      const servedFrom = Number(/^bytes (\d+)-/.exec(answer.ContentRange ?? '')?.[1] ?? 0);
      const wanted = bounds.end - bounds.start + 1;
      if (servedFrom === bounds.start && answer.ContentLength === wanted) return answer.Body;
      if (servedFrom > bounds.start) throw new Error(`S3 answered ${key} from byte ${servedFrom}, not ${bounds.start}`);
      return sliceStream(answer.Body, bounds.start - servedFrom, wanted);
    } catch (error) {
      if (isNotFound(error)) throw new ArtifactNotFoundError(artifact);
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.$metadata?.httpStatusCode === 404 || e?.name === 'NotFound' || e?.name === 'NoSuchKey';
}

/** The `length` bytes of `source` after the first `skip`; the source is let go once they are out. */
function sliceStream(source: Readable, skip: number, length: number): Readable {
  return Readable.from(
    (async function* () {
      let position = 0;
      // Leaving the loop early destroys the source (the async iterator's return).
      for await (const chunk of source as AsyncIterable<Buffer>) {
        const from = Math.max(0, skip - position);
        const to = Math.min(chunk.length, skip + length - position);
        position += chunk.length;
        if (from < to) yield chunk.subarray(from, to);
        if (position >= skip + length) return;
      }
    })(),
    { objectMode: false },
  );
}
