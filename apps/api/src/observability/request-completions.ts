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

/** The route label of a request no route matched (404s). */
export const UNMATCHED_ROUTE = 'unmatched';

@Injectable()
export class RequestCompletions {
  private readonly access: AccessLog;

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
    this.metrics.httpDuration.observe({ method: completion.method, route, status_code: String(completion.statusCode) }, completion.responseTime / 1000);
  }
}
