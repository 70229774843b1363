export * from './core-metadata';
export * from './http-fetcher';
export * from './simple-html';
export * from './simple-json';
export * from './simple-page';
export * from './upstream-client';
export * from './upstream-errors';
export * from './xml-rpc';
