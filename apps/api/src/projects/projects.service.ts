import { Injectable, NotFoundException } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { Dependents, dependents, DependentsOptions, LazyMirror, ProjectRepository, ProjectView } from '@venvfarm/mirror';
import type { ProjectName } from '@venvfarm/pep508';

/** One project of the mirror, by any spelling of its name, fetched from upstream on first use. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly lazyMirror: LazyMirror,
    private readonly db: Database,
  ) {}

  /**
   * The project; one the mirror never saw is fetched from the upstream now (lazy mirror).
   * @throws NotFoundException when neither the mirror nor the upstream has it
   * @throws UpstreamError when the upstream is needed and cannot answer (the filter makes it 503)
   */
  async get(name: ProjectName): Promise<ProjectView> {
    const project = (await this.projects.find(name)) ?? ((await this.lazyMirror.ensure(name)) === 'missing' ? null : await this.projects.find(name));
    if (project === null) throw new NotFoundException(`no project named '${name}' in the mirror${this.lazyMirror.offline ? '' : ' or upstream'}`);
    return project;
  }

  /** Releases that depend on the project; 404 only when nothing depends on it and the mirror does not know it. */
  async dependents(name: ProjectName, options: DependentsOptions): Promise<Dependents> {
    const found = await dependents(this.db.pool, name, options);
    if (found.releases.length === 0 && (await this.projects.find(found.name)) === null) {
      throw new NotFoundException(`no project named '${found.name}' in the mirror`);
    }
    return found;
  }
}
