/** What `venvfarm mirror status` runs: loaded when the command runs, with the mirror and the database. */
import 'reflect-metadata';
import { mirrorStatus as readMirrorStatus } from '@venvfarm/mirror';
import type { DatabaseOptions } from './database-options';
import { withDatabase } from './with-database';

export async function mirrorStatus(options: DatabaseOptions): Promise<void> {
  const status = await withDatabase(options, (db) => readMirrorStatus(db.pool));
  process.stdout.write(JSON.stringify(status, null, 2) + '\n');
}
