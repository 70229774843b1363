import { Module } from '@nestjs/common';
import { BuildsModule as BuildsLibModule } from '@venvfarm/builds';
import { Database } from '@venvfarm/db';
import { SimpleIndexRepository } from '@venvfarm/index';
import { LazyMirrorModule } from '@venvfarm/mirror';
import { FilesController } from './files.controller';
import { IndexService } from './index.service';
import { SimpleController } from './simple.controller';

/** The package index: `/simple/` pages from the mirror and the caching proxy of `/files/`. */
// BuildsLibModule: the artifact store, which the build farm and the index share.
@Module({
  imports: [LazyMirrorModule, BuildsLibModule],
  controllers: [SimpleController, FilesController],
  providers: [IndexService, { provide: SimpleIndexRepository, inject: [Database], useFactory: (db: Database) => new SimpleIndexRepository(db.pool) }],
})
export class IndexModule {}
