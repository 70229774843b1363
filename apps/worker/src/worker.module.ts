import { Module } from '@nestjs/common';

/**
 * The worker process. Processors register here per queue (mirror sync, builds); until the
 * mirror lands it hosts none, and `main.ts` says so rather than pretending to work.
 */
@Module({})
export class WorkerModule {}
