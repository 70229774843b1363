import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { ReadAccess } from '../auth/access.decorator';
import type { FastifyReply } from 'fastify';
import { ResolveRequestDto } from './dto/resolve.dto';
import { RESOLVE_EXAMPLES, RESOLVE_RESPONSE_EXAMPLE } from './resolve.openapi';
import { CachedAnswers } from './cached-answers';
import { sendResolveResult, wantsFreshAnswer } from './resolve-reply';
import { ResolveService } from './resolve.service';

@ApiTags('resolve')
@ReadAccess()
@Controller('v1')
export class ResolveController {
  constructor(
    private readonly service: ResolveService,
    private readonly cachedAnswers: CachedAnswers,
  ) {}

  @Post('resolve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resolve requirements into a pinned, hashed set for one target',
    description:
      'Answers from the cache while no project the answer touched has a new release or yank upstream; `Cache-Control: no-cache` recomputes. ' +
      'With `format` (or `Accept: text/plain` / `application/toml`) the body is a requirements.txt with --hash lines or a PEP 751 pylock.toml.',
  })
  @ApiBody({ type: ResolveRequestDto, examples: RESOLVE_EXAMPLES })
  @ApiHeader({ name: 'Cache-Control', required: false, description: '`no-cache` recomputes and refreshes the cached entry' })
  @ApiProduces('application/json', 'text/plain', 'application/toml')
  @ApiResponse({
    status: 200,
    description: 'The pinned set (JSON; or a requirements.txt / pylock.toml by `format` or Accept)',
    content: {
      'application/json': { schema: { $ref: '#/components/schemas/ResolveAnswer' }, example: RESOLVE_RESPONSE_EXAMPLE },
      'text/plain': { schema: { type: 'string' }, example: RESOLVE_RESPONSE_EXAMPLE.requirements_txt },
      'application/toml': { schema: { type: 'string' } },
    },
  })
  @ApiErrorResponses('invalid_input', 'invalid_json', 'not_found', 'payload_too_large', 'unsupported_media_type', 'unsatisfiable', 'too_complex', 'upstream_unavailable')
  async resolve(@Body() request: ResolveRequestDto, @Headers('cache-control') cacheControl: string | undefined, @Headers('accept') accept: string | undefined, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.service.resolve(request, { noCache: wantsFreshAnswer(cacheControl) });
    // Validated and answered: the same body again can be answered below NestJS (cached-answers.ts).
    this.cachedAnswers.remember(reply.request, result.answer.key, request.format);
    sendResolveResult(reply, result, accept);
  }
}
