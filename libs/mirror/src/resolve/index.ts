/** Resolution on the mirror: the resolver's Provider over PostgreSQL, and the pinned answer. */
export * from './mirror-provider';
export * from './resolve-on-mirror';
