import { Body, Controller, Get, HttpCode, NotFoundException, Param, ParseIntPipe, Post } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { JobRepository, MirrorJob, MirrorStatus, mirrorStatus } from '@venvfarm/mirror';
import { parseSyncRequest } from './sync-request';

/** The mirror's state and its jobs. */
@Controller('v1/mirror')
export class MirrorController {
  constructor(
    private readonly db: Database,
    private readonly config: VenvfarmConfig,
    private readonly jobs: JobRepository,
  ) {}

  @Get('status')
  status(): Promise<MirrorStatus> {
    return mirrorStatus(this.db.pool);
  }

  /** Queues a sync (202); an identical queued or running sync is returned instead of a second one. */
  @Post('sync')
  @HttpCode(202)
  sync(@Body() body: unknown): Promise<MirrorJob> {
    const request = parseSyncRequest(body);
    return this.jobs.enqueue('sync', { ...request, upstream: request.upstream ?? this.config.upstream });
  }

  @Get('jobs/:id')
  async job(@Param('id', ParseIntPipe) id: number): Promise<MirrorJob> {
    const job = await this.jobs.get(id);
    if (job === null) throw new NotFoundException(`no mirror job ${id}`);
    return job;
  }
}
