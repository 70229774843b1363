/**
 * Queue backends for tests: every call gets a namespace of its own (a Redis key prefix, or a
 * PostgreSQL schema in the test's database), so suites and tests never see each other's jobs.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { QueueConfig } from '../queue-settings';

/** The two backends every queue test runs against. */
export type QueueBackendKind = 'redis' | 'postgres';
export const QUEUE_BACKENDS: readonly QueueBackendKind[] = ['redis', 'postgres'];

/** The machine's Redis. */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Queue configuration for a test: a fresh namespace on `kind`. */
export function testQueueConfig(kind: QueueBackendKind): Required<Pick<QueueConfig, 'redisUrl' | 'queueNamespace'>> {
  return { redisUrl: kind === 'redis' ? TEST_REDIS_URL : null, queueNamespace: `vf_test_${randomBytes(5).toString('hex')}` };
}

/**
 * Removes the Redis keys of a test's queues. On PostgreSQL the queue schema lives in the test's
 * own database and goes with it.
 */
export async function dropTestQueues(config: Pick<QueueConfig, 'redisUrl' | 'queueNamespace'>): Promise<void> {
  const namespace = config.queueNamespace;
  if (namespace === undefined || !namespace.startsWith('vf_test_')) throw new Error(`not a test namespace: ${namespace}`);
  if (config.redisUrl === null) return;
  const redis = new Redis(config.redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${namespace}:*`, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
