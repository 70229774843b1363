import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ConfigModule } from '@venvfarm/config';
import { DatabaseModule, OrmModule } from '@venvfarm/db';
import { QueueModule } from '@venvfarm/queue';
import { UpstreamModule } from '@venvfarm/upstream';
import { AuthModule } from './auth/auth.module';
import { BuildsApiModule } from './builds/builds.module';
import { BearerAuthGuard } from './auth/bearer-auth.guard';
import { DomainErrorFilter } from './common/domain-error.filter';
import { UndeclaredQueryGuard } from './common/undeclared-query.guard';
import { EdgeValidationPipe } from './common/validation.pipe';
import { HealthModule } from './health/health.module';
import { IndexModule } from './index/index.module';
import { MirrorModule } from './mirror/mirror.module';
import { ObservabilityModule } from './observability/observability.module';
import { ProjectsModule } from './projects/projects.module';
import { ResolveModule } from './resolve/resolve.module';

@Module({
  imports: [ConfigModule.forRoot(), ObservabilityModule, DatabaseModule, OrmModule, QueueModule.forRoot({ work: 'config' }), UpstreamModule, AuthModule, HealthModule, ProjectsModule, MirrorModule, ResolveModule, BuildsApiModule, IndexModule],
  providers: [
    { provide: APP_FILTER, useClass: DomainErrorFilter },
    { provide: APP_PIPE, useClass: EdgeValidationPipe },
    // Global guards run in this order: the credentials first (an unauthenticated call is a 401
    // whatever else is wrong with it), then the query.
    { provide: APP_GUARD, useClass: BearerAuthGuard },
    { provide: APP_GUARD, useClass: UndeclaredQueryGuard },
  ],
})
export class AppModule {}
