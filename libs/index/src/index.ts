/** The package index (issue 10): simple pages from the mirror, and the caching proxy of files. */
export * from './simple-pages';
export * from './simple-format';
export * from './simple-index.repository';
export * from './file-proxy';
