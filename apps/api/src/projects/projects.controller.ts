import { Controller, Get, Param } from '@nestjs/common';
import type { ProjectView } from '@venvfarm/mirror';
import { ProjectsService } from './projects.service';

/** `GET /v1/projects/{name}`: releases, files and dependencies of one project. */
@Controller('v1/projects')
export class ProjectsController {
  constructor(private readonly projects: ProjectsService) {}

  @Get(':name')
  get(@Param('name') name: string): Promise<ProjectView> {
    return this.projects.get(name);
  }
}
