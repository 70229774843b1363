/** The metadata mirror: ingest, bulk import/export, sync (full, incremental, lazy) and its repositories. */
export * from './ingest';
export * from './dump';
export * from './sync';
export * from './repositories/project.repository';
export * from './repositories/status.repository';
export * from './repositories/closure.repository';
export * from './repositories/dependents.repository';
export * from './jobs/mirror-sync.processor';
export * from './jobs/mirror-jobs.module';
