/**
 * GET/POST against an upstream index with Node's global fetch: a timeout per attempt, and retries with exponential backoff and full jitter on network
 * errors, 429 and 5xx (Retry-After honoured, capped), as PyPI's CDN and mirrors expect of
 * polite clients. Every retry is reported (URL, attempt, status or error) so a sync log shows
 * what the network did, and an optional {@link FetchObserver} hears of every attempt, retry and
 * failure (metrics). A page's body is read inside the retry loop: a connection cut mid-body is a
 * network error like any other; a file's streams (see {@link HttpFetcher.stream}). Nothing here writes to the terminal: callers say where retries go.
 */
import { Readable } from 'node:stream';
import { UpstreamHttpError, UpstreamNetworkError } from './upstream-errors';

/** One retry about to happen. */
export interface RetryEvent {
  readonly url: string;
  readonly project: string | null;
  /** 1-based number of the attempt that failed. */
  readonly attempt: number;
  /** HTTP status of the failed attempt, or null for a network error or timeout. */
  readonly status: number | null;
  readonly error: string | null;
  readonly delayMs: number;
}

/** One attempt that got an answer or failed to. */
export interface AttemptEvent {
  readonly url: string;
  readonly method: string;
  /** HTTP status, or null for a network error or timeout. */
  readonly status: number | null;
  /** `timeout`, an error code (`ECONNREFUSED`) or message; null when there is a status. */
  readonly error: string | null;
  readonly durationMs: number;
}

/** A request that failed for good: the error it throws is on its way to the caller. */
export interface FailureEvent {
  readonly url: string;
  readonly method: string;
  /** HTTP status of the last attempt, or null for a network error or timeout. */
  readonly status: number | null;
  readonly error: string | null;
  readonly attempts: number;
}

/**
 * Told of everything the fetcher does, for metrics. Calls are synchronous and must be cheap; an
 * observer that throws breaks the request, so observers do not throw.
 */
export interface FetchObserver {
  attempt(event: AttemptEvent): void;
  retry(event: RetryEvent): void;
  failure(event: FailureEvent): void;
}

/** How the fetcher behaves; every field has a default. */
export interface FetchOptions {
  /** Per-attempt timeout. Default 30 s. */
  readonly timeoutMs?: number;
  /** Attempts after the first. Default 6. */
  readonly retries?: number;
  /** First backoff ceiling; doubles each attempt. Default 200 ms. */
  readonly baseDelayMs?: number;
  /** Largest backoff ceiling. Default 10 s. */
  readonly maxDelayMs?: number;
  /** Told of every retry (a log line, a progress display). Default: nobody. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Told of every attempt, retry and failure (metrics). Default: nobody. */
  readonly observer?: FetchObserver;
  /** Extra headers on every request (User-Agent, ...). */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Cancels everything this fetcher does: the request under way and the wait before a retry.
   * A request then throws the signal's reason (never retried), so a job stops within moments.
   */
  readonly signal?: AbortSignal;
}

/** A fully read response. */
export interface FetchedResponse {
  readonly url: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Buffer;
}

const RETRYABLE = (status: number) => status === 429 || status >= 500;

export function formatRetry(e: RetryEvent): string {
  const what = e.status !== null ? `HTTP ${e.status}` : (e.error ?? 'network error');
  return `retry ${e.attempt} of ${e.url}${e.project ? ` (${e.project})` : ''} after ${what}; waiting ${e.delayMs} ms`;
}

const NO_OBSERVER: FetchObserver = { attempt: () => undefined, retry: () => undefined, failure: () => undefined };

/** Fetches with timeouts and retries; counts what it did. */
export class HttpFetcher {
  /** Requests sent, including retries. */
  requests = 0;
  /** Retries done. */
  retries = 0;

  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly onRetry: (event: RetryEvent) => void;
  private readonly observer: FetchObserver;
  private readonly headers: Readonly<Record<string, string>>;
  private readonly signal: AbortSignal | null;

  constructor(options: FetchOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.retries ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.onRetry = options.onRetry ?? (() => undefined);
    this.observer = options.observer ?? NO_OBSERVER;
    this.headers = options.headers ?? {};
    this.signal = options.signal ?? null;
  }

  /**
   * Sends the request until it succeeds or retries run out. Answers 2xx and 404 (a missing
   * project is an answer, not a failure); anything else throws.
   * @throws UpstreamHttpError for other statuses; UpstreamNetworkError when every attempt failed to connect.
   */
  async fetch(url: string, init: RequestInit = {}): Promise<FetchedResponse> {
    // The body is read inside the attempt, under its timeout: a cut connection is retried.
    return this.send(url, init, (status) => (status >= 200 && status < 300) || status === 404, async (response, timer) => {
      const body = Buffer.from(await response.arrayBuffer());
      clearTimeout(timer);
      return { url: response.url || url, status: response.status, headers: response.headers, body };
    });
  }

