import { Controller, Get, Param, Query } from '@nestjs/common';
import type { Dependents, ProjectView } from '@venvfarm/mirror';
import { DependentsQuery, parseDependentsQuery } from './dependents-query';
import { ProjectsService } from './projects.service';

/** `GET /v1/projects/{name}` and its reverse dependencies. */
@Controller('v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(':name')
  get(@Param('name') name: string): Promise<ProjectView> {
    return this.projects.get(name);
  }

  /** Releases that require the project: `?transitive=true&depth=2&range===4.2.*&limit=1000`. */
  @Get(':name/dependents')
  dependents(@Param('name') name: string, @Query() query: DependentsQuery): Promise<Dependents> {
    return this.projects.dependents(name, parseDependentsQuery(query));
  }
}
