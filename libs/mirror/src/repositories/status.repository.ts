/** The mirror's state for `GET /v1/mirror/status` and `venvfarm mirror status`. */
import type { Pool } from 'pg';
import { query } from '@venvfarm/db';

/** Serial, sizes, and freshness of one index's mirror. */
export interface MirrorStatus {
  serial: number;
  counts: { projects: number; releases: number; files: number };
  last_sync: string | null;
  /** Seconds since the last completed sync; null before the first. */
  lag: number | null;
}

/** Reads the status of one index. */
export async function mirrorStatus(pool: Pool, indexName = 'pypi', now = new Date()): Promise<MirrorStatus> {
  const { rows } = await pool.query<{ serial: string; last_sync: Date | null; projects: string; releases: string; files: string }>(
    query('status/mirror-status'),
    [indexName],
  );
  if (rows.length === 0) throw new Error(`no index named ${indexName}`);
  const row = rows[0];
  return {
    serial: Number(row.serial),
    counts: { projects: Number(row.projects), releases: Number(row.releases), files: Number(row.files) },
    last_sync: row.last_sync?.toISOString() ?? null,
    lag: row.last_sync === null ? null : Math.max(0, Math.round((now.getTime() - row.last_sync.getTime()) / 1000)),
  };
}
