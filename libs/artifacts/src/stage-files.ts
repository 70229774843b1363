/**
 * Staging: puts the exact files of a pinned set into a folder for a build to install from. Each
 * file comes from the artifact store; one the store lacks is fetched (from the upstream, through
 * the fetcher the caller passes: libs/artifacts does no HTTP) and stored first, verified against
 * its sha256 on the way in. Hashes are mandatory: a file without one is refused before anything
 * is fetched, and a file whose bytes do not match fails the staging with its name while nothing
 * of it is stored.
 *
 * Files are hard-linked out of a filesystem store (no copy; the blobs are read-only, and builds
 * mount the folder read-only), copied when a link is not possible (another filesystem), and
 * streamed out of a remote store. Staging is idempotent: running it again after a failure
 * fetches only what is still missing.
 */
import { constants, createWriteStream } from 'node:fs';
import { copyFile, link, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pipeline as pipelineCallback } from 'node:stream';
import { ArtifactError, ArtifactNotFoundError, InvalidArtifactNameError, MissingHashError, StageFetchError } from './artifact-errors';
import { checkFilename, checkSha256 } from './artifact-names';
import { ArtifactStore } from './artifact-store';

/** One file of a pinned set. */
export interface StageFile {
  /** The distribution's filename, written as is into the staging folder. */
  readonly filename: string;
  /** Its sha256 from the index or the lock; null or '' is refused. */
  readonly sha256: string | null;
  /** Where to fetch it when the store lacks it; null when the store is the only place it can be (an upload). */
  readonly url: string | null;
}

/**
 * Streams one file from wherever it lives (in the worker: an UpstreamClient download with
 * retries). Must honour `signal`: it is aborted when another file has failed.
 */
export type ArtifactFetcher = (file: FetchableFile, signal: AbortSignal) => Promise<Readable>;

/** A file the store lacks that has an upstream URL. */
export type FetchableFile = StageFile & { readonly url: string };

/** A moment of progress. */
export interface StageProgress {
  /** `download`: bytes of `file` arrived; `staged`: `file` is in the folder. */
  readonly event: 'download' | 'staged';
  readonly file: string;
  readonly filesDone: number;
  readonly filesTotal: number;
  /** Bytes fetched from the upstream so far, all files together. */
  readonly bytesDownloaded: number;
  /** Bytes of the files staged so far. */
  readonly bytesStaged: number;
}

export interface StageOptions {
  /** Files fetched and placed at once. Default 4. */
  readonly concurrency?: number;
  /** Told of every chunk downloaded and every file staged; keep it cheap (throttle a display). */
  readonly onProgress?: (progress: StageProgress) => void;
  /** Cancels the staging: no new file starts, downloads under way are aborted. */
  readonly signal?: AbortSignal;
}

/** A staged file. */
export interface StagedFile {
  readonly filename: string;
  readonly sha256: string;
  readonly size: number;
  /** Its path in the staging folder. */
  readonly path: string;
  /** Whether it was fetched now (false: the store had it). */
  readonly downloaded: boolean;
}

export interface StageResult {
  /** In the order given (duplicates listed once). */
  readonly files: readonly StagedFile[];
  readonly downloadedFiles: number;
  readonly downloadedBytes: number;
}

/**
 * Places `files` into `intoDir` (created if need be), fetching the ones the store lacks.
 * @throws MissingHashError or InvalidArtifactNameError before anything is fetched; HashMismatchError
 * (nothing stored); StageFetchError when a fetch fails; the signal's reason when cancelled.
 */
