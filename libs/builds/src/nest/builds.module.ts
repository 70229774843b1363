import { Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { getRepositoryToken, TypeOrmModule } from '@nestjs/typeorm';
import { ArtifactStore, openArtifactStore } from '@venvfarm/artifacts';
import { VenvfarmConfig } from '@venvfarm/config';
import type { Repository } from 'typeorm';
import { BuildRow } from '../build.entity';
import { BuildRepository } from '../build.repository';
import { BuildTargets } from '../build-targets';
import { BuildExecutor } from '../executors/build-executor';
import { DockerExecutor } from '../executors/docker-executor';
import { LocalExecutor } from '../executors/local-executor';

/** The configured executor: Docker when asked for, or (auto) when an engine answers; else the local one. */
async function chooseExecutor(config: VenvfarmConfig): Promise<BuildExecutor> {
  if (config.executor === 'local') return new LocalExecutor();
  const docker = new DockerExecutor();
  if (config.executor === 'docker' || (await docker.available())) return docker;
  new Logger('builds').log('no Docker engine answers: builds run with local interpreters (VENVFARM_EXECUTOR=local)');
  return new LocalExecutor();
}

/** What the API and the workers share of builds: the rows, the store, the executor and its targets. */
@Module({
  imports: [TypeOrmModule.forFeature([BuildRow])],
  providers: [
    { provide: BuildRepository, inject: [getRepositoryToken(BuildRow)], useFactory: (rows: Repository<BuildRow>) => new BuildRepository(rows) },
    { provide: ArtifactStore, inject: [VenvfarmConfig], useFactory: (config: VenvfarmConfig) => openArtifactStore(config.store) },
    { provide: BuildExecutor, inject: [VenvfarmConfig], useFactory: chooseExecutor },
    { provide: BuildTargets, inject: [BuildExecutor], useFactory: (executor: BuildExecutor) => new BuildTargets(executor) },
  ],
  exports: [BuildRepository, ArtifactStore, BuildExecutor, BuildTargets],
})
export class BuildsModule implements OnApplicationShutdown {
  constructor(private readonly store: ArtifactStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
