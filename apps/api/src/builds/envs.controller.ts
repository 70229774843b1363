import { Body, Controller, Get, Headers, NotFoundException, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ArtifactStore, ByteRange } from '@venvfarm/artifacts';
import { BuildFailedError, BuildRow, ENVS_NAMESPACE, tarballName } from '@venvfarm/builds';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { setTimeout as sleep } from 'node:timers/promises';
import { AdminOnly, ReadAccess } from '../auth/access.decorator';
import { ShutdownSignal } from '../common/shutdown-signal';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { ApiJsonAnswer } from '../common/api-responses';
import { requesterOf } from './builds.controller';
import { BuildsService } from './builds.service';
import { buildView } from './build-view';
import { sendObject } from '../common/send-object';
import { BUILD_EXAMPLES, BuildRequestDto, EnvParamsDto, EnvWaitQueryDto } from './dto/builds.dto';

/** How long `POST /v1/envs` waits for its build without `wait`. */
const DEFAULT_WAIT_SECONDS = 300;

/** How often `POST /v1/envs` looks at the build it waits for. */
const WAIT_POLL_MS = 250;

@ApiTags('builds')
@Controller('v1/envs')
export class EnvsController {
  constructor(
    private readonly service: BuildsService,
    private readonly store: ArtifactStore,
    private readonly shutdown: ShutdownSignal,
  ) {}

  @Get(':file')
  @ReadAccess()
  @ApiOperation({ summary: 'The tarball of a build key: immutable (ETag = key), with Range support' })
  @ApiProduces('application/gzip')
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range (`bytes=0-1023`, `bytes=1024-`, `bytes=-512`)' })
  @ApiResponse({ status: 200, description: 'The tarball', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 206, description: 'The range asked for', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match with the key)' })
  @ApiErrorResponses('invalid_input', 'not_found', 'range_not_satisfiable')
  async download(@Param() params: EnvParamsDto, @Headers('range') range: string | undefined, @Headers('if-none-match') ifNoneMatch: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    await this.sendTarball(params.file.slice(0, -'.tar.gz'.length), reply, range, ifNoneMatch);
  }

  @Post()
  @AdminOnly()
  @ApiOperation({
    summary: 'Resolve, build and download in one call (admin)',
    description: 'Answers the tarball (200) when the build is done within `wait` seconds (at once when its key is built already); else 202 with the build to poll. A failed build is 422 build_failed.',
  })
  @ApiBody({ type: BuildRequestDto, examples: BUILD_EXAMPLES })
  @ApiProduces('application/gzip', 'application/json')
  @ApiResponse({ status: 200, description: 'The tarball', content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } } })
  @ApiJsonAnswer(202, 'Build', 'Not done within `wait`: poll the build, then download it')
  @ApiErrorResponses('invalid_input', 'invalid_json', 'payload_too_large', 'unsupported_media_type', 'unsatisfiable', 'too_complex', 'no_builder', 'unbuildable', 'build_failed', 'upstream_unavailable', 'queue_unavailable')
  async create(@Body() request: BuildRequestDto, @Query() query: EnvWaitQueryDto, @Req() http: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { row } = await this.service.request(request, requesterOf(http));
    const finished = await this.waitFor(row, (query.wait ?? DEFAULT_WAIT_SECONDS) * 1000, reply);
    if (finished.status === 'done') return this.sendTarball(finished.key, reply, undefined, undefined);
    if (finished.status === 'failed') throw new BuildFailedError(finished.id, finished.error);
    void reply.code(202).send(buildView(finished));
  }

  /** The build once it has finished, or as it is when `waitMs` have passed or the client has gone. */
  private async waitFor(row: BuildRow, waitMs: number, reply: FastifyReply): Promise<BuildRow> {
    const deadline = Date.now() + waitMs;
    let current = row;
    // The response's close, not the request's: a request closes once its body is read.
    const gone = new AbortController();
    reply.raw.once('close', () => gone.abort());
    const stop = AbortSignal.any([gone.signal, this.shutdown.signal]);
    while ((current.status === 'queued' || current.status === 'building') && Date.now() < deadline && !stop.aborted) {
      await sleep(Math.min(WAIT_POLL_MS, Math.max(0, deadline - Date.now())), undefined, { signal: stop }).catch(() => undefined);
      current = (await this.service.find(current.id)) ?? current;
    }
    return current;
  }

  private async sendTarball(key: string, reply: FastifyReply, rangeHeader: string | undefined, ifNoneMatch: string | undefined): Promise<void> {
    const name = tarballName(key);
    const size = await this.store.statNamed(ENVS_NAMESPACE, name);
    if (size === null) throw new NotFoundException(`no environment ${key} (not built, or still building)`);
    const object = { name, size, etag: `"${key}"`, contentType: 'application/gzip', read: (range?: ByteRange) => this.store.readNamed(ENVS_NAMESPACE, name, range) };
    await sendObject(reply, object, rangeHeader, ifNoneMatch);
  }
}
