import type { AttemptEvent, FailureEvent, FetchObserver, RetryEvent } from './http-fetcher';

/**
 * The NestJS injection token of the process's {@link FetchObserver} (an app's metrics). When a
 * module provides one, the upstream clients the app builds report to it; when none does, they
 * report to nobody.
 */
export abstract class UpstreamObserver implements FetchObserver {
  abstract attempt(event: AttemptEvent): void;
  abstract retry(event: RetryEvent): void;
  abstract failure(event: FailureEvent): void;
}
