import { Body, ConflictException, Controller, Delete, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IndexRegistryRepository, IndexView, newUploadToken, tokenDigest } from '@venvfarm/index';
import { AdminOnly, ReadAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { ApiJsonAnswer } from '../common/api-responses';
import { CreateIndexDto, CreateTokenDto, TokenParamsDto } from './dto/indexes.dto';
import { IndexParamsDto } from './dto/index.dto';
import { UPSTREAM_INDEX } from './index.service';

/** Private indexes and their upload tokens (admin), at `/v1/indexes`. */
@ApiTags('index')
@Controller('v1/indexes')
export class IndexesController {
  constructor(private readonly registry: IndexRegistryRepository) {}

  @Get()
  @ReadAccess()
  @ApiOperation({ summary: 'Every index: the mirror of the upstream and the private ones' })
  @ApiJsonAnswer(200, 'IndexList', 'The indexes')
  list(): Promise<IndexView[]> {
    return this.registry.list();
  }

  @Post()
  @AdminOnly()
  @ApiOperation({ summary: 'Create a private index (admin)', description: 'Served at `/{name}/simple/`, uploaded to at `/{name}/`; layered in front of the upstream unless `upstream` is false.' })
  @ApiBody({ type: CreateIndexDto })
  @ApiJsonAnswer(201, 'Index', 'The new index')
  @ApiErrorResponses('invalid_input', 'invalid_json', 'conflict', 'payload_too_large', 'unsupported_media_type')
  async create(@Body() body: CreateIndexDto): Promise<IndexView> {
    const created = await this.registry.create(body.name, body.upstream === false ? null : UPSTREAM_INDEX);
    if (created === null) throw new ConflictException(`an index named ${body.name} exists already`);
    return created;
  }

  @Post(':index/tokens')
  @AdminOnly()
  @ApiOperation({ summary: 'Create an upload token of a private index (admin); the token is shown once' })
  @ApiBody({ type: CreateTokenDto })
  @ApiJsonAnswer(201, 'Token', 'The token (only its sha256 is kept)')
  @ApiErrorResponses('invalid_input', 'invalid_json', 'not_found', 'payload_too_large', 'unsupported_media_type')
  async createToken(@Param() params: IndexParamsDto, @Body() body: CreateTokenDto): Promise<{ id: number; index: string; token: string; description: string; created_at: string }> {
    const token = newUploadToken();
    const description = body.description ?? '';
    const made = await this.registry.createToken(params.index, tokenDigest(token), description);
    if (made === null) throw new NotFoundException(`no private index named ${params.index}`);
    return { id: made.id, index: params.index, token, description, created_at: made.created_at };
  }

  @Delete(':index/tokens/:id')
  @AdminOnly()
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke an upload token (admin): uploads with it are refused (403) from now on' })
  @ApiResponse({ status: 204, description: 'Revoked' })
  @ApiErrorResponses('invalid_input', 'not_found')
  async revokeToken(@Param() params: TokenParamsDto): Promise<void> {
    if (!(await this.registry.revokeToken(params.index, params.id))) throw new NotFoundException(`index ${params.index} has no live token ${params.id}`);
  }
}
