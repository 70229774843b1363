import { Injectable, NotFoundException } from '@nestjs/common';
import { normalizeName } from '@venvfarm/pep508';
import { ProjectRepository, ProjectView } from '@venvfarm/mirror';

/** One project of the mirror, by any spelling of its name. */
@Injectable()
export class ProjectsService {
  constructor(private readonly projects: ProjectRepository) {}

  async get(name: string): Promise<ProjectView> {
    const normalized = normalizeName(name);
    const project = await this.projects.find(normalized);
    if (project === null) throw new NotFoundException(`no project named '${normalized}' in the mirror`);
    return project;
  }
}
