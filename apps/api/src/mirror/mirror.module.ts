import { Module } from '@nestjs/common';
import { Database } from '@venvfarm/db';
import { JobRepository } from '@venvfarm/mirror';
import { MirrorController } from './mirror.controller';
import { SyncJobsService } from './sync-jobs.service';

@Module({
  controllers: [MirrorController],
  providers: [SyncJobsService, { provide: JobRepository, inject: [Database], useFactory: (db: Database) => new JobRepository(db.pool) }],
})
export class MirrorModule {}
