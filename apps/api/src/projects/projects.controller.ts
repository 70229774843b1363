import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Dependents, ProjectView } from '@venvfarm/mirror';
import { ReadAccess } from '../auth/access.decorator';
import { ApiErrorResponses } from '../common/api-errors.decorator';
import { ApiJsonAnswer } from '../common/api-responses';
import { DependentsQueryDto, ProjectParamsDto } from './dto/projects.dto';
import { ProjectsService } from './projects.service';

/** `GET /v1/projects/{name}` and its reverse dependencies. */
@ApiTags('projects')
@ReadAccess()
@Controller('v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(':name')
  @ApiOperation({ summary: 'A project of the mirror by any spelling of its name; one the mirror never saw is fetched from the upstream first' })
  @ApiJsonAnswer(200, 'Project', 'The project with its releases, files and dependencies')
  @ApiErrorResponses('invalid_input', 'not_found', 'upstream_unavailable')
  get(@Param() params: ProjectParamsDto): Promise<ProjectView> {
    return this.projects.get(params.name);
  }

  /** Releases that require the project: `?transitive=true&depth=2&range===4.2.*&limit=1000`. */
  @Get(':name/dependents')
  @ApiOperation({ summary: 'Releases in the mirror that require the project (optionally transitively, in a version range of it)' })
  @ApiJsonAnswer(200, 'Dependents', 'The dependent releases, and their projects')
  @ApiErrorResponses('invalid_input', 'not_found')
  dependents(@Param() params: ProjectParamsDto, @Query() query: DependentsQueryDto): Promise<Dependents> {
    return this.projects.dependents(params.name, query);
  }
}
