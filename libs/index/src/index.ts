/** The package index (issue 10): simple pages from the mirror, and the caching proxy of files. */
export * from './simple-pages';
export * from './simple-format';
export * from './simple-index.repository';
export * from './file-proxy';
export * from './private/index-registry.repository';
export * from './private/upload-tokens';
export * from './uploads/upload-errors';
export * from './uploads/read-upload';
export * from './uploads/distribution-metadata';
export * from './uploads/private-uploads';