  /**
   * Like {@link fetch} for a 2xx answer, but the body is not read: it streams (a wheel may be
   * hundreds of megabytes). Getting the answer is retried; once the body flows the timeout
   * watches for a stall (each chunk restarts it) and the stream is the caller's, who verifies
   * what arrives and may ask again.
   * @throws UpstreamHttpError for any other status (404 included), UpstreamNetworkError.
   */
  async stream(url: string, init: RequestInit & { signal?: AbortSignal } = {}): Promise<Readable> {
    return this.send(url, init, (status) => status >= 200 && status < 300, async (response, timer) => {
      const body = response.body as AsyncIterable<Uint8Array> | null;
      if (body === null) {
        clearTimeout(timer);
        return Readable.from([]);
      }
      return Readable.from(
        (async function* () {
          try {
            for await (const chunk of body) {
              timer.refresh();
              yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
            }
          } finally {
            clearTimeout(timer);
          }
        })(),
        { objectMode: false },
      );
    });
  }

  /** The retry loop: `answers(status)` says which statuses `read` turns into the result. */
  private async send<T>(url: string, init: RequestInit & { signal?: AbortSignal }, answers: (status: number) => boolean, read: (response: Response, timer: NodeJS.Timeout) => Promise<T>): Promise<T> {
    const project = init.project ?? null;
    const method = init.method ?? 'GET';
    const cancel = init.signal === undefined ? this.signal : this.signal === null ? init.signal : AbortSignal.any([init.signal, this.signal]);
    for (let attempt = 1; ; attempt++) {
      cancel?.throwIfAborted();
      // The retryable status of this attempt; null when fetch or the body read threw (connection
      // refused or reset, timeout).
      let status: number | null = null;
      let error: unknown = null;
      let retryAfterMs: number | null = null;
      this.requests++;
      const started = performance.now();
      const stalled = new AbortController();
      const timer = setTimeout(() => stalled.abort(new DOMException(`no answer within ${this.timeoutMs} ms`, 'TimeoutError')), this.timeoutMs);
      try {
        const response = await fetch(url, {
          method,
          headers: { ...this.headers, ...init.headers },
          body: init.body,
          signal: cancel === null ? stalled.signal : AbortSignal.any([stalled.signal, cancel]),
          redirect: 'follow',
        });
        if (!RETRYABLE(response.status)) {
          if (answers(response.status)) {
            const result = await read(response, timer);
            this.observer.attempt({ url, method, status: response.status, error: null, durationMs: performance.now() - started });
            return result;
          }
          clearTimeout(timer);
          await response.body?.cancel().catch(() => undefined);
          this.observer.attempt({ url, method, status: response.status, error: null, durationMs: performance.now() - started });
          this.observer.failure({ url, method, status: response.status, error: null, attempts: attempt });
          throw new UpstreamHttpError(response.status, url, project);
        }
        clearTimeout(timer);
        status = response.status;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        await response.body?.cancel().catch(() => undefined);
      } catch (e) {
        clearTimeout(timer);
        if (e instanceof UpstreamHttpError) throw e;
        cancel?.throwIfAborted();
        error = e;
      }
      const reason = status === null ? describe(error) : null;
      this.observer.attempt({ url, method, status, error: reason, durationMs: performance.now() - started });
      if (attempt > this.maxRetries) {
        this.observer.failure({ url, method, status, error: reason, attempts: attempt });
        if (status !== null) throw new UpstreamHttpError(status, url, project);
        throw new UpstreamNetworkError(`${reason} after ${attempt} attempts`, url, project, { cause: error });
      }
      const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
      // Full jitter (AWS architecture blog): spreads retries of many concurrent requests.
      const delayMs = Math.min(this.maxDelayMs, Math.max(retryAfterMs ?? 0, Math.round(Math.random() * ceiling)));
      this.retries++;
      const retry: RetryEvent = { url, project, attempt, status, error: reason, delayMs };
      this.observer.retry(retry);
      this.onRetry(retry);
      await sleep(delayMs, cancel);
    }
  }
}

/** What a request sends. */
interface RequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /** The project it is for (errors and retries name it). */
  readonly project?: string | null;
}

/** Waits `ms`, or until `signal` aborts (then throws its reason). */
async function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  if (signal === null) return new Promise((resolve) => setTimeout(resolve, ms));
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', done);
      resolve();
    }, ms);
    if (signal.aborted) done();
    else signal.addEventListener('abort', done, { once: true });
  });
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  // Duck-typed rather than `instanceof Error`: fetch's errors may come from another realm (a test VM).
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const e = error as { name?: unknown; message: unknown; cause?: { code?: string; message?: string } };
    if (e.name === 'TimeoutError') return 'timeout';
    return e.cause?.code ?? e.cause?.message ?? String(e.message);
  }
  return String(error);
}
