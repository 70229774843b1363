/** The ingest writer: the one place that writes projects, releases, files, metadata and requirements. */
export * from './records';
export * from './ingest-writer';
export * from './ingest-batch';
export * from './ingest.repository';
export * from './requirement-row';
export * from './copy-text';
