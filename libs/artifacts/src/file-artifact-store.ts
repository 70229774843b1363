/**
 * The filesystem adapter (the default store): blobs at `<root>/blobs/sha256/ab/cdef…` (the first
 * two hex digits as a folder, so no folder holds more than 1/256 of the blobs), named objects at
 * `<root>/named/<namespace>/<key>`, temporary files in `<root>/tmp`. The temporary folder is on
 * the same filesystem as the blobs, so publishing is one atomic `rename(2)`; the folder is
 * fsynced after it so the name survives a power cut too.
 *
 * Concurrent puts of one blob (two workers staging the same wheel) each write their own
 * temporary file; the first rename publishes it and the second replaces it by identical bytes
 * (or is dropped when the blob is already there), so readers only ever see a whole blob.
 * Temporary files left by a crashed process are removed when the store is opened, once they
 * are older than an hour (a put still writing keeps its file's mtime fresh).
 */
import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Readable } from 'node:stream';
import { ArtifactNotFoundError } from './artifact-errors';
import { ByteRange, checkedOrDestroy, checkSegment, checkSha256, resolveRange } from './artifact-names';
import { ArtifactStore, PutHint, PutResult } from './artifact-store';
import { SPOOL_SUFFIX, spoolVerified } from './verified-spool';

/** How the filesystem store is opened. */
export interface FileArtifactStoreOptions {
  /** Temporary files older than this are removed at open. Default one hour. */
  readonly staleTempMs?: number;
}

/** Content-addressed blobs and named objects in a folder. */
export class FileArtifactStore extends ArtifactStore {
  readonly root: string;
  readonly location: string;
  private readonly tmpDir: string;

  /** Use {@link FileArtifactStore.open}, which makes the folders and sweeps stale temporary files. */
  private constructor(root: string) {
    super();
    this.root = resolve(root);
    this.location = pathToFileURL(this.root).toString();
    this.tmpDir = join(this.root, 'tmp');
  }

  /** Opens (creating it if need be) the store at `root`. */
  static async open(root: string, options: FileArtifactStoreOptions = {}): Promise<FileArtifactStore> {
    const store = new FileArtifactStore(root);
    await mkdir(store.tmpDir, { recursive: true });
    await mkdir(join(store.root, 'blobs', 'sha256'), { recursive: true });
    await mkdir(join(store.root, 'named'), { recursive: true });
    await store.removeStaleTemporaryFiles(options.staleTempMs ?? 3_600_000);
    return store;
  }

  /** Removes temporary files not written to for `olderThanMs`; answers how many. */
  async removeStaleTemporaryFiles(olderThanMs: number): Promise<number> {
    const cutoff = Date.now() - olderThanMs;
    let removed = 0;
    for (const name of await readdir(this.tmpDir)) {
      if (!name.endsWith(SPOOL_SUFFIX)) continue;
      const path = join(this.tmpDir, name);
      const info = await stat(path).catch(() => null);
      if (info !== null && info.mtimeMs < cutoff) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  override localPath(sha256: string): string {
    const hex = checkSha256(sha256);
    return join(this.root, 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2));
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.size(sha256)) !== null;
  }

  async size(sha256: string): Promise<number | null> {
    return sizeOf(this.localPath(sha256));
  }

  async read(sha256: string, range?: ByteRange): Promise<Readable> {
    return readFile(this.localPath(sha256), `sha256:${checkSha256(sha256)}`, range);
  }

  async put(source: Readable, expectedSha256: string | null, hint: PutHint = {}): Promise<PutResult> {
    const spooled = await spoolVerified(source, this.tmpDir, expectedSha256, hint);
    const target = this.localPath(spooled.sha256);
    // An identical blob is already published: keep its inode (staging folders may link to it).
    if ((await sizeOf(target)) === spooled.size) await rm(spooled.path, { force: true });
    else await publish(spooled.path, target);
    return { sha256: spooled.sha256, size: spooled.size };
  }

  async putNamed(namespace: string, key: string, source: Readable, expectedSha256: string | null = null, hint: PutHint = {}): Promise<PutResult> {
    const target = checkedOrDestroy(source, () => this.namedPath(namespace, key));
    const spooled = await spoolVerified(source, this.tmpDir, expectedSha256, { name: `${namespace}/${key}`, ...hint });
    await publish(spooled.path, target);
    return { sha256: spooled.sha256, size: spooled.size };
  }

  async statNamed(namespace: string, key: string): Promise<number | null> {
    return sizeOf(this.namedPath(namespace, key));
  }

  async readNamed(namespace: string, key: string, range?: ByteRange): Promise<Readable> {
    return readFile(this.namedPath(namespace, key), `${namespace}/${key}`, range);
  }

  private namedPath(namespace: string, key: string): string {
    return join(this.root, 'named', checkSegment('namespace', namespace), checkSegment('key', key));
  }
}

/** Renames a verified temporary file into place and makes the new name durable. */
async function publish(from: string, to: string): Promise<void> {
  const dir = resolve(to, '..');
  await mkdir(dir, { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    await rm(from, { force: true });
    throw error;
  }
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function sizeOf(path: string): Promise<number | null> {
  try {
    const info = await stat(path);
    return info.isFile() ? info.size : null;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Opens the file first, so a missing file or a bad range is an error here and not in the stream. */
const READ_CHUNK = 1 << 20;

async function readFile(path: string, artifact: string, range: ByteRange | undefined): Promise<Readable> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ArtifactNotFoundError(artifact);
    throw error;
  }
  try {
    const { size } = await handle.stat();
    // An empty object has no byte to start a range at; all of it is nothing.
    const bounds = range === undefined ? { start: 0, end: Math.max(0, size - 1) } : resolveRange(artifact, range, size);
    if (size === 0) {
      await handle.close();
      return Readable.from([]);
    }
    // 1 MiB reads: a wheel of tens of MB in tens of reads (each a trip to the thread pool), not hundreds.
    return handle.createReadStream({ start: bounds.start, end: bounds.end, highWaterMark: READ_CHUNK });
  } catch (error) {
    await handle.close();
    throw error;
  }
}
