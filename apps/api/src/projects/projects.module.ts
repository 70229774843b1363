import { Module } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { LazyMirrorModule, ProjectRepository } from '@venvfarm/mirror';
import { ProjectsController } from './projects.controller';
import { ProjectsService } from './projects.service';

@Module({
  imports: [LazyMirrorModule],
  controllers: [ProjectsController],
  providers: [ProjectsService, { provide: ProjectRepository, inject: [Database], useFactory: (db: Database) => new ProjectRepository(db.pool) }],
})
export class ProjectsModule {}
