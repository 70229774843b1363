import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { DomainErrorFilter } from './common/domain-error.filter';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MirrorModule } from './mirror/mirror.module';
import { ProjectsModule } from './projects/projects.module';
import { ResolveModule } from './resolve/resolve.module';

@Module({
  imports: [DatabaseModule, HealthModule, ProjectsModule, MirrorModule, ResolveModule],
  providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
})
export class AppModule {}
