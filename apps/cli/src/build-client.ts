/**
 * The client side of the build API (`POST /v1/builds`, `GET /v1/builds/{id}` and its log,
 * `GET /v1/envs/{key}.tar.gz`, `POST /v1/envs`), for `venvfarm build` and `venvfarm pull`.
 * Node's own fetch, no server code: this module loads when one of those commands runs.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pipeline as chainStreams, Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BuildDisplay } from './build-display';
import { describeFailure } from './resolve.command';
import { authorizationHeader } from './server-auth';
import { serverEvents } from './server-events';

/** A build as `GET /v1/builds/{id}` shows it (the fields the CLI reads). */
export interface BuildView {
  id: number;
  key: string;
  status: 'queued' | 'building' | 'done' | 'failed';
  python: string;
  platform: string;
  pins: { name: string; version: string; filename: string; sha256: string }[];
  timings: Record<string, number>;
  size: number | null;
  error: string | null;
  download: string;
}

/** What to build: requirements (the options `build` and `pull -r` share with `resolve`), or a lock. */
export interface BuildRequestOptions {
  requirement?: string;
  /** A pylock.toml or a requirements.txt pinned with hashes, built as it is. */
  lock?: string;
  constraint?: string;
  python?: string;
  platform?: string;
}

/** A downloaded file. */
export interface Downloaded {
  path: string;
  bytes: number;
}

/** A finished build that failed: its id and the reason the server recorded. */
export class BuildFailedError extends Error {
  constructor(readonly build: BuildView) {
    super(`build ${build.id} failed: ${build.error ?? 'no reason recorded'}`);
    this.name = 'BuildFailedError';
  }
}

/** The server could not be reached: refused, unknown host, timed out, or the connection broke before an answer. */
export class ServerUnreachableError extends Error {
  constructor(
    readonly server: string,
    /** What the network said (`connect ECONNREFUSED 127.0.0.1:9`), when it said something. */
    readonly reason: string | null,
  ) {
    super(`cannot reach ${server}${reason === null ? '' : `: ${reason}`}`);
    this.name = 'ServerUnreachableError';
  }
}

/**
 * What the network said when fetch failed: its cause (each address's, when it tried several).
 * Duck-typed: the errors of Node's fetch need not be of this realm's Error (under Jest they are not).
 */
function networkReason(error: unknown): string | null {
  const cause = (error as { cause?: { message?: unknown; code?: unknown; errors?: unknown } } | null)?.cause;
  if (cause === null || typeof cause !== 'object') return null;
  if (Array.isArray(cause.errors) && cause.errors.length > 0) return cause.errors.map((e: { message?: unknown }) => String(e?.message ?? e)).join('; ');
  if (typeof cause.message === 'string' && cause.message !== '') return cause.message;
  return typeof cause.code === 'string' ? cause.code : null;
}

/** The body of a server's error answer (`{error, detail, field?, line?, position?}`), as far as it is one. */
export interface ServerErrorBody {
  error?: string;
  detail?: string;
  field?: string;
  line?: number;
  position?: number;
}

/** The server answered with an error status; `body` is its error body (null when it sent something else). */
export class ServerAnswerError extends Error {
  constructor(
    readonly status: number,
    readonly body: ServerErrorBody | null,
    text: string,
  ) {
    super(describeFailure(status, text));
    this.name = 'ServerAnswerError';
  }
}

/** The error for a response that is not a success. */
async function answerError(response: Response): Promise<ServerAnswerError> {
  const text = await response.text();
  let body: ServerErrorBody | null = null;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as ServerErrorBody;
  } catch {
    // Not JSON (a proxy's page): the status and the text say what there is to say.
  }
  return new ServerAnswerError(response.status, body, text);
}

