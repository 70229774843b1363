import { Module } from '@nestjs/common';
import { ConfigModule } from '@venvfarm/config';
import { BuildJobsModule } from '@venvfarm/builds';
import { DatabaseModule, OrmModule } from '@venvfarm/db';
import { LoggingModule } from '@venvfarm/logging';
import { MirrorJobsModule } from '@venvfarm/mirror';
import { QueueModule } from '@venvfarm/queue';
import { UpstreamModule } from '@venvfarm/upstream';

/**
 * The worker process: runs the processors of every queue (mirror syncs that `POST
 * /v1/mirror/sync` queued; builds later), beside or instead of the API processes
 * (`VENVFARM_JOBS=off` there). Any number of workers on any number of hosts share the queues;
 * SIGTERM gives a running job back to the queue and exits. It logs as the API does
 * ({@link LoggingModule}: pino JSON lines on stdout, readable on a terminal).
 */
@Module({ imports: [ConfigModule.forRoot(), LoggingModule, DatabaseModule, OrmModule, UpstreamModule, QueueModule.forRoot({ work: 'all' }), MirrorJobsModule, BuildJobsModule] })
export class WorkerModule {}
