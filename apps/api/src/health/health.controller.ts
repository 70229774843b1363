import { Controller, Get } from '@nestjs/common';
import { version } from '../../../../package.json';

/** Liveness for load balancers and `venvfarm serve` callers. */
@Controller('health')
export class HealthController {
  @Get()
  check(): { status: 'ok'; version: string } {
    return { status: 'ok', version };
  }
}
