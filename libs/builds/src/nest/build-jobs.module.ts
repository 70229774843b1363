import { Module, OnModuleInit, Logger } from '@nestjs/common';
import { BuildExecutor } from '../executors/build-executor';
import { BuildProcessor } from '../jobs/build.processor';
import { BuildsModule } from './builds.module';

/** The builds queue's processor, for every process that runs jobs (`serve`, apps/worker). */
@Module({ imports: [BuildsModule], providers: [BuildProcessor] })
export class BuildJobsModule implements OnModuleInit {
  constructor(private readonly executor: BuildExecutor) {}

  /** Containers of workers that died on this host go first. */
  async onModuleInit(): Promise<void> {
    const removed = await this.executor.reapOrphans();
    if (removed > 0) new Logger('builds').warn(`removed ${removed} build container(s) left by workers that died`);
  }
}
