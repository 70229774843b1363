import { Controller, Get, Headers, Param, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { negotiateSimple, SIMPLE_V1_JSON } from '@venvfarm/index';
import type { ProjectName } from '@venvfarm/pep508';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { matchesEtag } from '../common/send-object';
import { IndexParamsDto, PrivateSimpleProjectParamsDto, SimpleProjectParamsDto, SimpleQueryDto } from './dto/index.dto';
import { UPSTREAM_INDEX } from './index.service';
import { PAGE_CACHE_CONTROL, RenderedPage, RenderedPages } from './rendered-pages';
import { hasTrailingSlash } from './simple-urls';


const ACCEPT_DOC = 'PEP 691 negotiation: `application/vnd.pypi.simple.v1+json`, `application/vnd.pypi.simple.v1+html` or `text/html` (the default)';
const PROJECT_SUMMARY = "A project's files (PEP 503/691 page, PEP 658 metadata, PEP 592 yanks, PEP 700 fields)";


function ApiSimplePage(summary: string, description: string): MethodDecorator {
  return (target, key, descriptor) => {
    ApiOperation({ summary, description })(target, key, descriptor);
    ApiHeader({ name: 'Accept', required: false, description: ACCEPT_DOC })(target, key, descriptor);
    ApiProduces('text/html', 'application/vnd.pypi.simple.v1+html', SIMPLE_V1_JSON)(target, key, descriptor);
    ApiResponse({ status: 200, description: 'The page' })(target, key, descriptor);
    ApiResponse({ status: 301, description: 'To the normalized name, with the trailing slash' })(target, key, descriptor);
    ApiResponse({ status: 304, description: 'Not modified (If-None-Match)' })(target, key, descriptor);
    ApiErrorResponses('invalid_input', 'not_found', 'upstream_unavailable')(target, key, descriptor);
  };
}

/**
 * The simple repository API (PEP 503 HTML and PEP 691 JSON): the mirror of the upstream at
 * `/simple/`, and each private index at `/{index}/simple/` (its projects, then, when it is
 * layered in front of the upstream, the upstream's projects it does not have).
 */
@ApiTags('index')
@ReadAccess()
@Controller()
export class SimpleController {
  constructor(private readonly pages: RenderedPages) {}

  @Get('simple')
  @ApiSimplePage('Every project of the mirror (PEP 503/691 root page)', 'A URL without the trailing slash is redirected (301).')
  async root(@Headers('accept') accept: string | undefined, @Query() query: SimpleQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.rootPage(UPSTREAM_INDEX, '/simple/', accept, query, request, reply);
  }

  @Get('simple/:project')
  @ApiSimplePage(PROJECT_SUMMARY, 'A project the mirror never saw is fetched from the upstream first. A name not in its normalized form, or a URL without its trailing slash, is redirected (301).')
  async project(@Param() params: SimpleProjectParamsDto, @Headers('accept') accept: string | undefined, @Query() query: SimpleQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.projectPage(UPSTREAM_INDEX, '/simple/', params.project, accept, query, request, reply);
  }

  @Get(':index/simple')
  @ApiSimplePage('Every project of a private index and of the index behind it (PEP 503/691 root page)', 'A URL without the trailing slash is redirected (301).')
  async privateRoot(@Param() params: IndexParamsDto, @Headers('accept') accept: string | undefined, @Query() query: SimpleQueryDto, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.rootPage(params.index, `/${params.index}/simple/`, accept, query, request, reply);
  }

  @Get(':index/simple/:project')
  @ApiSimplePage(`${PROJECT_SUMMARY} in a private index`, 'A project the private index has is never taken from the index behind it (dependency-confusion protection); one it lacks comes from there.')
  async privateProject(
    @Param() params: PrivateSimpleProjectParamsDto,
    @Headers('accept') accept: string | undefined,
    @Query() query: SimpleQueryDto,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.projectPage(params.index, `/${params.index}/simple/`, params.project, accept, query, request, reply);
  }

  private async rootPage(index: string, path: string, accept: string | undefined, query: SimpleQueryDto, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    if (!hasTrailingSlash(request.originalUrl)) return redirect(reply, request, path);
    send(reply, request, await this.pages.root(index, negotiateSimple(accept, query.format)));
  }

  private async projectPage(index: string, root: string, project: { spelled: string; name: ProjectName }, accept: string | undefined, query: SimpleQueryDto, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { spelled, name } = project;
    if (spelled !== name || !hasTrailingSlash(request.originalUrl)) return redirect(reply, request, `${root}${name}/`);
    send(reply, request, await this.pages.project(index, name, negotiateSimple(accept, query.format)));
  }
}

/** 301 to `path`, keeping the query. */
function redirect(reply: FastifyReply, request: FastifyRequest, path: string): void {
  const query = request.originalUrl.indexOf('?');
  void reply.redirect(`${path}${query === -1 ? '' : request.originalUrl.slice(query)}`, 301);
}

/** A page with the headers PyPI sends: serial, ETag (304 on a match), caching, and Vary on Accept. */
function send(reply: FastifyReply, request: FastifyRequest, page: RenderedPage): void {
  void reply.header('ETag', page.etag).header('Cache-Control', PAGE_CACHE_CONTROL).header('Vary', 'Accept').header('X-PyPI-Last-Serial', String(page.serial));
  if (matchesEtag(request.headers['if-none-match'], page.etag)) {
    void reply.code(304).send();
    return;
  }
  void reply.code(200).header('Content-Type', page.contentType).send(page.body);
}
