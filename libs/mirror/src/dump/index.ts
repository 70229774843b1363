/** Bulk import and export of the dump format (`venvfarm mirror import|export`). */
export * from './dump-format';
export * from './dump-reader';
export * from './dump-import';
export * from './dump-export';
export * from './dump-job.repository';
