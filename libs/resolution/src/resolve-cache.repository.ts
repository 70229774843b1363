/**
 * Where resolutions are cached: Redis when REDIS_URL is set, else a PostgreSQL table, behind
 * one interface. Entries are JSON; whether one is still valid is the service's business (it
 * compares the touched projects' serials), so the stores only keep and replace.
 */
import { Redis } from 'ioredis';
import type { Repository } from 'typeorm';
import type { ResolveCacheRow } from './resolve-cache.entity';

/** A cached answer with the serials it was computed from. */
export interface CacheEntry<A> {
  readonly answer: A;
  /** [project, serial]; a null serial means the project was not mirrored. */
  readonly touched: readonly [string, number | null][];
}

/** The store of resolutions; also the NestJS injection token of the process's one cache. */
export abstract class ResolveCache {
  abstract readonly kind: 'redis' | 'postgresql';
  abstract get<A>(key: string): Promise<CacheEntry<A> | null>;
  abstract set<A>(key: string, entry: CacheEntry<A>): Promise<void>;
  abstract close(): Promise<void>;
}

/** Entries nobody asked for in this long go (memory is bounded; validity is checked on read). */
const REDIS_TTL_SECONDS = 30 * 24 * 3600;

export class RedisResolveCache implements ResolveCache {
  readonly kind = 'redis';
  private readonly redis: Redis;

  constructor(url: string) {
    // Fail fast instead of queueing commands while Redis is away: a miss is better than a hang.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false, connectTimeout: 2000 });
    this.redis.on('error', () => undefined);
  }

  async get<A>(key: string): Promise<CacheEntry<A> | null> {
    const text = await this.redis.get(`venvfarm:resolve:${key}`).catch(() => null);
    return text === null ? null : (JSON.parse(text) as CacheEntry<A>);
  }

  async set<A>(key: string, entry: CacheEntry<A>): Promise<void> {
    await this.redis.set(`venvfarm:resolve:${key}`, JSON.stringify(entry), 'EX', REDIS_TTL_SECONDS).catch(() => undefined);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** The `resolve_cache` table through its TypeORM entity. */
export class PostgresResolveCache implements ResolveCache {
  readonly kind = 'postgresql';

  constructor(private readonly rows: Repository<ResolveCacheRow>) {}

  async get<A>(key: string): Promise<CacheEntry<A> | null> {
    const row = await this.rows.findOne({ select: { entry: true }, where: { key } });
    return (row?.entry as CacheEntry<A> | undefined) ?? null;
  }

  async set<A>(key: string, entry: CacheEntry<A>): Promise<void> {
    await this.rows.upsert({ key, entry, createdAt: new Date() }, ['key']);
  }

  async close(): Promise<void> {}
}
