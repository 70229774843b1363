import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Metrics } from './metrics';

const EXAMPLE = `# HELP venvfarm_resolve_cache_hits_total Resolve requests answered from the resolve cache
# TYPE venvfarm_resolve_cache_hits_total counter
venvfarm_resolve_cache_hits_total 42
`;

/** `GET /metrics`: the Prometheus text exposition of the app's metrics. */
@ApiTags('operations')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics', description: 'HTTP latency by route and status, resolve cache hits and misses, jobs by queue and state, upstream requests, retries and failures, database pool use, process metrics.' })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ description: 'The Prometheus text format, version 0.0.4', schema: { type: 'string', example: EXAMPLE } })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
