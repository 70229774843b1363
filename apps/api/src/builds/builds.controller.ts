import { Body, Controller, Get, Headers, HttpCode, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AdminOnly, ReadAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { ApiJsonAnswer } from '../common/api-responses';
import { BuildLogStream } from './build-log-stream';
import { buildView } from './build-view';
import { BuildsService } from './builds.service';
import { BUILD_EXAMPLES, BuildListQueryDto, BuildParamsDto, BuildRequestDto, BuildView } from './dto/builds.dto';

/** Builds a list shows without `limit`. */
const DEFAULT_LIST_LENGTH = 50;

/** Who asked, as a build records it (one admin token: the address it came from says more). */
export const requesterOf = (request: FastifyRequest) => `admin@${request.ip}`;

@ApiTags('builds')
@Controller('v1/builds')
export class BuildsController {
  constructor(
    private readonly service: BuildsService,
    private readonly logs: BuildLogStream,
  ) {}

  @Post()
  @AdminOnly()
  @ApiOperation({
    summary: 'Build an environment: resolve, then build the pinned set once per build key (admin)',
    description: 'Answers 200 with the finished build when its key is built already, else 202 with the queued build (or the one of the same key under way: identical requests join it).',
  })
  @ApiBody({ type: BuildRequestDto, examples: BUILD_EXAMPLES })
  @ApiJsonAnswer(200, 'Build', 'Built already: download it from `download`')
  @ApiJsonAnswer(202, 'Build', 'Queued, or joined the build of the same key under way')
  @ApiErrorResponses('invalid_input', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'unsatisfiable', 'too_complex', 'no_builder', 'unbuildable', 'upstream_unavailable', 'queue_unavailable')
  async create(@Body() request: BuildRequestDto, @Req() http: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<BuildView> {
    const { row, built } = await this.service.request(request, requesterOf(http));
    void reply.code(built ? 200 : 202);
    return buildView(row);
  }

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'Builds, newest first' })
  @ApiResponse({ status: 200, description: 'The builds', content: { 'application/json': { schema: { type: 'array', items: { $ref: '#/components/schemas/Build' } } } } })
  @ApiErrorResponses('invalid_input')
  async list(@Query() query: BuildListQueryDto): Promise<BuildView[]> {
    return (await this.service.list(query.status, query.limit ?? DEFAULT_LIST_LENGTH)).map(buildView);
  }

  @Get(':id')
  @ReadAccess()
  @ApiOperation({ summary: 'A build: status, pins, timings per phase, size, error' })
  @ApiJsonAnswer(200, 'Build', 'The build')
  @ApiErrorResponses('invalid_input', 'not_found')
  async get(@Param() params: BuildParamsDto): Promise<BuildView> {
    const row = await this.service.find(Number(params.id));
    if (row === null) throw new NotFoundException(`no build ${params.id}`);
    return buildView(row);
  }

  @Get(':id/log')
  @ReadAccess()
  @HttpCode(200)
  @ApiOperation({ summary: "A build's log, streamed while it runs: text, or server-sent events with `Accept: text/event-stream`" })
  @ApiProduces('text/plain', 'text/event-stream')
  @ApiResponse({ status: 200, description: 'The log; the answer ends when the build does', content: { 'text/plain': { schema: { type: 'string' } }, 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiErrorResponses('invalid_input', 'not_found')
  async log(@Param() params: BuildParamsDto, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const id = Number(params.id);
    if ((await this.service.find(id)) === null) throw new NotFoundException(`no build ${params.id}`);
    const events = accept?.includes('text/event-stream') ?? false;
    void reply
      .code(200)
      .header('Content-Type', events ? 'text/event-stream; charset=utf-8' : 'text/plain; charset=utf-8')
      .header('Cache-Control', 'no-cache')
      // A followed log may last minutes: its connection is not kept for another request, so
      // that a server shutting down (which ends the stream) is not held by it afterwards.
      .header('Connection', 'close')
      .send(this.logs.stream(id, events, reply.raw));
  }
}
