/**
 * The calls a process makes to its queue backend on behalf of a request (add a job, read one,
 * count them, ping): each must settle within a deadline. BullMQ does not give one: while Redis
 * is unreachable its commands wait for a connection that never comes (a wrong `REDIS_URL`, a
 * Redis that went away), so an HTTP request, a readiness probe or a start-up would hang. Here a
 * call that has not settled by the deadline, one that fails for want of a connection, and one
 * made after the queues were closed all reject with {@link QueueUnavailableError}.
 */
import type { QueueBackendSettings } from './queue-settings';

/**
 * The queue backend cannot serve a call now: it did not answer within the deadline, the
 * connection to it failed, or this process has closed its queues (it is shutting down). The
 * caller may try again later; the HTTP API answers 503 `queue_unavailable`.
 */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';

  constructor(
    message: string,
    /** The backend as the operator configured it (`REDIS_URL` or PostgreSQL), without credentials. */
    readonly backend: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Network and connection failures (ioredis, pg, node:net): the backend is not there, not wrong. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const CONNECTION_ERROR_NAMES = new Set(['MaxRetriesPerRequestError', 'ConnectionClosedError']);
const CONNECTION_MESSAGES = /^(Connection is closed|Connection terminated|Client has encountered a connection error|timeout exceeded when trying to connect)/;

/**
 * Whether `error` says the backend could not be reached (rather than that it refused the call):
 * only those become {@link QueueUnavailableError}; anything else is a bug and stays what it is.
 */
export function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || /^(08|57P0)/.test(code))) return true;
  return CONNECTION_ERROR_NAMES.has(error.name) || CONNECTION_MESSAGES.test(error.message);
}

/** The backend as messages name it: the variable that chose it and its URL without a password. */
export function describeBackend(backend: QueueBackendSettings): string {
  let where = backend.url;
  try {
    const url = new URL(backend.url);
    if (url.password !== '') url.password = '***';
    where = url.toString();
  } catch {
    // Not a URL the WHATWG parser takes (the configuration checked it already): shown as given.
  }
  return backend.kind === 'redis' ? `Redis at REDIS_URL ${where}` : `PostgreSQL at ${where}`;
}

/** Runs backend calls within a deadline, until closed. */
export class BackendCalls {
  private closed = false;
  /** How messages name the backend (see {@link describeBackend}). */
  readonly backend: string;

  constructor(
    backend: QueueBackendSettings,
    /** How long a call may take before it rejects with {@link QueueUnavailableError}. */
    readonly timeoutMs: number,
  ) {
    this.backend = describeBackend(backend);
  }

  /** From now on every call rejects with {@link QueueUnavailableError} (the queues are closed). */
  close(): void {
    this.closed = true;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** The error of a call made after {@link close}. */
  closedError(what: string): QueueUnavailableError {
    return new QueueUnavailableError(`cannot ${what}: this process has closed its queues (it is shutting down)`, this.backend);
  }

  /**
   * `call()`'s result, or {@link QueueUnavailableError} when it has not settled within the
   * deadline or failed for want of a connection. `what` says what was being done, for the
   * message ("add a mirror-sync job"). A call that settles after the deadline is ignored (its
   * rejection is handled, never unhandled), and the timer does not keep the process alive.
   */
  run<T>(what: string, call: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(this.closedError(what));
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new QueueUnavailableError(`cannot ${what}: the queue backend (${this.backend}) did not answer within ${this.timeoutMs} ms`, this.backend));
      }, this.timeoutMs);
      timer.unref();
      let pending: Promise<T>;
      try {
        pending = call();
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(isConnectionFailure(error) ? new QueueUnavailableError(`cannot ${what}: the queue backend (${this.backend}) is unreachable: ${(error as Error).message}`, this.backend, { cause: error }) : error);
        },
      );
    });
  }
}
