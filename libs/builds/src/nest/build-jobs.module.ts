import { Logger, Module, OnModuleInit } from '@nestjs/common';
import { VenvfarmConfig } from '@venvfarm/config';
import { BuildExecutor } from '../executors/build-executor';
import { reapWorkDirs } from '../run-build';
import { BuildProcessor } from '../jobs/build.processor';
import { LazyMirrorModule } from '@venvfarm/mirror';
import { BuildRequirementResolver } from '../sdists/build-requirement-resolver';
import { BuildsModule } from './builds.module';
import { MirrorBuildRequirements } from './mirror-build-requirements';

/** The builds queue's processor, for every process that runs jobs (`serve`, apps/worker). */
@Module({ imports: [BuildsModule, LazyMirrorModule], providers: [BuildProcessor, { provide: BuildRequirementResolver, useClass: MirrorBuildRequirements }] })
export class BuildJobsModule implements OnModuleInit {
  constructor(
    private readonly executor: BuildExecutor,
    private readonly config: VenvfarmConfig,
  ) {}

  /** What workers that died on this host left (containers, build directories) goes first. */
  async onModuleInit(): Promise<void> {
    const containers = await this.executor.reapOrphans();
    const dirs = await reapWorkDirs(this.config.buildDir);
    if (containers + dirs > 0) new Logger('builds').warn(`removed ${containers} build container(s) and ${dirs} build directories left by workers that died`);
  }
}
