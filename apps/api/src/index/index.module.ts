import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ArtifactStore } from '@venvfarm/artifacts';
import { BuildsModule as BuildsLibModule } from '@venvfarm/builds';
import { VenvfarmConfig } from '@venvfarm/config';
import { Database } from '@venvfarm/db';
import { IndexRegistryRepository, PrivateUploads, SimpleIndexRepository } from '@venvfarm/index';
import { LazyMirrorModule } from '@venvfarm/mirror';
import { ResolutionModule } from '@venvfarm/resolution';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { FilesController } from './files.controller';
import { AuthModule } from '../auth/auth.module';
import { IndexRegistryModule } from './index-registry.module';
import { KeptIndexAnswers } from './kept-answers';
import { IndexService } from './index.service';
import { IndexesController } from './indexes.controller';
import { RenderedPages } from './rendered-pages';
import { SimpleController } from './simple.controller';
import { UploadsController } from './uploads.controller';

function privateUploads(db: Database, registry: IndexRegistryRepository, store: ArtifactStore, config: VenvfarmConfig): PrivateUploads {
  const tmpDir = join(config.dataDir, 'uploads');
  mkdirSync(tmpDir, { recursive: true });
  return new PrivateUploads(db.pool, registry, store, { maxBytes: config.uploadMaxBytes, tmpDir });
}

/** The package index: `/simple/` pages from the mirror, private indexes with their uploads and tokens, and the caching proxy of `/files/`; kept pages and small files are answered in front of Fastify. */
// BuildsLibModule: the artifact store, which the build farm and the index share.
@Module({
  imports: [LazyMirrorModule, BuildsLibModule, IndexRegistryModule, ResolutionModule, AuthModule],
  controllers: [SimpleController, FilesController, IndexesController, UploadsController],
  providers: [
    IndexService,
    RenderedPages,
    KeptIndexAnswers,
    { provide: SimpleIndexRepository, inject: [Database], useFactory: (db: Database) => new SimpleIndexRepository(db.pool) },
    { provide: PrivateUploads, inject: [Database, IndexRegistryRepository, ArtifactStore, VenvfarmConfig], useFactory: privateUploads },
  ],
})
export class IndexModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly kept: KeptIndexAnswers,
  ) {}

  /** Kept pages and small files are answered in front of Fastify (kept-answers.ts). */
  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (adapter === undefined || adapter === null || adapter.getType() !== 'fastify') return;
    this.kept.serve(adapter.getHttpServer());
  }
}
