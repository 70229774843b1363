import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { version } from '../../../../package.json';
import { OpenAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { ApiJsonAnswer } from '../common/api-responses';
import type { ErrorBody } from '../common/error-body';
import { HealthStatus, Liveness, Readiness } from './dto/health.dto';
import { ReadinessService } from './readiness.service';

/** Liveness and readiness for load balancers, orchestrators and `venvfarm serve` callers. */
@ApiTags('operations')
@OpenAccess()
@Controller('health')
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Status and version' })
  @ApiJsonAnswer(200, 'HealthStatus', 'The server answers')
  check(): HealthStatus {
    return { status: 'ok', version };
  }

  /** The process answers: nothing else is checked (a dead database is not a reason to restart the API). */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiJsonAnswer(200, 'Liveness', 'The process answers')
  live(): Liveness {
    return { status: 'ok' };
  }

  /** The process can serve: the database answers and, where queues are used, their backend does. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database and the queue backend answer' })
  @ApiJsonAnswer(200, 'Readiness', 'Every dependency answers')
  @ApiErrorResponses('not_ready')
  async ready(@Res({ passthrough: true }) response: unknown): Promise<Readiness | ErrorBody> {
    const result = await this.readiness.check();
    if (result.ready) return { status: 'ok', checks: result.checks };
    this.adapterHost.httpAdapter.status(response, HttpStatus.SERVICE_UNAVAILABLE);
    return { error: 'not_ready', detail: result.failures.join('; ') };
  }
}
