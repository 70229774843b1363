import { createTestDatabase } from '@venvfarm/db/testing';
import { DataSource } from 'typeorm';
import { ResolveCacheRow } from './resolve-cache.entity';
import { PostgresResolveCache } from './resolve-cache.repository';

describe('PostgresResolveCache on a real database (through its TypeORM entity)', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let orm: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase();
    orm = await new DataSource({ type: 'postgres', url: db.url, entities: [ResolveCacheRow], synchronize: false }).initialize();
  });
  afterAll(async () => {
    await orm?.destroy();
    await db?.drop();
  });

  it('keeps, replaces and misses entries; the rows are those of the migrated table', async () => {
    const cache = new PostgresResolveCache(orm.getRepository(ResolveCacheRow));
    expect(await cache.get('k1')).toBeNull();
    await cache.set('k1', { answer: { pins: ['a==1'] }, touched: [['a', 7]] });
    await cache.set('k1', { answer: { pins: ['a==2'] }, touched: [['a', 8], ['b', null]] });
    expect(await cache.get('k1')).toEqual({ answer: { pins: ['a==2'] }, touched: [['a', 8], ['b', null]] });
    expect(await cache.get('k2')).toBeNull();
    const { rows } = await db.pool.query(`SELECT key, entry->'touched' AS touched FROM resolve_cache`);
    expect(rows).toEqual([{ key: 'k1', touched: [['a', 8], ['b', null]] }]);
  });
});
