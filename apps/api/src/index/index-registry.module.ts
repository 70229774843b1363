import { Module } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { IndexRegistryRepository } from '@venvfarm/index';

/** The indexes and their tokens, for the routes that serve, resolve against or upload to them. */
@Module({
  providers: [{ provide: IndexRegistryRepository, inject: [Database], useFactory: (db: Database) => new IndexRegistryRepository(db.pool) }],
  exports: [IndexRegistryRepository],
})
export class IndexRegistryModule {}
