import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ConfigModule } from '@venvfarm/config';
import { DatabaseModule } from '@venvfarm/db';
import { UpstreamModule } from '@venvfarm/upstream';
import { DomainErrorFilter } from './common/domain-error.filter';
import { HealthModule } from './health/health.module';
import { MirrorModule } from './mirror/mirror.module';
import { ProjectsModule } from './projects/projects.module';
import { ResolveModule } from './resolve/resolve.module';

@Module({
  imports: [ConfigModule.forRoot(), DatabaseModule, UpstreamModule, HealthModule, ProjectsModule, MirrorModule, ResolveModule],
  providers: [{ provide: APP_FILTER, useClass: DomainErrorFilter }],
})
export class AppModule {}
