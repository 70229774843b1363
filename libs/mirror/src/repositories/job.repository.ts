/**
 * Mirror jobs (sync, import, export) in PostgreSQL: queued by the API, claimed by a worker with
 * SKIP LOCKED, progress reported while they run so `GET /v1/mirror/jobs/{id}` can show it.
 * Identical queued or running jobs are not duplicated.
 */
import type { Pool } from 'pg';
import { query } from '@venvfarm/db';

/** What kinds of job there are. */
export type JobKind = 'sync' | 'import' | 'export';

/** A job as stored. */
export interface MirrorJob {
  id: number;
  kind: JobKind;
  state: 'queued' | 'running' | 'done' | 'failed';
  params: Record<string, unknown>;
  progress: Record<string, unknown>;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

function normalize(row: MirrorJob): MirrorJob {
  return { ...row, id: Number(row.id) };
}

/** Queue operations on `mirror_jobs`. */
export class JobRepository {
  constructor(private readonly pool: Pool) {}

  /** Queues a job, or returns the identical one already queued or running. */
  async enqueue(kind: JobKind, params: Record<string, unknown>): Promise<MirrorJob> {
    const { rows } = await this.pool.query<MirrorJob>(query('jobs/enqueue-job'), [kind, JSON.stringify(params)]);
    return normalize(rows[0]);
  }

  /** Claims the oldest queued job of a kind, or null. */
  async claim(kind: JobKind): Promise<MirrorJob | null> {
    const { rows } = await this.pool.query<MirrorJob>(query('jobs/claim-job'), [kind]);
    return rows.length === 0 ? null : normalize(rows[0]);
  }

  async get(id: number): Promise<MirrorJob | null> {
    const { rows } = await this.pool.query<MirrorJob>(query('jobs/get-job'), [id]);
    return rows.length === 0 ? null : normalize(rows[0]);
  }

  async reportProgress(id: number, progress: Record<string, unknown>): Promise<void> {
    await this.pool.query(query('jobs/report-progress'), [id, JSON.stringify(progress)]);
  }

  async finish(id: number, outcome: { error: string } | 'done'): Promise<void> {
    await this.pool.query(query('jobs/finish-job'), [id, outcome === 'done' ? 'done' : 'failed', outcome === 'done' ? null : outcome.error]);
  }
}
