import { Logger } from '@nestjs/common';
import type { AttemptEvent, FailureEvent, RetryEvent } from '@venvfarm/upstream';
import { UpstreamObserver } from '@venvfarm/upstream';
import { Metrics, upstreamOutcome } from './metrics';

/** The host of a URL, the label upstream metrics go by (a URL would give a series per project). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}

/**
 * What the upstream clients do, into {@link Metrics} (requests, retries, failures by host and
 * outcome) and into the debug log (one line per attempt, with the id of the request that caused
 * it). Retries and failures are logged at warn where they are handled, not here.
 */
export class UpstreamTelemetry extends UpstreamObserver {
  private readonly logger = new Logger('upstream');

  constructor(private readonly metrics: Metrics) {
    super();
  }

  attempt(event: AttemptEvent): void {
    const outcome = upstreamOutcome(event.status, event.error);
    this.metrics.upstreamRequests.inc({ host: hostOf(event.url), outcome });
    this.logger.debug(`${event.method} ${event.url} ${event.status ?? event.error} in ${Math.round(event.durationMs)} ms`);
  }

  retry(event: RetryEvent): void {
    this.metrics.upstreamRetries.inc({ host: hostOf(event.url), reason: upstreamOutcome(event.status, event.error) });
  }

  failure(event: FailureEvent): void {
    this.metrics.upstreamFailures.inc({ host: hostOf(event.url), reason: upstreamOutcome(event.status, event.error) });
  }
}
