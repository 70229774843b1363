import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { contentTypeOf, negotiateSimple, projectHtml, projectJson, rootHtml, rootJson, SIMPLE_V1_JSON, SimpleFileRow, filePath } from '@venvfarm/index';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { ReadAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { matchesEtag } from '../common/send-object';
import { SimpleProjectParamsDto, SimpleQueryDto } from './dto/index.dto';
import { IndexService } from './index.service';
import { hasTrailingSlash } from './simple-urls';

/** Project pages change with the mirror: CDNs and installers may keep them this long, as PyPI's are. */
const PAGE_CACHE_CONTROL = 'public, max-age=600';

const ACCEPT_DOC = 'PEP 691 negotiation: `application/vnd.pypi.simple.v1+json`, `application/vnd.pypi.simple.v1+html` or `text/html` (the default)';

/** Files are linked relative to the page, so the index works behind any path prefix. */
const hrefFromProjectPage = (file: SimpleFileRow) => `../../files/${filePath(file.sha256, file.filename)}`;

/** The simple repository API (PEP 503 HTML and PEP 691 JSON) of the mirror, at `/simple/`. */
@ApiTags('index')
@ReadAccess()
@Controller('simple')
export class SimpleController {
  constructor(private readonly index: IndexService) {}

  @Get()
  @ApiOperation({ summary: 'Every project of the mirror (PEP 503/691 root page)' })
  @ApiHeader({ name: 'Accept', required: false, description: ACCEPT_DOC })
  @ApiProduces('text/html', 'application/vnd.pypi.simple.v1+html', SIMPLE_V1_JSON)
  @ApiResponse({ status: 200, description: 'The project list' })
  @ApiErrorResponses('invalid_input')
  async root(@Headers('accept') accept: string | undefined, @Query() query: SimpleQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!hasTrailingSlash(request.originalUrl)) return redirect(reply, request, '/simple/');
    const type = negotiateSimple(accept, query.format);
    const { projects, serial } = await this.index.projects();
    send(reply, request, type === SIMPLE_V1_JSON ? rootJson(projects, serial) : rootHtml(projects), contentTypeOf(type), serial);
  }

  @Get(':project')
  @ApiOperation({
    summary: "A project's files (PEP 503/691 page, PEP 658 metadata, PEP 592 yanks, PEP 700 fields)",
    description: 'A project the mirror never saw is fetched from the upstream first. A name that is not in its normalized form, or a URL without its trailing slash, is redirected (301).',
  })
  @ApiHeader({ name: 'Accept', required: false, description: ACCEPT_DOC })
  @ApiProduces('text/html', 'application/vnd.pypi.simple.v1+html', SIMPLE_V1_JSON)
  @ApiResponse({ status: 200, description: 'The project page' })
  @ApiResponse({ status: 301, description: 'To the normalized name, with the trailing slash' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match)' })
  @ApiErrorResponses('invalid_input', 'not_found', 'upstream_unavailable')
  async project(
    @Param() params: SimpleProjectParamsDto,
    @Headers('accept') accept: string | undefined,
    @Query() query: SimpleQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { spelled, name } = params.project;
    if (spelled !== name || !hasTrailingSlash(request.originalUrl)) return redirect(reply, request, `/simple/${name}/`);
    const type = negotiateSimple(accept, query.format);
    const page = await this.index.projectPage(name);
    send(reply, request, type === SIMPLE_V1_JSON ? projectJson(page, hrefFromProjectPage) : projectHtml(page, hrefFromProjectPage), contentTypeOf(type), page.serial);
  }
}

/** 301 to `path` (relative to the same mount point), keeping the query. */
function redirect(reply: FastifyReply, request: FastifyRequest, path: string): void {
  const query = request.url.indexOf('?');
  void reply.redirect(`${path}${query === -1 ? '' : request.url.slice(query)}`, 301);
}

/** A page with the headers PyPI sends: serial, ETag (304 on a match), caching, and Vary on Accept. */
function send(reply: FastifyReply, request: FastifyRequest, body: string, contentType: string, serial: number): void {
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 32)}"`;
  void reply.header('ETag', etag).header('Cache-Control', PAGE_CACHE_CONTROL).header('Vary', 'Accept').header('X-PyPI-Last-Serial', String(serial));
  if (matchesEtag(request.headers['if-none-match'], etag)) {
    void reply.code(304).send();
    return;
  }
  void reply.code(200).header('Content-Type', contentType).send(body);
}
