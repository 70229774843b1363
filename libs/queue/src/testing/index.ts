export * from './test-queues';
