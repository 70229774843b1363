import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { RESOLVE_EXAMPLES, RESOLVE_RESPONSE_EXAMPLE } from './resolve.openapi';
import { renderAs, ResolveService } from './resolve.service';

/** Which lock format the client asked for: `format` wins, then Accept; JSON otherwise. */
function chosenFormat(format: string | null, accept: string | undefined): 'json' | 'requirements.txt' | 'pylock.toml' {
  if (format !== null) return format as 'json' | 'requirements.txt' | 'pylock.toml';
  const types = (accept ?? '').toLowerCase();
  if (types.includes('application/json') || types.trim() === '' || types.includes('*/*')) return 'json';
  if (types.includes('text/plain')) return 'requirements.txt';
  if (types.includes('application/toml')) return 'pylock.toml';
  return 'json';
}

@ApiTags('resolve')
@Controller('v1')
export class ResolveController {
  constructor(private readonly service: ResolveService) {}

  @Post('resolve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Resolve requirements into a pinned, hashed set for one target',
    description:
      'Answers from the cache while no project the answer touched has a new release or yank upstream; `Cache-Control: no-cache` recomputes. ' +
      'With `format` (or `Accept: text/plain` / `application/toml`) the body is a requirements.txt with --hash lines or a PEP 751 pylock.toml.',
  })
  @ApiBody({ schema: { type: 'object' }, examples: RESOLVE_EXAMPLES })
  @ApiHeader({ name: 'Cache-Control', required: false, description: '`no-cache` recomputes and refreshes the cached entry' })
  @ApiProduces('application/json', 'text/plain', 'application/toml')
  @ApiResponse({ status: 200, description: 'The pinned set', content: { 'application/json': { example: RESOLVE_RESPONSE_EXAMPLE } } })
  @ApiResponse({ status: 400, description: 'Unparsable input: `{error: "invalid_input", detail, field, input, position, line?}`' })
  @ApiResponse({ status: 404, description: 'A requested project no index has: `{error: "not_found", detail, projects}`' })
  @ApiResponse({ status: 413, description: 'The body is too large' })
  @ApiResponse({ status: 422, description: '`unsatisfiable` with the explanation, or `too_complex` when the time limit passed' })
  @ApiResponse({ status: 503, description: 'The upstream is needed (an unknown project) and cannot answer; see Retry-After' })
  async resolve(@Body() body: unknown, @Headers('cache-control') cacheControl: string | undefined, @Headers('accept') accept: string | undefined, @Res() res: Response): Promise<void> {
    const noCache = /(^|,)\s*no-cache\s*(,|$)/i.test(cacheControl ?? '');
    const result = await this.service.resolve(body, { noCache });
    const format = chosenFormat(result.format, accept);
    res.setHeader('X-Venvfarm-Cache', result.cached ? 'hit' : 'miss');
    res.setHeader('ETag', `"${result.answer.key}"`);
    if (format === 'json') {
      // The answer is serialized once, when computed; only the per-reply fields are added here.
      res.type('application/json').send(`${result.json.slice(0, -1)},"cached":${result.cached},"timings":${JSON.stringify(result.timings)}}`);
      return;
    }
    res.type(format === 'pylock.toml' ? 'application/toml' : 'text/plain').send(renderAs(format, result.answer));
  }
}
