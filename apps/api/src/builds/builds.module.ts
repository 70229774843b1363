import { Module } from '@nestjs/common';
import { BuildJobsModule, BuildsModule as BuildsLibModule } from '@venvfarm/builds';
import { LazyMirrorModule } from '@venvfarm/mirror';
import { AuthModule } from '../auth/auth.module';
import { ShutdownSignal } from '../common/shutdown-signal';
import { ResolveModule } from '../resolve/resolve.module';
import { BuildLogStream } from './build-log-stream';
import { BuildsController } from './builds.controller';
import { LockedPins } from './locked-pins';
import { BuildsService } from './builds.service';
import { EnvsController } from './envs.controller';

/** `POST /v1/builds`, `GET /v1/builds[/{id}[/log]]`, `GET /v1/envs/{key}.tar.gz` and `POST /v1/envs`. */
// BuildJobsModule: `serve` runs the builds queue's processor too, unless VENVFARM_JOBS=off.
@Module({ imports: [BuildsLibModule, BuildJobsModule, ResolveModule, AuthModule, LazyMirrorModule], controllers: [BuildsController, EnvsController], providers: [BuildsService, LockedPins, BuildLogStream, ShutdownSignal] })
export class BuildsApiModule {}