/** A request to a server with the credential `access` needs (from the environment). @throws ServerUnreachableError */
export function serverFetch(server: string, path: string, access: 'read' | 'admin', init: RequestInit = {}, env: NodeJS.ProcessEnv = process.env): Promise<Response> {
  return fetch(new URL(path, server), { ...init, headers: { ...authorizationHeader(access, env), ...(init.headers as Record<string, string> | undefined) } }).catch((error: unknown) => {
    throw new ServerUnreachableError(server, networkReason(error));
  });
}

/** A JSON call to a server: its answer, or null for an empty one. @throws ServerUnreachableError, ServerAnswerError */
export async function callServer(server: string, path: string, access: 'read' | 'admin', init: RequestInit = {}): Promise<unknown> {
  const response = await serverFetch(server, path, access, init);
  if (!response.ok) throw await answerError(response);
  const text = await response.text();
  return text === '' ? null : JSON.parse(text);
}

/** Pause before asking again after the log stream broke off. */
const RECONNECT_MS = 1000;

/**
 * The body of `POST /v1/builds` and `POST /v1/envs` for a requirements file or a lock ("-":
 * stdin); exactly one of the two.
 */
export function buildRequestBody(options: BuildRequestOptions): Record<string, unknown> {
  const read = (file: string) => readFileSync(file === '-' ? 0 : file, 'utf8');
  const target = {
    ...(options.python === undefined ? {} : { python: options.python }),
    ...(options.platform === undefined ? {} : { platform: options.platform }),
  };
  if ((options.requirement === undefined) === (options.lock === undefined)) throw new Error('give -r <requirements file> or --lock <file>, one of the two');
  if (options.lock !== undefined) {
    // A lock is resolved already: the server builds it as it is.
    if (options.constraint !== undefined) throw new Error('--constraint does not apply to --lock (a lock is built as it is)');
    return { lock: read(options.lock), ...target };
  }
  const constraints =
    options.constraint === undefined
      ? undefined
      : read(options.constraint)
          .split('\n')
          .map((l) => l.replace(/(^|\s)#.*$/, '').trim())
          .filter(Boolean);
  return { requirements_txt: read(options.requirement!), ...(constraints === undefined ? {} : { constraints }), ...target };
}

/** The text of a response body, chunk by chunk. */
async function* decode(body: WebReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  for await (const chunk of body) yield decoder.decode(chunk, { stream: true });
  const rest = decoder.decode();
  if (rest !== '') yield rest;
}

/** Talks to one venvfarm server. */
export class BuildClient {
  constructor(
    private readonly server: string,
    private readonly display: BuildDisplay,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** `POST /v1/builds`: the build, done (a built key) or queued. */
  async requestBuild(body: Record<string, unknown>): Promise<BuildView> {
    const response = await this.fetch('/v1/builds', 'admin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return (await this.json(response)) as BuildView;
  }

  /** `GET /v1/builds/{id}`. */
  async getBuild(id: number): Promise<BuildView> {
    return (await this.json(await this.fetch(`/v1/builds/${id}`, 'read'))) as BuildView;
  }

  /**
   * Follows a build until it is done, showing its state and its log as it is written (the log's
   * server-sent events; a stream that breaks off is opened again and the lines already shown are
   * skipped). Throws {@link BuildFailedError} when the build failed.
   */
  async follow(build: BuildView): Promise<BuildView> {
    let current = build;
    let shown = 0;
    this.display.build(current);
    while (current.status === 'queued' || current.status === 'building') {
      try {
        const response = await this.fetch(`/v1/builds/${current.id}/log`, 'read', { headers: { Accept: 'text/event-stream' } });
        if (!response.ok || response.body === null) throw await answerError(response);
        let index = 0;
        for await (const event of serverEvents(decode(response.body as WebReadableStream<Uint8Array>))) {
          if (event.event === 'end') break;
          if (event.event !== 'log') continue;
          for (const line of event.data) {
            if (index++ < shown) continue;
            shown++;
            if (current.status === 'queued') {
              current = { ...current, status: 'building' };
              this.display.build(current);
            }
            this.display.log(current, line);
          }
        }
      } catch (error) {
        // The log is a view of the build: when it breaks off, the build's own state decides.
        this.display.log(current, `(log stream interrupted: ${error instanceof Error ? error.message : String(error)})`);
        await sleep(RECONNECT_MS);
      }
      current = await this.getBuild(current.id);
      if (current.status === 'queued' || current.status === 'building') this.display.build(current);
    }
    this.display.build(current);
    if (current.status === 'failed') throw new BuildFailedError(current);
    return current;
  }

  /** `GET /v1/envs/{key}.tar.gz` (or a build's `download`) into `target`. */
  async downloadTarball(path: string, target: string): Promise<Downloaded> {
    return this.save(await this.fetch(path, 'read'), target);
  }

  /** The tarball at `path` as a stream (see {@link tarballStream}), for unpacking as it arrives. */
  async openTarball(path: string, label: string): Promise<Readable> {
    return this.tarballStream(await this.fetch(path, 'read'), label);
  }

  /**
   * `POST /v1/envs?wait=`: the tarball when the build is done within `wait` seconds (as a
   * stream: see {@link tarballStream}), else the build to follow. A build that failed within the
   * wait is an error.
   */
  async requestEnv(body: Record<string, unknown>, wait: number, label: string): Promise<{ tarball: Readable; key: string | null } | { build: BuildView }> {
    const response = await this.fetch(`/v1/envs?wait=${wait}`, 'admin', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (response.status === 202) return { build: (await response.json()) as BuildView };
    const key = response.headers.get('etag')?.replace(/^(W\/)?"|"$/g, '') ?? null;
    return { tarball: await this.tarballStream(response, label), key };
  }

  /**
   * The body of a tarball answer, shown as a download (`label`) as it is read; it fails, at its
   * end, when it is shorter or longer than the length the server gave. Once it has ended, its
   * `received` property says how many bytes it passed on.
   */
  private async tarballStream(response: Response, label: string): Promise<Readable & { received?: number }> {
    if (!response.ok || response.body === null) throw await answerError(response);
    const length = response.headers.get('content-length');
    const total = length === null ? null : Number(length);
    let received = 0;
    const display = this.display;
    display.downloadStart(label, total);
    const counted: Transform & { received?: number } = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        received += chunk.length;
        display.downloadProgress(received, total);
        callback(null, chunk);
      },
      flush(callback) {
        if (total !== null && received !== total) return callback(new Error(`download of ${label} ended after ${received} of ${total} bytes`));
        counted.received = received;
        display.downloadEnd(label, received);
        callback();
      },
    });
    // A broken connection destroys `counted` with its error, so the reader sees it.
    return chainStreams(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), counted, () => undefined);
  }

  /**
   * Writes a tarball answer to `target` atomically: into a temporary file beside it, flushed to
   * disk, then renamed, so `target` is either absent or whole. Checks the length the server gave.
   */
  private async save(response: Response, target: string): Promise<Downloaded> {
    const body = await this.tarballStream(response, target);
    const path = resolve(target);
    const partial = join(dirname(path), `.${basename(path)}.partial-${randomBytes(6).toString('hex')}`);
    try {
      await pipeline(body, createWriteStream(partial, { flags: 'wx', mode: 0o644 }));
      const handle = await fs.open(partial, 'r');
      await handle.sync().finally(() => handle.close());
      await fs.rename(partial, path);
    } catch (error) {
      await fs.rm(partial, { force: true });
      throw error;
    }
    return { path, bytes: body.received! };
  }

  private fetch(path: string, access: 'read' | 'admin', init: RequestInit = {}): Promise<Response> {
    return serverFetch(this.server, path, access, init, this.env);
  }

  private async json(response: Response): Promise<unknown> {
    if (!response.ok) throw await answerError(response);
    return JSON.parse(await response.text());
  }
}
