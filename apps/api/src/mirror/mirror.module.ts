import { Module } from '@nestjs/common';
import { MirrorController } from './mirror.controller';
import { SyncJobsService } from './sync-jobs.service';

@Module({ controllers: [MirrorController], providers: [SyncJobsService] })
export class MirrorModule {}
