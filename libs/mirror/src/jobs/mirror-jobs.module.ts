import { Module } from '@nestjs/common';
import { MirrorSyncProcessor } from './mirror-sync.processor';

/**
 * The mirror's queue processors, for every process that runs jobs (`serve`, apps/worker); the
 * queue module finds them at start-up.
 */
@Module({ providers: [MirrorSyncProcessor] })
export class MirrorJobsModule {}
