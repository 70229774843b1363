import { DataSource } from 'typeorm';
import { createTestDatabase } from '@venvfarm/db/testing';
import { MIRROR_ENTITIES, ProjectEntity, ReleaseEntity } from './mirror.entities';

describe('TypeORM entities mirror the migrations', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let source: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    source = new DataSource({ type: 'postgres', url: db.url, entities: MIRROR_ENTITIES, synchronize: false });
    await source.initialize();
  });
  afterAll(async () => {
    await source.destroy();
    await db.drop();
  });

  it('maps every entity column to a column of the same table, and no required column is missing', async () => {
    const { rows } = await db.pool.query<{ table_name: string; column_name: string; is_nullable: string; column_default: string | null }>(
      `SELECT table_name, column_name, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    for (const meta of source.entityMetadatas) {
      const table = rows.filter((r) => r.table_name === meta.tableName);
      expect([meta.tableName, table.length > 0]).toEqual([meta.tableName, true]);
      const mapped = new Set(meta.columns.map((c) => c.databaseName));
      for (const c of mapped) expect([meta.tableName, c, table.some((r) => r.column_name === c)]).toEqual([meta.tableName, c, true]);
      const required = table.filter((r) => r.is_nullable === 'NO' && r.column_default === null).map((r) => r.column_name);
      for (const c of required) expect([meta.tableName, c, mapped.has(c)]).toEqual([meta.tableName, c, true]);
    }
  });

  it('reads rows written by SQL through relations', async () => {
    await db.pool.query(`INSERT INTO projects (id, index_id, name, serial) VALUES (7, 1, 'demo', 3)`);
    await db.pool.query(`INSERT INTO releases (project_id, version, serial) VALUES (7, '1.0', 3)`);
    const project = await source.getRepository(ProjectEntity).findOneOrFail({ where: { name: 'demo' }, relations: { releases: true, index: true } });
    expect(project.index.name).toBe('pypi');
    expect(project.releases.map((r: ReleaseEntity) => r.version)).toEqual(['1.0']);
  });
});
