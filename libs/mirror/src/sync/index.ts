export * from './allow-list';
export * from './ensure-project';
export * from './mirror-sync';
export * from './project-fetcher';
export * from './project-record';
export * from './sync-plan';
export * from './sync.repository';
