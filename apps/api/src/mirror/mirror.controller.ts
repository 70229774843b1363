import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { MirrorStatus, mirrorStatus } from '@venvfarm/mirror';
import { JobView, MirrorSyncProducer } from '@venvfarm/queue';
import { AdminOnly, ReadAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { ApiJsonAnswer } from '../common/api-responses';
import { JobParamsDto, SyncRequestDto } from './dto/mirror.dto';

/** The mirror's state and its jobs. */
@ApiTags('mirror')
@Controller('v1/mirror')
export class MirrorController {
  constructor(
    private readonly db: Database,
    private readonly config: VenvfarmConfig,
    private readonly syncs: MirrorSyncProducer,
  ) {}

  @Get('status')
  @ReadAccess()
  @ApiOperation({ summary: "The mirror's serial, counts, last sync and lag" })
  @ApiJsonAnswer(200, 'MirrorStatus', 'The status of the mirror')
  @ApiErrorResponses('invalid_input')
  status(): Promise<MirrorStatus> {
    return mirrorStatus(this.db.pool);
  }

  /** Queues a sync (202); an identical queued or running sync is returned instead of a second one. */
  @Post('sync')
  @HttpCode(202)
  @AdminOnly()
  @ApiOperation({ summary: 'Queue a sync from the configured upstream (admin); an identical queued or running sync is answered instead of a second one' })
  @ApiBody({ type: SyncRequestDto, required: false })
  @ApiJsonAnswer(202, 'MirrorJob', 'The queued job, or the identical one already queued or running')
  @ApiErrorResponses('invalid_input', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'queue_unavailable')
  sync(@Body() request: SyncRequestDto): Promise<JobView<'mirror-sync'>> {
    return this.syncs.enqueue({ ...request, upstream: this.config.upstream });
  }

  @Get('jobs/:id')
  @ReadAccess()
  @ApiOperation({ summary: 'A job: its state, progress and summary' })
  @ApiJsonAnswer(200, 'MirrorJob', 'The job')
  @ApiErrorResponses('invalid_input', 'not_found', 'queue_unavailable')
  async job(@Param() params: JobParamsDto): Promise<JobView<'mirror-sync'>> {
    const job = await this.syncs.get(params.id);
    if (job === null) throw new NotFoundException(`no mirror job ${params.id}`);
    return job;
  }
}
