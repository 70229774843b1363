import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Database } from './database';

/**
 * TypeORM for the plain tables (entities beside the code that uses them, registered with
 * `TypeOrmModule.forFeature`), on the same database as the pool. The schema stays the
 * migrations' (synchronize is never on); recursive and bulk SQL stays in sql/ files on the pool.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [Database],
      useFactory: (db: Database) => ({
        type: 'postgres' as const,
        url: db.url,
        autoLoadEntities: true,
        synchronize: false,
        migrationsRun: false,
        // Entity reads and writes are few and short; the pool of the hot queries is the other one.
        extra: { max: 2, options: '-c jit=off' },
        retryAttempts: 2,
      }),
    }),
  ],
})
export class OrmModule {}
