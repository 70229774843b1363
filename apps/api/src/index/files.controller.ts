import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ReadAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { IMMUTABLE, sendObject } from '../common/send-object';
import { FileParamsDto } from './dto/index.dto';
import { IndexService } from './index.service';

/** The files of the index, at `/files/{sha256}/{filename}`: from the store, or fetched once from the upstream. */
@ApiTags('index')
@ReadAccess()
@Controller('files')
export class FilesController {
  constructor(private readonly index: IndexService) {}

  @Get(':sha256/:filename')
  @ApiOperation({
    summary: 'A distribution file, or its PEP 658 core metadata (`<filename>.metadata`): immutable, with Range support',
    description:
      'The first request for a file the store lacks streams it from the upstream while it is stored; the stored copy becomes visible only once its sha256 matched, and a file whose upstream bytes do not match is never stored and never sent whole. With the upstream down, stored files are still served and others answer 503.',
  })
  @ApiProduces('application/octet-stream', 'text/plain')
  @ApiHeader({ name: 'Range', required: false, description: 'One byte range (`bytes=0-1023`, `bytes=1024-`, `bytes=-512`)' })
  @ApiResponse({ status: 200, description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } })
  @ApiResponse({ status: 206, description: 'The range asked for' })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match with the sha256)' })
  @ApiErrorResponses('invalid_input', 'not_found', 'range_not_satisfiable', 'upstream_unavailable', 'upstream_hash_mismatch')
  async file(
    @Param() params: FileParamsDto,
    @Headers('range') range: string | undefined,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    // A range, a HEAD or a revalidation is answered from the store once the file is there.
    const streams = range === undefined && request.method === 'GET' && ifNoneMatch === undefined;
    const { file, opened } = await this.index.openFile(params.sha256, params.filename, streams);
    const contentType = params.filename.endsWith('.metadata') ? 'text/plain; charset=utf-8' : 'application/octet-stream';
    const etag = `"${file.sha256}"`;
    if (opened.kind === 'streaming') {
      void reply.header('ETag', etag).header('Cache-Control', IMMUTABLE).header('Accept-Ranges', 'bytes').header('Content-Type', contentType);
      if (opened.size !== null) void reply.header('Content-Length', String(opened.size));
      void reply.code(200).send(opened.stream);
      return;
    }
    await sendObject(reply, { name: params.filename, size: opened.size, etag, contentType, read: (r) => this.index.readStored(file.sha256, opened.size, r) }, range, ifNoneMatch);
  }
}
