/**
 * The caching proxy of distribution files (and their PEP 658 `.metadata` files). A file the
 * artifact store holds is served from it. The first request for one it lacks streams it from the
 * upstream to the client while the store writes it; the store makes the copy visible only once
 * its sha256 matched, and the client's last chunk is held back until then, so a client never
 * receives the whole of a file whose bytes are wrong: its download is cut short instead.
 * Concurrent requests for one file share one upstream download (they are answered from the store
 * when it is done). Which URL is fetched comes from the mirror's rows, never from the client.
 */
import { ArtifactNotFoundError, ArtifactStore, HashMismatchError } from '@venvfarm/artifacts';
import { LRUCache } from 'lru-cache';
import { PassThrough, Readable, Transform, TransformCallback } from 'node:stream';

/** Stored blobs whose size is remembered. */
const STORED_SIZES = 100_000;

/** A file the proxy may serve. */
export interface ProxiedFile {
  /** Lower-case hex sha256 of its bytes. */
  readonly sha256: string;
  /** Its name (for logs and errors). */
  readonly filename: string;
  /** Where the upstream serves it; null when the store is the only place it can come from. */
  readonly url: string | null;
  /** Its size when known (for Content-Length of a first download). */
  readonly size: number | null;
}

/** Streams a URL of the upstream (an UpstreamClient download, with its retries). */
export type UpstreamDownload = (url: string) => Promise<Readable>;

/** What {@link FileProxy.open} found. */
export type OpenedFile =
  /** In the store: read it from there (with a range, if asked). */
  | { readonly kind: 'stored'; readonly size: number }
  /** Coming from the upstream now; `stream` ends only once the stored copy is verified, and errors otherwise. */
  | { readonly kind: 'streaming'; readonly stream: Readable; readonly size: number | null };

export interface FileProxyOptions {
  /** Told when the upstream's bytes did not match the hash the index lists (nothing was stored). */
  readonly onMismatch?: (file: ProxiedFile, error: HashMismatchError) => void;
  /** Told of every file fetched from the upstream and stored. */
  readonly onStored?: (file: ProxiedFile, bytes: number) => void;
}

/** Passes chunks on, holding the last one back until `verified` settles: resolved, it is sent; rejected, the stream errors. */
class VerifiedRelay extends Transform {
  private held: Buffer | null = null;

  constructor(private readonly verified: Promise<unknown>) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.held !== null) this.push(this.held);
    this.held = chunk;
    done();
  }

  override _flush(done: TransformCallback): void {
    this.verified.then(
      () => {
        if (this.held !== null) this.push(this.held);
        done();
      },
      (error: unknown) => done(error as Error),
    );
  }
}

export class FileProxy {
  /** Downloads under way, by sha256: settled when the stored copy is verified (or failed). */
  private readonly inflight = new Map<string, Promise<void>>();
  /** Sizes of blobs known to be stored: blobs are content-addressed and never change, so the store need not be asked again. */
  private readonly stored = new LRUCache<string, number>({ max: STORED_SIZES });

  constructor(
    private readonly store: ArtifactStore,
    private readonly download: UpstreamDownload,
    private readonly options: FileProxyOptions = {},
  ) {}

  /**
   * Opens `file`: from the store, or by downloading it. With `stream` false (a range request, a
   * HEAD) a download is finished and stored before this answers, and the caller reads the store.
   * @throws ArtifactNotFoundError when the store lacks a file that has no upstream URL;
   * UpstreamError when the upstream cannot serve it; HashMismatchError when its bytes are wrong.
   */
  async open(file: ProxiedFile, options: { readonly stream: boolean }): Promise<OpenedFile> {
    const size = this.stored.get(file.sha256) ?? (await this.store.size(file.sha256));
    if (size !== null) {
      this.stored.set(file.sha256, size);
      return { kind: 'stored', size };
    }
    const running = this.inflight.get(file.sha256);
    if (running !== undefined || !options.stream) {
      await (running ?? this.fetch(file, null).done);
      return { kind: 'stored', size: await this.storedSize(file) };
    }
    const relay = new PassThrough();
    const { started, done } = this.fetch(file, relay);
    await started;
    return { kind: 'streaming', stream: relay.pipe(new VerifiedRelay(done)), size: file.size };
  }

  /** Starts the one download of `file`, into the store and, when given, `relay`. */
  private fetch(file: ProxiedFile, relay: PassThrough | null): { started: Promise<void>; done: Promise<void> } {
    if (file.url === null) {
      const missing = Promise.reject(new ArtifactNotFoundError(`sha256:${file.sha256}`));
      missing.catch(() => undefined);
      return { started: missing, done: missing };
    }
    const url = file.url;
    let begin!: () => void;
    let fail!: (error: unknown) => void;
    const started = new Promise<void>((resolve, reject) => {
      begin = resolve;
      fail = reject;
    });
    const done = (async () => {
      let source: Readable;
      try {
        source = await this.download(url);
      } catch (error) {
        fail(error);
        throw error;
      }
      begin();
      const toStore = new PassThrough();
      source.once('error', (error) => {
        toStore.destroy(error);
        relay?.destroy(error);
      });
      source.pipe(toStore);
      // A client that goes away unpipes its side (pipe does so on close); the store's side goes on.
      if (relay !== null) source.pipe(relay);
      try {
        const stored = await this.store.put(toStore, file.sha256, { name: file.filename, source: url });
        this.options.onStored?.(file, stored.size);
      } catch (error) {
        if (error instanceof HashMismatchError) this.options.onMismatch?.(file, error);
        throw error;
      }
    })();
    done.catch(() => undefined);
    started.catch(() => undefined);
    const tracked = done.finally(() => this.inflight.delete(file.sha256));
    tracked.catch(() => undefined);
    this.inflight.set(file.sha256, tracked);
    return { started, done: tracked };
  }

  private async storedSize(file: ProxiedFile): Promise<number> {
    const size = await this.store.size(file.sha256);
    if (size === null) throw new ArtifactNotFoundError(`sha256:${file.sha256}`);
    return size;
  }
}