export async function stageFiles(files: readonly StageFile[], store: ArtifactStore, fetcher: ArtifactFetcher, intoDir: string, options: StageOptions = {}): Promise<StageResult> {
  const wanted = checkFiles(files);
  await mkdir(intoDir, { recursive: true });
  const stop = new AbortController();
  const signal = options.signal === undefined ? stop.signal : AbortSignal.any([options.signal, stop.signal]);
  const progress = { filesDone: 0, filesTotal: wanted.length, bytesDownloaded: 0, bytesStaged: 0 };
  const report = (event: StageProgress['event'], file: string) => options.onProgress?.({ event, file, ...progress });

  const stageOne = async (file: StageFile & { sha256: string }): Promise<StagedFile> => {
    let downloaded = false;
    if (!(await store.has(file.sha256))) {
      await fetchInto(store, fetcher, file, signal, (bytes) => {
        progress.bytesDownloaded += bytes;
        report('download', file.filename);
      });
      downloaded = true;
    }
    signal.throwIfAborted();
    const path = join(intoDir, file.filename);
    const size = await place(store, file.sha256, path);
    progress.filesDone++;
    progress.bytesStaged += size;
    report('staged', file.filename);
    return { filename: file.filename, sha256: file.sha256, size, path, downloaded };
  };

  const staged: StagedFile[] = new Array(wanted.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async () => {
    while (failure === null && next < wanted.length) {
      const index = next++;
      try {
        signal.throwIfAborted();
        staged[index] = await stageOne(wanted[index]);
      } catch (error) {
        if (failure === null) {
          failure = { error };
          stop.abort(error);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, wanted.length)) }, worker));
  if (failure !== null) throw (failure as { error: unknown }).error;
  const fetched = staged.filter((file) => file.downloaded);
  return { files: staged, downloadedFiles: fetched.length, downloadedBytes: fetched.reduce((sum, file) => sum + file.size, 0) };
}

/** Every file has a valid sha256 and a safe name; a name listed twice must mean the same bytes. */
function checkFiles(files: readonly StageFile[]): Array<StageFile & { sha256: string }> {
  const byName = new Map<string, StageFile & { sha256: string }>();
  for (const file of files) {
    if (file.sha256 === null || file.sha256 === '') throw new MissingHashError(file.filename, file.url);
    const checked = { ...file, filename: checkFilename(file.filename), sha256: checkSha256(file.sha256) };
    const seen = byName.get(checked.filename);
    if (seen !== undefined && seen.sha256 !== checked.sha256) {
      throw new InvalidArtifactNameError('filename', file.filename, `listed twice, with sha256 ${seen.sha256} and ${checked.sha256}`);
    }
    byName.set(checked.filename, checked);
  }
  return [...byName.values()];
}

/** Fetches one file and puts it, verified, into the store. */
async function fetchInto(store: ArtifactStore, fetcher: ArtifactFetcher, file: StageFile & { sha256: string }, signal: AbortSignal, onBytes: (bytes: number) => void): Promise<void> {
  try {
    if (file.url === null) throw new ArtifactNotFoundError(`sha256:${file.sha256}`);
    const source = await fetcher({ ...file, url: file.url }, signal);
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        onBytes(chunk.length);
        done(null, chunk);
      },
    });
    // The callback form returns the counter, which a source error destroys with that error.
    const counted = pipelineCallback(source, counter, () => undefined);
    await store.put(counted, file.sha256, { name: file.filename, source: file.url });
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    if (error instanceof ArtifactError) throw error;
    throw new StageFetchError(file.filename, file.url ?? 'the artifact store (an uploaded file, no upstream URL)', { cause: error });
  }
}

/** Puts the stored blob at `path`; answers its size. */
async function place(store: ArtifactStore, sha256: string, path: string): Promise<number> {
  await rm(path, { force: true });
  const local = store.localPath(sha256);
  if (local !== null) {
    try {
      await link(local, path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EXDEV' && code !== 'EPERM' && code !== 'EMLINK') throw error;
      await copyFile(local, path, constants.COPYFILE_FICLONE);
    }
  } else {
    try {
      await pipeline(await store.read(sha256), createWriteStream(path, { flags: 'wx' }));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
  }
  const size = await store.size(sha256);
  if (size === null) throw new Error(`sha256:${sha256} vanished from the artifact store while it was staged`);
  return size;
}
