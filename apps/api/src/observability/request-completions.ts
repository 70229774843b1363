/**
 * What every answered request leaves behind, wherever it was answered (Fastify's route, or the
 * cache-hit lane in front of it, resolve/cached-answers.ts): its access line and its time in
 * {@link Metrics.httpDuration}, labelled by the route template it matched (`/v1/mirror/jobs/:id`,
 * never `/v1/mirror/jobs/42`: one series per route, not per URL) or `unmatched`.
 */
import { Injectable } from '@nestjs/common';
import { AppLogger, LogDestination } from '@venvfarm/logging';
import { AccessLog, Completion } from './logging/request-logging';
import { Metrics } from './metrics/metrics';

/** Histogram children kept bound (method × route × status). */
const MAX_BOUND_SERIES = 1000;

/** The route label of a request no route matched (404s). */
export const UNMATCHED_ROUTE = 'unmatched';

@Injectable()
export class RequestCompletions {
  private readonly access: AccessLog;
  private readonly durations = new Map<string, { observe(seconds: number): void }>();

  constructor(
    logger: AppLogger,
    destination: LogDestination,
    private readonly metrics: Metrics,
  ) {
    this.access = new AccessLog(logger.root, destination);
  }

  /** Records a request answered under `route` (a route template, or {@link UNMATCHED_ROUTE}). */
  completed(completion: Completion, route: string): void {
    this.access.write(completion);
    this.durationOf(completion.method, route, completion.statusCode).observe(completion.responseTime / 1000);
  }

  /**
   * The histogram's child of one method, route and status, bound once: an observation with
   * labels hashes them every time, and the few combinations a server sees recur on every request.
   */
  private durationOf(method: string, route: string, status: number): { observe(seconds: number): void } {
    const key = `${method} ${status} ${route}`;
    let child = this.durations.get(key);
    if (child === undefined) {
      child = this.metrics.httpDuration.labels({ method, route, status_code: String(status) });
      // Bounded: routes are templates, methods and statuses few; past this, observe unbound.
      if (this.durations.size < MAX_BOUND_SERIES) this.durations.set(key, child);
    }
    return child;
  }
}
