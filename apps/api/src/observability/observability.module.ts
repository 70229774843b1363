import { Global, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { Queues } from '@venvfarm/queue';
import { UpstreamObserver } from '@venvfarm/upstream';
import type { FastifyInstance } from 'fastify';
import { AppLogger, rootLogger } from './logging/app-logger';
import { defaultLogDestination, LogDestination } from './logging/log-destination';
import { AccessLog, fastifyRequestLogging } from './logging/request-logging';
import { fastifyHttpMetrics } from './metrics/http-metrics';
import { Metrics } from './metrics/metrics';
import { MetricsController } from './metrics/metrics.controller';
import { UpstreamTelemetry } from './metrics/upstream-telemetry';

function createMetrics(db: Database, queues: Queues | undefined): Metrics {
  const logger = new Logger('metrics');
  return new Metrics({ pool: db, jobs: queues, onCollectFailure: (what, error) => logger.warn(`${what} left out of this scrape: ${error instanceof Error ? error.message : String(error)}`) });
}

/**
 * Logs and metrics of the API. Logs: pino, JSON lines (readable on a terminal), the level from
 * `VENVFARM_LOG_LEVEL`; {@link AppLogger} (nestjs-pino's Nest logger) is the app logger; a
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
  controllers: [MetricsController],
  providers: [
    { provide: LogDestination, useFactory: () => defaultLogDestination() },
    { provide: AppLogger, inject: [VenvfarmConfig, LogDestination], useFactory: (config: VenvfarmConfig, destination: LogDestination) => new AppLogger(rootLogger(config.logLevel, destination)) },
    { provide: Metrics, inject: [Database, { token: Queues, optional: true }], useFactory: createMetrics },
    { provide: UpstreamObserver, inject: [Metrics], useFactory: (metrics: Metrics) => new UpstreamTelemetry(metrics) },
  ],
  exports: [AppLogger, Metrics, UpstreamObserver],
})
export class ObservabilityModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly metrics: Metrics,
    private readonly logger: AppLogger,
    private readonly destination: LogDestination,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null) return;
    if (adapter.getType() !== 'fastify') throw new Error(`request logging and HTTP metrics need the Fastify adapter, not ${adapter.getType()}`);
    const fastify = adapter.getInstance<FastifyInstance>();
    fastifyRequestLogging(fastify, new AccessLog(this.logger.root, this.destination));
    fastifyHttpMetrics(this.metrics, fastify);
  }

  /** Lines held back for the end of the event loop's turn go out before the process ends. */
  onApplicationShutdown(): void {
    this.destination.flush?.();
  }
}
