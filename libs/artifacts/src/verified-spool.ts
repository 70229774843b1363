/**
 * The first half of every put: stream the source into a fresh temporary file, hashing on the way,
 * fsync it, and check the hash. What comes back is a complete, durable, verified file that the
 * adapter then publishes (a rename, an upload) and nothing has been published yet. On a mismatch
 * or a source error the temporary file is removed before the error is thrown.
 *
 * The file is created read-only (0444): a blob is immutable, and a hard link to it in a staging
 * folder must not let a build scribble over the store's copy.
 */
import { createHash, randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { HashMismatchError } from './artifact-errors';
import { checkSha256 } from './artifact-names';
import { PutHint } from './artifact-store';

/** A verified temporary file, not yet published. */
export interface SpooledFile {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

/** Suffix of temporary files, so stale ones can be recognised. */
export const SPOOL_SUFFIX = '.part';

/**
 * Writes `source` to a new file in `dir` and verifies it against `expectedSha256`.
 * @throws HashMismatchError, or the source's or the filesystem's error; the file is gone then.
 */
export async function spoolVerified(source: Readable, dir: string, expectedSha256: string | null, hint: PutHint = {}): Promise<SpooledFile> {
  let expected: string | null;
  try {
    expected = expectedSha256 === null ? null : checkSha256(expectedSha256);
  } catch (error) {
    source.destroy();
    throw error;
  }
  const path = join(dir, `${randomUUID()}${SPOOL_SUFFIX}`);
  const hash = createHash('sha256');
  let size = 0;
  let handle;
  try {
    handle = await open(path, 'wx', 0o444);
  } catch (error) {
    source.destroy();
    throw error;
  }
  try {
    for await (const chunk of source) {
      const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      hash.update(bytes);
      size += bytes.length;
      for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset, bytes.length - offset)).bytesWritten;
    }
    await handle.sync();
    await handle.close();
    const actual = hash.digest('hex');
    if (expected !== null && actual !== expected) throw new HashMismatchError(hint.name ?? null, expected, actual, size, hint.source ?? null);
    return { path, sha256: actual, size };
  } catch (error) {
    source.destroy();
    await handle.close().catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}
