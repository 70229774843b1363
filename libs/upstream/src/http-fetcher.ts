/**
 * GET/POST against an upstream index with Node's global fetch: a timeout per attempt
 * (AbortSignal.timeout), and retries with exponential backoff and full jitter on network
 * errors, 429 and 5xx (Retry-After honoured, capped), as PyPI's CDN and mirrors expect of
 * polite clients. Every retry is reported (URL, attempt, status or error) so a sync log shows
 * what the network did. The body is read inside the retry loop: a connection cut mid-body is
 * a network error like any other.
 */
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
  /** Told of every retry. Default: one line on stderr. */
  readonly onRetry?: (event: RetryEvent) => void;
  /** Extra headers on every request (User-Agent, ...). */
  readonly headers?: Readonly<Record<string, string>>;
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

const defaultOnRetry = (e: RetryEvent) => process.stderr.write(`venvfarm: ${formatRetry(e)}\n`);

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
  private readonly headers: Readonly<Record<string, string>>;

  constructor(options: FetchOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxRetries = options.retries ?? 6;
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 10_000;
    this.onRetry = options.onRetry ?? defaultOnRetry;
    this.headers = options.headers ?? {};
  }

  /**
   * Sends the request until it succeeds or retries run out. Answers 2xx and 404 (a missing
   * project is an answer, not a failure); anything else throws.
   * @throws UpstreamHttpError for other statuses; UpstreamNetworkError when every attempt failed to connect.
   */
  async fetch(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; project?: string | null } = {}): Promise<FetchedResponse> {
    const project = init.project ?? null;
    for (let attempt = 1; ; attempt++) {
      // The retryable status of this attempt; null when fetch or the body read threw (connection
      // refused or reset, timeout).
      let status: number | null = null;
      let error: unknown = null;
      let retryAfterMs: number | null = null;
      this.requests++;
      try {
        const response = await fetch(url, {
          method: init.method ?? 'GET',
          headers: { ...this.headers, ...init.headers },
          body: init.body,
          signal: AbortSignal.timeout(this.timeoutMs),
          redirect: 'follow',
        });
        if (!RETRYABLE(response.status)) {
          const body = Buffer.from(await response.arrayBuffer());
          if ((response.status >= 200 && response.status < 300) || response.status === 404) {
            return { url: response.url || url, status: response.status, headers: response.headers, body };
          }
          throw new UpstreamHttpError(response.status, url, project);
        }
        status = response.status;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        await response.body?.cancel().catch(() => undefined);
      } catch (e) {
        if (e instanceof UpstreamHttpError) throw e;
        error = e;
      }
      if (attempt > this.maxRetries) {
        if (status !== null) throw new UpstreamHttpError(status, url, project);
        throw new UpstreamNetworkError(`${describe(error)} after ${attempt} attempts`, url, project, { cause: error });
      }
      const ceiling = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
      // Full jitter (AWS architecture blog): spreads retries of many concurrent requests.
      const delayMs = Math.max(retryAfterMs ?? 0, Math.round(Math.random() * ceiling));
      this.retries++;
      this.onRetry({ url, project, attempt, status, error: status === null ? describe(error) : null, delayMs: Math.min(delayMs, this.maxDelayMs) });
      await new Promise((resolve) => setTimeout(resolve, Math.min(delayMs, this.maxDelayMs)));
    }
  }
}

function parseRetryAfter(value: string | null): number | null {
  if (value === null) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'TimeoutError') return 'timeout';
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
