/** The resolve use case over the mirror: a Provider over the candidate closure, the resolve cache. */
export * from './mirror-provider';
export * from './resolve-on-mirror';
export * from './resolve-cache.repository';
export * from './resolve.repository';
export * from './hot-answers';
export * from './project-changes.repository';
export * from './serial-reads';
export * from './resolution.module';
export * from './resolve-cache.entity';
