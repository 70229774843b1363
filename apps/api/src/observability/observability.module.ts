import { Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Database } from '@venvfarm/db';
import { LoggingModule } from '@venvfarm/logging';
import { Queues } from '@venvfarm/queue';
import { UpstreamObserver } from '@venvfarm/upstream';
import type { FastifyInstance } from 'fastify';
import { fastifyRequestLogging } from './logging/request-logging';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { UpstreamTelemetry } from './metrics/upstream-telemetry';
import { RequestCompletions, UNMATCHED_ROUTE } from './request-completions';

function createMetrics(db: Database, queues: Queues | undefined): Metrics {
  const logger = new Logger('metrics');
  return new Metrics({ pool: db, jobs: queues, onCollectFailure: (what, error) => logger.warn(`${what} left out of this scrape: ${error instanceof Error ? error.message : String(error)}`) });
}

/**
 * Logs and metrics of the API. Logs: {@link LoggingModule} (pino, JSON lines, readable on a
 * terminal, the level from `VENVFARM_LOG_LEVEL`; {@link AppLogger} is the app logger), and a
 * request id on every line of a request (`X-Request-Id` in and out) and an access line per
 * request, from Fastify hooks (request-logging.ts). Metrics: `GET /metrics` from the app's own
 * registry, HTTP timing by route template, and the {@link UpstreamObserver} the upstream clients
 * report to.
 *
 * The hooks are Fastify's, added when the module starts: the adapter must be made with
 * FASTIFY_EDGE_OPTIONS (common/edge.ts), whose `genReqId` makes the request ids.
 */
@Global()
@Module({
  imports: [LoggingModule],
  controllers: [MetricsController],
  providers: [
    { provide: Metrics, inject: [Database, { token: Queues, optional: true }], useFactory: createMetrics },
    { provide: UpstreamObserver, inject: [Metrics], useFactory: (metrics: Metrics) => new UpstreamTelemetry(metrics) },
    RequestCompletions,
  ],
  exports: [LoggingModule, Metrics, UpstreamObserver, RequestCompletions],
})
export class ObservabilityModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly completions: RequestCompletions,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null) return;
    if (adapter.getType() !== 'fastify') throw new Error(`request logging and HTTP metrics need the Fastify adapter, not ${adapter.getType()}`);
    const fastify = adapter.getInstance<FastifyInstance>();
    fastifyRequestLogging(fastify, this.completions, UNMATCHED_ROUTE);
  }
}
