import { Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiConsumes, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { PrivateUploads, UploadedFile, UploadNotMultipartError, uploadTokenOf } from '@venvfarm/index';
import type { FastifyRequest } from 'fastify';
import { OpenAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { IndexParamsDto } from './dto/index.dto';

/**
 * Uploads to a private index with the legacy upload API, as twine speaks it: `POST /{index}/`
 * (the repository URL `http://HOST/{index}/`), a multipart form with the file as `content`,
 * authenticated by a token of the index as the password of the user `__token__`.
 */
@ApiTags('index')
@Controller()
export class UploadsController {
  constructor(private readonly uploads: PrivateUploads) {}

  // Open to the bearer guard: an upload carries its index's token, checked here, not the admin's.
  @OpenAccess()
  @Post(':index')
  @HttpCode(200)
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary: 'Upload a wheel or an sdist to a private index (the legacy upload API of twine)',
    description:
      'Basic credentials `__token__:<token>` (a token made with `venvfarm token create --index NAME`). The file\'s own metadata must agree with its name and the form (`name`, `version`, `filetype`, `sha256_digest`); a filename the index has already is 409 (uploads are immutable).',
  })
  @ApiResponse({ status: 200, description: 'Stored: the project, version, filename and sha256' })
  @ApiErrorResponses('invalid_input', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type')
  async upload(@Param() params: IndexParamsDto, @Req() request: FastifyRequest): Promise<UploadedFile> {
    await this.uploads.authorize(params.index, uploadTokenOf(request.headers.authorization));
    this.uploads.checkLength(request.headers['content-length']);
    if (!/^multipart\/form-data/i.test(request.headers['content-type'] ?? '')) throw new UploadNotMultipartError();
    return this.uploads.upload(params.index, request.raw, request.headers);
  }
}
