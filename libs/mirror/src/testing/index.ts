export * from './mirror-fixture';
