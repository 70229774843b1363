/** The database layer: embedded PostgreSQL or DATABASE_URL, one pool, migrations, the sql/ loader. */
export * from './database';
export * from './migrate';
export * from './sql-files';
export * from './database.module';
export * from './orm.module';
