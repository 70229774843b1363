/**
 * The job queues of venvfarm on BullMQ (the only code that imports it): queue names, job
 * payloads, typed producers, processors and the workers that run them, on Redis or on BullMQ's
 * PostgreSQL backend.
 */
export * from './queue-names';
export * from './job-payloads';
export { QUEUE_DEFINITIONS } from './queue-definitions';
export type { QueueDefinition, RetryPolicy } from './queue-definitions';
export * from './queue-settings';
export * from './job-view';
export { BuildProducer, JobProducer, MirrorSyncProducer } from './job-producer';
export type { JobStateCounts } from './job-producer';
export * from './job-processor';
export { QueueWorkers } from './queue-workers';
export { Queues } from './queues';
export { QueueUnavailableError } from './backend-calls';
export * from './nest/queue.module';
export { QueueProcessor } from './nest/queue-processor.decorator';
export type { QueueWork } from './nest/queue-workers.service';
